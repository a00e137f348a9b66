/**
 * `herald export ansible|oval|sh <ID | checklist.json>`: an advisory's
 * checks in the format a fleet already runs.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import { defaultTimeoutSeconds } from '../../export/common.ts';
import type { Checklist } from '../../render/checklists/schema.ts';
import type { CliContext } from '../context.ts';
import { configFor, withConfigOption, type CommonOptions } from '../options.ts';
import { targetHelp, timeoutSeconds } from './check.ts';

interface ExportCommandOptions extends CommonOptions {
  out?: string;
  dist: string;
  timeout: string;
}

interface Format {
  name: string;
  /** Other names the command answers to. */
  aliases?: string[];
  description: string;
  help: string;
  /** The exported text, or `undefined` when the format can express none of the checks. */
  render(checklist: Checklist, options: ExportCommandOptions, context: CliContext): Promise<string | undefined>;
}

/**
 * `--timeout` of the script and the playbook: whole seconds, which is all
 * their own `--timeout` and `herald_timeout` take (a script written with
 * 1.5 refused every run with exit status 2).
 */
function wholeSeconds(value: string): number {
  const seconds = timeoutSeconds(value);
  if (!Number.isInteger(seconds)) throw new UsageError(`--timeout of an export must be a whole number of seconds, as the script's own --timeout and the playbook's herald_timeout are (got "${value}")`);
  return seconds;
}

const formats: Format[] = [
  {
    name: 'ansible',
    description: 'An Ansible playbook that asserts every check on each host (ansible-playbook -i INVENTORY FILE)',
    help: 'Package versions are compared with the host\u2019s dpkg --compare-versions or rpm; -e herald_root=DIR reads files under DIR.',
    render: async (checklist, options) => {
      const { exportAnsiblePlaybook } = await import('../../export/ansible.ts');
      return exportAnsiblePlaybook(checklist, { timeoutSeconds: wholeSeconds(options.timeout) });
    },
  },
  {
    name: 'oval',
    description: 'OVAL 5.11.1 definitions for SCAP scanners (oscap oval eval FILE), one per check OVAL can express',
    help: 'Package queries become dpkginfo/rpminfo tests and file checks textfilecontent54 tests; other command checks are listed in a comment and left out (OVAL runs no commands). Ids use checklists.oval_namespace from the config.',
    render: async (checklist, options, context) => {
      const { exportOval, ovalNamespace } = await import('../../export/oval.ts');
      return exportOval(checklist, { namespace: ovalNamespace(await configFor(context, options)) });
    },
  },
  {
    name: 'sh',
    aliases: ['shell'],
    description: 'A POSIX shell script with the same checks, output and exit status as herald check (sh FILE [--root DIR])',
    help: 'Needs only sh, awk and grep on the host: versions are compared by awk ports of herald\u2019s comparators.',
    render: async (checklist, options) => {
      const { exportShellScript } = await import('../../export/sh.ts');
      return exportShellScript(checklist, { timeoutSeconds: wholeSeconds(options.timeout) });
    },
  },
];

export function register(program: Command, context: CliContext): void {
  const exportCommand = program
    .command('export')
    .description("Export an advisory's checks for fleet tools: an Ansible playbook, OVAL definitions or a POSIX shell script");
  for (const format of formats) {
    withConfigOption(
      exportCommand
        .command(format.name)
        .aliases(format.aliases ?? [])
        .description(format.description)
        .argument('<target>', targetHelp)
        .option('-o, --out <file>', 'write to this file instead of stdout')
        .option('--dist <dir>', 'output folder of `herald build`, where checklists are found by id', 'dist')
        .option('--timeout <seconds>', 'how long each command may run on the host', String(defaultTimeoutSeconds))
        .addHelpText('after', `\n${format.help}`),
    ).action(async (target: string, options: ExportCommandOptions) => {
      const { checklistForTarget } = await import('../../check/load-checklist.ts');
      const checklist = await checklistForTarget(target, { cwd: context.cwd, dist: options.dist, config: () => configFor(context, options), now: context.now() });
      const text = await format.render(checklist, options, context);
      if (text === undefined) {
        const { ovalOmissions } = await import('../../export/oval.ts');
        const reasons = ovalOmissions(checklist).map((line) => `  ${line}\n`).join('');
        context.stderr.write(`herald: OVAL can express none of the checks of ${checklist.advisory.id}; nothing exported:\n${reasons}`);
        context.exitCode = 1;
        return;
      }
      if (options.out) await writeFile(path.resolve(context.cwd, options.out), text, { mode: format.name === 'sh' ? 0o755 : 0o644 });
      else context.stdout.write(text);
    });
  }
}
