import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { formatGithub, formatJson, formatText } from '../../errors/format.ts';
import { UsageError } from '../../errors/message.ts';
import type { CliContext } from '../context.ts';
import { defaultCacheDir } from '../../build/cache-dir.ts';
import { configFor, nonNegativeInteger, withConfigOption, type CommonOptions } from '../options.ts';

interface LintOptions extends CommonOptions {
  format: string;
  maxWarnings?: number;
  cache: string | false;
  workers?: number;
}

const formats = { text: formatText, json: formatJson, github: formatGithub } as const;

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    program
      .command('lint')
      .description('Check notes and report every problem as path:line:column, severity, rule id and message')
      .argument('[paths...]', 'note files or folders', ['notes'])
      .option('-f, --format <format>', 'output format: text, json or github (workflow commands for annotations)', 'text')
      .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', nonNegativeInteger)
      .option('--cache <dir>', "the build cache: notes the last build read are not parsed again", defaultCacheDir)
      .option('--no-cache', 'parse and check every note afresh')
      .option('--workers <n>', 'worker threads for the notes to parse, when there are 5,000 or more (0: in-process; default: one per core)', nonNegativeInteger),
  ).action(async (paths: string[], options: LintOptions) => {
    const format = formats[options.format as keyof typeof formats];
    if (!format) throw new UsageError(`unknown format "${options.format}" (use text, json or github)`);
    const config = await configFor(context, options);
    const { lintWithCache } = await import('../../build/cached-lint.ts');
    const cacheDir = options.cache === false ? null : path.resolve(context.cwd, options.cache);
    const { messages, files, fromCache } = await lintWithCache(paths, { config, now: context.now(), cwd: context.cwd, cacheDir, workers: options.workers ?? availableParallelism() });
    const errors = messages.filter((m) => m.severity === 'error').length;
    const warnings = messages.length - errors;
    context.stdout.write(format(messages));
    if (options.format === 'text') {
      const cached = fromCache > 0 ? ` (${fromCache} unchanged since the last build, from its cache)` : '';
      context.stderr.write(`${files.length} note(s) checked${cached}: ${errors} error(s), ${warnings} warning(s)\n`);
    }
    if (errors > 0 || (options.maxWarnings !== undefined && warnings > options.maxWarnings)) context.exitCode = 1;
  });
}
