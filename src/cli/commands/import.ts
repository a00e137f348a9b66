/**
 * `herald import ossn <paths...>`: legacy OpenStack Security Notes (e-mail
 * text or MediaWiki markup) → herald notes, with a report of what could
 * not be made structured.
 */
import type { Command } from 'commander';
import { formatJson, formatText } from '../../errors/format.ts';
import { UsageError } from '../../errors/message.ts';
import type { Config } from '../../config/schema.ts';
import { dayAfter, isCalendarDate } from '../../model/calendar-date.ts';
import { println, type CliContext } from '../context.ts';
import { collect, configFor, withConfigOption, type CommonOptions } from '../options.ts';

interface ImportCommandOptions extends CommonOptions {
  out: string;
  date?: string;
  force?: boolean;
  list: string[];
  json?: boolean;
}

function checkDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isCalendarDate(value)) throw new UsageError(`--date must be a calendar date written YYYY-MM-DD, not "${value}"`);
  return value;
}

/** The lists named with --list, each once, in the order given; each must be configured. */
function checkLists(names: readonly string[], config: Config): string[] {
  const configured = config.mail.lists.map((list) => list.name);
  const unknown = names.filter((name) => !configured.includes(name));
  if (unknown.length > 0) throw new UsageError(`--list ${unknown.join(', ')}: not configured under mail.lists (configured: ${configured.join(', ') || 'none'})`);
  return [...new Set(names)];
}

/**
 * Imported notes were announced long ago, but carry no GitHub release: unless
 * `publish.announce_from` is after their date, the next `herald publish`
 * would announce every one of them again.
 */
function announceFromHint(wrote: boolean, dated: string, announceFrom: string | undefined): string | undefined {
  if (!wrote || (announceFrom !== undefined && announceFrom > dated)) return undefined;
  return `herald: these notes were announced before herald. Before the first \`herald publish\`, set publish.announce_from in the config to a day after their date (${dated}), for example ${dayAfter(dated)}, or publish announces every one of them again. A note dated before that day counts as announced too: date the new ones from ${dayAfter(dated)} on.`;
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
      .option('--list <name>', 'a configured mailing list the imported notes name, for their updates (repeatable; default: none)', collect, [])
      .option('--json', 'print the report as JSON: {"imported": [...], "messages": [...]}'),
  ).action(async (paths: string[], options: ImportCommandOptions) => {
    const date = checkDate(options.date);
    const config = await configFor(context, options);
    const lists = checkLists(options.list, config);
    const { importLegacyNotes } = await import('../../import/run.ts');
    const report = await importLegacyNotes(paths, {
      config,
      now: context.now(),
      cwd: context.cwd,
      out: options.out,
      force: options.force ?? false,
      ...(date ? { date } : {}),
      lists,
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
    const configured = config.mail.lists.map((list) => list.name);
    if (lists.length === 0 && configured.length > 0 && report.imported.some((e) => e.written)) {
      println(context.stderr, `herald: the imported notes name no mailing list (lint warns list-none), so their updates would be mailed to no one; import again with --force --list ${configured[0]} to name one.`);
    }
    if (errors > 0) context.exitCode = 1;
  });
}
