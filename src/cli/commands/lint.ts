import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { formatGithub, formatJson, formatText } from '../../errors/format.ts';
import { UsageError, type HeraldMessage } from '../../errors/message.ts';
import { formatSarif } from '../../errors/sarif.ts';
import { version } from '../../version.ts';
import type { CliContext } from '../context.ts';
import { configFor, nonNegativeInteger, readCacheDir, withConfigOption, withReadCacheOption, type CommonOptions, type ReadCacheOptions } from '../options.ts';

interface LintOptions extends CommonOptions, ReadCacheOptions {
  format: string;
  json?: boolean;
  maxWarnings?: number;
  workers?: number;
  notes: string;
}

const formats = { text: formatText, json: formatJson, github: formatGithub, sarif: (messages: readonly HeraldMessage[]) => formatSarif(messages, { version }) } as const;

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('lint')
        .description('Check notes and report every problem as path:line:column, severity, rule id and message')
        .argument('[paths...]', 'note files or folders (default: the --notes folder)')
        .option('-f, --format <format>', 'output format: text, json, github (workflow commands for annotations) or sarif (SARIF 2.1.0, for code scanning)', 'text')
        .option('--json', 'the same as --format json, as the other commands name it')
        .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', nonNegativeInteger)
        .option('--notes <dir>', 'notes folder the build reads: checked when no paths are given; a link to a Markdown file outside it leads to no note', 'notes'),
    ).option('--workers <n>', 'worker threads for the notes to parse, when there are 5,000 or more (0: in-process; default: one per core)', nonNegativeInteger),
  ).action(async (paths: string[], options: LintOptions) => {
    if (options.json && options.format !== 'text' && options.format !== 'json') throw new UsageError(`--json and --format ${options.format} ask for two formats; give one`);
    const formatName = options.json ? 'json' : options.format;
    const format = formats[formatName as keyof typeof formats];
    if (!format) throw new UsageError(`unknown format "${formatName}" (use text, json, github or sarif)`);
    const config = await configFor(context, options);
    const { lintWithCache } = await import('../../build/cached-lint.ts');
    const { messages, files, fromCache } = await lintWithCache(paths.length > 0 ? paths : [options.notes], { config, now: context.now(), cwd: context.cwd, cacheDir: readCacheDir(context, options), workers: options.workers ?? availableParallelism(), reportEmptyFolders: true, notesFolder: options.notes });
    const errors = messages.filter((m) => m.severity === 'error').length;
    const warnings = messages.length - errors;
    context.stdout.write(format(messages));
    if (formatName === 'text') {
      const cached = fromCache > 0 ? ` (${fromCache} unchanged since the last build, from its cache)` : '';
      context.stderr.write(`${files.length} note(s) checked${cached}: ${errors} error(s), ${warnings} warning(s)\n`);
    }
    const overBudget = options.maxWarnings !== undefined && warnings > options.maxWarnings;
    if (overBudget && errors === 0) {
      // Said, or a run that fails with warnings alone leaves no reason: on stderr, and in GitHub's own format beside its annotations.
      const why = `${warnings} warning(s), more than --max-warnings ${options.maxWarnings} allows`;
      if (formatName === 'github') context.stdout.write(`::error title=herald lint::${why}\n`);
      context.stderr.write(`herald lint: ${why}\n`);
    }
    if (errors > 0 || overBudget) context.exitCode = 1;
  });
}
