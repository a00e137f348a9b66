/**
 * `herald import ossn <paths...>`: legacy OpenStack Security Notes (e-mail
 * text or MediaWiki markup) → herald notes, with a report of what could
 * not be made structured.
 */
import type { Command } from 'commander';
import { formatJson, formatText } from '../../errors/format.ts';
import { UsageError } from '../../errors/message.ts';
import { dayAfter, isCalendarDate } from '../../model/calendar-date.ts';
import { println, type CliContext } from '../context.ts';
import { configFor, withConfigOption, type CommonOptions } from '../options.ts';

interface ImportCommandOptions extends CommonOptions {
  out: string;
  date?: string;
  force?: boolean;
  json?: boolean;
}

function checkDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isCalendarDate(value)) throw new UsageError(`--date must be a calendar date written YYYY-MM-DD, not "${value}"`);
  return value;
}

/**
 * Imported notes were announced long ago, but carry no GitHub release: unless
 * `publish.announce_from` is after their date, the next `herald publish`
 * would announce every one of them again.
 */
function announceFromHint(wrote: boolean, dated: string, announceFrom: string | undefined): string | undefined {
  if (!wrote || (announceFrom !== undefined && announceFrom > dated)) return undefined;
  return `herald: these notes were announced before herald. Before the first \`herald publish\`, set publish.announce_from in the config to a day after their date (${dated}), for example ${dayAfter(dated)}, or publish announces every one of them again.`;
}

export function register(program: Command, context: CliContext): void {
  const command = program.command('import').description('Convert security notes kept in other formats into herald notes');
  withConfigOption(
    command
      .command('ossn')
      .description('Convert legacy OpenStack Security Notes (e-mail text or MediaWiki markup) into herald notes, and report what could not be made structured')
      .argument('<paths...>', 'legacy note files, or folders of them (files named like OSSN-0007)')
      .option('-o, --out <dir>', 'folder to write the herald notes to', 'notes')
      .option('--date <YYYY-MM-DD>', 'publication date for notes whose original gives none (default: today)')
      .option('--force', 'overwrite notes that already exist in the output folder')
      .option('--json', 'print the report as JSON: {"imported": [...], "messages": [...]}'),
  ).action(async (paths: string[], options: ImportCommandOptions) => {
    const date = checkDate(options.date);
    const config = await configFor(context, options);
    const { importLegacyNotes } = await import('../../import/run.ts');
    const report = await importLegacyNotes(paths, {
      config,
      now: context.now(),
      cwd: context.cwd,
      out: options.out,
      force: options.force ?? false,
      ...(date ? { date } : {}),
      log: (line) => println(context.stderr, line),
    });
    const errors = report.messages.filter((m) => m.severity === 'error').length;
    if (options.json) {
      context.stdout.write(`${JSON.stringify({ imported: report.imported, messages: JSON.parse(formatJson(report.messages)) }, null, 2)}\n`);
    } else {
      for (const entry of report.imported) {
        println(context.stdout, `${entry.written ? 'imported' : 'skipped '} ${entry.id}  ${entry.source} -> ${entry.path}`);
      }
      context.stdout.write(formatText(report.messages));
      const written = report.imported.filter((e) => e.written).length;
      println(context.stderr, `${written} note(s) written, ${report.messages.length - errors} warning(s) about what could not be made structured or should be checked, ${errors} error(s)`);
    }
    const hint = announceFromHint(report.imported.some((e) => e.written), date ?? context.now().toISOString().slice(0, 10), config.publish.announce_from);
    if (hint) println(context.stderr, hint);
    if (errors > 0) context.exitCode = 1;
  });
}
