/**
 * `herald wiki`: `push` publishes the advisories' pages and the index to a
 * MediaWiki through its API; `export` prints a page's wikitext. Only wires
 * options to `src/render/wiki/` and `src/publish/wiki/`.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { HeraldError, UsageError } from '../../errors/message.ts';
import type { Advisory } from '../../model/types.ts';
import { meantId } from '../../model/suggest.ts';
import { noteStem } from '../../io/note-file.ts';
import type { Config } from '../../config/schema.ts';
import type { NamedNotes } from '../../build/named-notes.ts';
import type { AdvisoryPage } from '../../publish/wiki/push.ts';
import type { CliContext } from '../context.ts';
import { configFor, readCacheDir, withConfigOption, withReadCacheOption, type CommonOptions, type ReadCacheOptions } from '../options.ts';

interface NotesOptions extends CommonOptions, ReadCacheOptions {
  notes: string;
}

interface PushCommandOptions extends NotesOptions {
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

interface ExportCommandOptions extends NotesOptions {
  preview?: boolean;
  year?: string;
}

/**
 * Every note checked as `herald lint` checks it, with the build cache (an
 * unchanged note is not parsed again), refusing while any is broken: a wiki
 * never gets an index page from a broken set. With `refuseAny` false the
 * caller refuses the notes it names (a page depends on its own note alone,
 * as `herald send` refuses only the notes it mails).
 */
async function checkAll(context: CliContext, options: NotesOptions, config: Config, refuseAny = true): Promise<NamedNotes> {
  const { checkNotes } = await import('../../build/named-notes.ts');
  const checked = await checkNotes([options.notes], { config, now: context.now(), cwd: context.cwd, cacheDir: readCacheDir(context, options), workers: availableParallelism(), notesFolder: options.notes });
  if (refuseAny && checked.errors.length > 0) throw new HeraldError(checked.errors);
  return checked;
}

/**
 * Every advisory a wiki may show (public, or with `preview` drafts and
 * embargoed ones too), newest first: how many, and generators of their
 * summaries and of their public pages. Each comes from the build cache
 * when the note is as the last build read it, and is read and rendered
 * when asked for otherwise (at 10,000 notes the full advisories would not
 * fit in memory together, and parsing them all takes about 15 s).
 */
async function shownAdvisories(
  context: CliContext,
  options: NotesOptions,
  config: Config,
  preview: boolean,
): Promise<{ count: number; summaries: () => Generator<Advisory>; pages: () => Generator<AdvisoryPage> }> {
  const { isPublic, newestFirst, previewIdOf, withPreviewId } = await import('../../build/select.ts');
  const { advisoryPage } = await import('../../publish/wiki/push.ts');
  const { advisoryWikiFile } = await import('../../render/wiki/page-name.ts');
  const now = context.now();
  const checked = await checkAll(context, options, config);
  // A preview names a note without its id after its file, as a preview build does.
  const asShown = preview ? withPreviewId : (advisory: Advisory) => advisory;
  const shown = [...checked.cards]
    .filter(([, card]) => preview || isPublic(card, now))
    .map(([file, card]): [string, typeof card] => {
      const id = preview ? previewIdOf(card, file) : card.id;
      return [file, id === card.id ? card : { ...card, id, slug: id }];
    })
    .sort(([, a], [, b]) => newestFirst(a, b));
  return {
    count: shown.length,
    summaries: function* () {
      for (const [file] of shown) yield asShown(checked.summary(file));
    },
    // A page's text depends on its note and the config alone (never the clock): the build's own file will do.
    pages: function* () {
      for (const [file, card] of shown) {
        const built = checked.builtFile(file, advisoryWikiFile(card));
        yield built ? { advisory: asShown(checked.summary(file)), text: built.toString('utf8') } : advisoryPage(asShown(checked.advisory(file)), config, now);
      }
    },
  };
}

/**
 * The advisories named on the command line, each checked to exist, to be
 * free of errors and to be public (unless previewing). Every note is
 * checked (`checkAll`), but only the named ones are refused for their
 * errors, and read in full.
 */
async function loadNamed(named: readonly string[], context: CliContext, options: NotesOptions & ReadCacheOptions, config: Config, preview: boolean): Promise<Advisory[]> {
  // An id named twice is one page, pushed once (as send mails it once): twice, the second edit would find the first's revision and call it a conflict.
  const ids = [...new Set(named)];
  const { isPublic, newestFirst, previewIdOf, previewIdsFor, withPreviewId } = await import('../../build/select.ts');
  const now = context.now();
  const checked = await checkAll(context, options, config, false);
  // By id only (not by slug), as a wiki page is named; in a preview, a note without its id by its file name.
  const byId = new Map([...checked.cards].map(([file, card]) => [preview ? previewIdOf(card, file) : card.id, { file, card }]));
  // A named note with errors is never pushed (nor exported): found by its id, or by its file name when too broken to have one.
  const broken = checked.errors.filter((m) => ids.some((id) => byId.get(id)?.file === m.file || (!byId.has(id) && noteStem(m.file) === id)));
  if (broken.length > 0) throw new HeraldError(broken);
  return ids.map((id) => {
    const found = byId.get(id);
    if (!found) {
      const example = [...checked.cards.values()].filter((card) => isPublic(card, now)).sort(newestFirst)[0]?.id ?? 'OSSN-0001';
      const meant = meantId(id, byId.keys());
      const byFileName = previewIdsFor(id, byId.keys());
      const hint = byFileName.length > 0 ? `a note without its id goes by its file name: ${byFileName.join(', ')}` : meant ? `did you mean ${meant}?` : `ids are like ${example}`;
      throw new UsageError(`No advisory ${id} in the notes (${hint})`);
    }
    const { file, card } = found;
    if (!preview && !isPublic(card, now)) throw new UsageError(`${id} is a draft, under embargo or without its id yet: it never goes to the wiki (herald wiki export --preview shows its page)`);
    return preview ? withPreviewId(checked.advisory(file)) : checked.advisory(file);
  });
}

export function register(program: Command, context: CliContext): void {
  const wiki = program.command('wiki').description('Publish advisories to a MediaWiki: one page each and an index page');
  registerPush(wiki, context);
  registerExport(wiki, context);
}

function registerPush(wiki: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      wiki
        .command('push')
        .description(
          'Write the pages of the given advisories (default: every public advisory, and the index page) to the wiki in wiki.api_url; ' +
            'edits only pages that differ, never a page changed on the wiki since herald wrote it unless --force',
        )
        .argument('[ids...]', 'advisory ids, e.g. OSSN-0007 (default: all, plus the index page)')
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--dry-run', 'read the wiki and report what would change, without editing anything')
        .option('--force', 'overwrite pages that were changed on the wiki since herald last wrote them')
        .option('--json', 'print the report as JSON'),
    ),
  ).action(async (ids: string[], options: PushCommandOptions) => {
    const config = await configFor(context, options);
    const now = context.now();
    const { advisoryPage, pushToWiki } = await import('../../publish/wiki/push.ts');
    const { formatPushReport } = await import('../../publish/wiki/report.ts');
    let pages: Iterable<AdvisoryPage>;
    // Every page, each rendered when the push asks for it; the index from their summaries, collected on the way.
    const index: Advisory[] = [];
    if (ids.length === 0) {
      const shown = await shownAdvisories(context, options, config, false);
      context.stderr.write(`herald: ${shown.count} advisory page(s) and the index page to push\n`);
      pages = (function* () {
        for (const page of shown.pages()) {
          index.push(page.advisory);
          yield page;
        }
      })();
    } else {
      pages = (await loadNamed(ids, context, options, config, false)).map((advisory) => advisoryPage(advisory, config, now));
    }
    const password = context.env[config.wiki.password_env];
    const report = await pushToWiki({
      config,
      pages,
      ...(ids.length === 0 ? { index: () => index } : {}),
      ...(password ? { password } : {}),
      dryRun: options.dryRun ?? false,
      force: options.force ?? false,
      cwd: context.cwd,
      ...(options.config ? { configFile: options.config } : {}),
      now,
      log: (line) => context.stderr.write(`${line}\n`),
    });
    context.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatPushReport(report));
    if (report.pages.some((page) => page.action === 'conflict' || page.action === 'failed')) context.exitCode = 1;
  });
}

/** Parses `--year`, for commander: a year of four digits, as the index's year pages are named. */
function yearOption(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a number: expected a year, like 2014`);
  if (value.length !== 4) throw new InvalidArgumentError(`expected a year of four digits, like 2014, got "${value}"`);
  return value;
}

function registerExport(wiki: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      wiki
        .command('export')
        .description('Print the wikitext of an advisory\u2019s page (or, without an id, of the index page), exactly as push would write it')
        .argument('[id]', 'advisory id, e.g. OSSN-0007 (default: the index page)')
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--preview', 'include drafts and embargoed notes, marked PRIVATE PREVIEW')
        .option('--year <year>', 'the index page of one year (an index longer than wiki.max_page_kib is split by year)', yearOption),
    ),
  ).action(async (id: string | undefined, options: ExportCommandOptions) => {
    if (id !== undefined && options.year !== undefined) throw new UsageError('give an advisory id or --year, not both.');
    const config = await configFor(context, options);
    const now = context.now();
    const preview = options.preview ?? false;
    const { renderWikiIndex, renderWikiPage } = await import('../../render/wiki/index.ts');
    if (id !== undefined) {
      // A page depends on its own note alone (the renderers' contract): no other note is read in full.
      const [advisory] = await loadNamed([id], context, options, config, preview);
      context.stdout.write(renderWikiPage(advisory!, { config, now, preview, all: [] }));
      return;
    }
    const shown = [...(await shownAdvisories(context, options, config, preview)).summaries()];
    const pages = renderWikiIndex(shown, { config, now, preview, all: shown });
    const wanted = options.year === undefined ? pages[0]! : pages.find((page) => page.year === options.year);
    if (!wanted) {
      const years = pages.flatMap((page) => (page.year === undefined ? [] : [page.year]));
      throw new UsageError(
        years.length === 0
          ? `the index fits on one page (wiki.max_page_kib is ${config.wiki.max_page_kib}): there are no year pages; run without --year.`
          : `no page for ${options.year}: the index has a page for each of ${years.join(', ')}.`,
      );
    }
    context.stdout.write(wanted.text);
  });
}
