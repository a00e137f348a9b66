/**
 * `herald check <ID | checklist.json>`: runs an advisory's verify entries on
 * this host and reports each as pass, fail, error or skipped.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import { defaultTimeoutSeconds } from '../../export/common.ts';
import type { CliContext } from '../context.ts';
import { configFor, withConfigOption, type CommonOptions } from '../options.ts';

/** What `herald check` and `herald export` take as their target. */
export const targetHelp = 'an advisory id (reads <dist>/checklists/<ID>.json), the path of a checklist .json file, or a note (.md), read as the build reads it';

interface CheckCommandOptions extends CommonOptions {
  json?: boolean;
  root: string;
  dist: string;
  timeout: string;
}

/** Parses `--timeout`: seconds above 0, at most a day. */
export function timeoutSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) throw new UsageError(`--timeout must be a number of seconds above 0 (got "${value}")`);
  return seconds;
}

async function rootDirectory(context: CliContext, root: string): Promise<string> {
  const resolved = path.resolve(context.cwd, root);
  const stats = await stat(resolved).catch(() => undefined);
  // A mistyped --root must not turn every "absent" check into a pass.
  if (!stats?.isDirectory()) throw new UsageError(`--root ${root} is not a directory`);
  return resolved;
}

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    program
      .command('check')
      .description("Run the verify entries of an advisory's checklist on this host: pass, fail, error or skipped for each")
      .argument('<target>', targetHelp)
      .option('--json', 'print {"advisory", "withdrawn"?, "privatePreview"?, "results": [{"id", "status", "detail", "stderr"?}], "summary"} on stdout')
      .option('--root <dir>', 'read the files of file checks under this directory (an image or a container root); command checks are then skipped', '/')
      .option('--dist <dir>', 'output folder of `herald build`, where checklists are found by id', 'dist')
      .option('--timeout <seconds>', 'how long each command may run before it counts as an error', String(defaultTimeoutSeconds))
      .addHelpText(
        'after',
        `
Commands run as /bin/sh -c <run> with stdin closed, a minimal environment
(PATH, LC_ALL=C), their output capped at 64 KiB. Patterns match one line at a
time. A file check whose file does not exist passes when it expects a pattern
to be absent and fails when it expects one to be present.

Exit status: 0 when every check passes, 1 when any fails, errors or is
skipped (or the checklist or the note is invalid), 2 on a usage error.`,
      ),
  ).action(async (target: string, options: CheckCommandOptions) => {
    const timeoutMs = timeoutSeconds(options.timeout) * 1000;
    const root = await rootDirectory(context, options.root);
    const { checklistForTarget } = await import('../../check/load-checklist.ts');
    const { formatCheckJson, formatCheckText } = await import('../../check/report.ts');
    const { defaultCheckLimits, runChecklist } = await import('../../check/run-checklist.ts');
    const checklist = await checklistForTarget(target, { cwd: context.cwd, dist: options.dist, config: () => configFor(context, options), now: context.now() });
    const report = await runChecklist(checklist, {
      root,
      timeoutMs,
      maxOutputBytes: defaultCheckLimits.maxOutputBytes,
      maxFileBytes: defaultCheckLimits.maxFileBytes,
      onEntry: context.interactive ? (entry, index, total) => context.stderr.write(`[${index + 1}/${total}] ${entry.id}\n`) : undefined,
    });
    context.stdout.write(options.json ? formatCheckJson(checklist, report) : formatCheckText(checklist, report));
    if (report.summary.pass !== report.summary.total) context.exitCode = 1;
  });
}
