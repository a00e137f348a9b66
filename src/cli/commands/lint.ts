import type { Command } from 'commander';
import { formatGithub, formatJson, formatText } from '../../errors/format.ts';
import { UsageError } from '../../errors/message.ts';
import type { CliContext } from '../context.ts';
import { configFor, nonNegativeInteger, withConfigOption, type CommonOptions } from '../options.ts';

interface LintOptions extends CommonOptions {
  format: string;
  maxWarnings?: number;
}

const formats = { text: formatText, json: formatJson, github: formatGithub } as const;

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    program
      .command('lint')
      .description('Check notes and report every problem as path:line:column, severity, rule id and message')
      .argument('[paths...]', 'note files or folders', ['notes'])
      .option('-f, --format <format>', 'output format: text, json or github (workflow commands for annotations)', 'text')
      .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', nonNegativeInteger),
  ).action(async (paths: string[], options: LintOptions) => {
    const format = formats[options.format as keyof typeof formats];
    if (!format) throw new UsageError(`unknown format "${options.format}" (use text, json or github)`);
    const config = await configFor(context, options);
    const { loadNotes } = await import('../../model/load.ts');
    const { messages, notes } = await loadNotes(paths, { config, now: context.now(), cwd: context.cwd });
    const errors = messages.filter((m) => m.severity === 'error').length;
    const warnings = messages.length - errors;
    context.stdout.write(format(messages));
    if (options.format === 'text') {
      context.stderr.write(`${notes.length} note(s) checked: ${errors} error(s), ${warnings} warning(s)\n`);
    }
    if (errors > 0 || (options.maxWarnings !== undefined && warnings > options.maxWarnings)) context.exitCode = 1;
  });
}
