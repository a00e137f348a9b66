/**
 * `herald list`: every note with its id, where it stands (draft, under
 * embargo, published, withdrawn), its dates and title, and how many lint
 * problems it has, newest first. Read through the build cache as `herald
 * lint` reads, so it answers at once for thousands of notes. It marks the
 * notes lint fails on and exits 0 all the same: lint is the gate.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { newestFirst, underEmbargo } from '../../build/select.ts';
import { formatText } from '../../errors/format.ts';
import { UsageError } from '../../errors/message.ts';
import { println, type CliContext } from '../context.ts';
import { configFor, readCacheDir, withConfigOption, withReadCacheOption, type CommonOptions, type ReadCacheOptions } from '../options.ts';

const states = ['draft', 'embargoed', 'published', 'withdrawn'] as const;
type State = (typeof states)[number];

interface ListOptions extends CommonOptions, ReadCacheOptions {
  status?: string;
  json?: boolean;
  notes: string;
}

interface Row {
  path: string;
  id?: string;
  kind?: string;
  state?: State;
  date?: string;
  updated?: string;
  revision?: number;
  embargo?: string;
  title?: string;
  errors: number;
  warnings: number;
}

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('list')
        .description('List the notes, newest first: id, where each stands (draft, embargoed, published, withdrawn), dates, title and lint problems')
        .argument('[paths...]', 'note files or folders (default: the --notes folder)')
        .option('--notes <dir>', 'notes folder the build reads: listed when no paths are given; a link to a Markdown file outside it leads to no note', 'notes')
        .option('--status <state>', `only the notes in this state: ${states.join(', ')}`)
        .option('--json', 'print the list as JSON: [{"path", "id", "kind", "state", "date", "updated", "revision", "embargo", "title", "errors", "warnings"}]')
        .addHelpText(
          'after',
          `
Exit status: 0 whenever the list is printed, also when notes have lint errors
(the LINT column, or "errors" in the JSON, marks them: herald lint is the
check that fails on them); 1 when it cannot be made (an invalid config, a
notes folder it may not read); 2 on a usage error.`,
        ),
    ),
  ).action(async (paths: string[], options: ListOptions) => {
    if (options.status !== undefined && !(states as readonly string[]).includes(options.status)) {
      throw new UsageError(`--status ${options.status}: use one of ${states.join(', ')}`);
    }
    const config = await configFor(context, options);
    const now = context.now();
    const { lintWithCache } = await import('../../build/cached-lint.ts');
    const targets = paths.length > 0 ? paths : [options.notes];
    const { messages, files, cards } = await lintWithCache(targets, { config, now, cwd: context.cwd, cacheDir: readCacheDir(context, options), workers: availableParallelism(), reportEmptyFolders: true, notesFolder: options.notes });
    // A folder named that holds no note: most often a wrong path, said as lint and build say it.
    const empty = messages.filter((m) => m.ruleId === 'notes-folder-empty');
    if (empty.length > 0) context.stderr.write(formatText(empty));
    const counts = new Map<string, { errors: number; warnings: number }>();
    for (const m of messages) {
      const count = counts.get(m.file) ?? { errors: 0, warnings: 0 };
      if (m.severity === 'error') count.errors += 1;
      else count.warnings += 1;
      counts.set(m.file, count);
    }
    const rows: Row[] = files.map((file) => {
      const { errors, warnings } = counts.get(file) ?? { errors: 0, warnings: 0 };
      const card = cards.get(file);
      if (!card) return { path: file, errors, warnings };
      const embargoed = card.status !== 'draft' && underEmbargo(card, now);
      return {
        path: file,
        id: card.id,
        kind: card.kind,
        state: embargoed ? 'embargoed' : card.status,
        date: card.date,
        updated: card.updated,
        revision: card.revision,
        ...(card.embargo !== undefined ? { embargo: card.embargo } : {}),
        title: card.title,
        errors,
        warnings,
      };
    });
    const shown = rows.filter((row) => options.status === undefined || row.state === options.status).sort(byDate);
    if (options.json) {
      println(context.stdout, JSON.stringify(shown, null, 2));
      return;
    }
    const table = shown.map((row) => [row.id ?? row.path, stateText(row), row.date ?? '', row.revision ? `UPDATE ${row.revision} ${row.updated}` : '', problemsText(row), row.title ?? '(cannot be read: run herald lint)']);
    const header = ['ID', 'STATE', 'DATE', 'LATEST', 'LINT', 'TITLE'];
    const widths = header.map((name, column) => Math.max(name.length, ...table.map((cells) => cells[column]!.length)));
    for (const cells of [header, ...table]) println(context.stdout, cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
    context.stderr.write(`${shown.length} of ${rows.length} note(s)${options.status ? ` ${options.status}` : ''}\n`);
  });
}

function stateText(row: Row): string {
  return row.state === 'embargoed' ? `embargoed until ${row.embargo}` : (row.state ?? '');
}

function problemsText(row: Row): string {
  if (row.errors === 0 && row.warnings === 0) return 'ok';
  return [row.errors > 0 ? `${row.errors} error(s)` : '', row.warnings > 0 ? `${row.warnings} warning(s)` : ''].filter(Boolean).join(', ');
}

/** As the site lists advisories (by date, then by id, newest first); notes that cannot be read come last, by path. */
function byDate(a: Row, b: Row): number {
  if (a.date && a.id && b.date && b.id) return newestFirst({ date: a.date, id: a.id }, { date: b.date, id: b.id });
  return a.date ? -1 : b.date ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
