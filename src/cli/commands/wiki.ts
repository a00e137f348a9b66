/**
 * `herald wiki`: `push` publishes the advisories' pages and the index to a
 * MediaWiki through its API; `export` prints a page's wikitext. Only wires
 * options to `src/render/wiki/` and `src/publish/wiki/`.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { HeraldError, UsageError } from '../../errors/message.ts';
import type { Advisory } from '../../model/types.ts';
import type { Config } from '../../config/schema.ts';
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
}

/** Loads every note, refusing while any is broken: a wiki never gets a page from a broken set. */
async function loadAll(context: CliContext, options: NotesOptions, config: Config): Promise<Advisory[]> {
  const { loadNotes } = await import('../../model/load.ts');
  const loaded = await loadNotes([options.notes], { config, now: context.now(), cwd: context.cwd });
  const errors = loaded.messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) throw new HeraldError(errors);
  return loaded.advisories;
}

/**
 * The advisories named on the command line, each checked to exist and to be
 * public (unless previewing). Every note is checked as by `loadAll` (with
 * the build cache: an unchanged note is not parsed again); only the named
 * ones are read in full.
 */
async function loadNamed(ids: readonly string[], context: CliContext, options: NotesOptions & ReadCacheOptions, config: Config, preview: boolean): Promise<Advisory[]> {
  const { checkNotes } = await import('../../build/named-notes.ts');
  const { isPublic, newestFirst } = await import('../../build/select.ts');
  const now = context.now();
  const checked = await checkNotes([options.notes], { config, now, cwd: context.cwd, cacheDir: readCacheDir(context, options), workers: availableParallelism() });
  if (checked.errors.length > 0) throw new HeraldError(checked.errors);
  // By id only (not by slug), as a wiki page is named.
  const byId = new Map([...checked.cards].map(([file, card]) => [card.id, { file, card }]));
  return ids.map((id) => {
    const found = byId.get(id);
    if (!found) {
      const example = [...checked.cards.values()].filter((card) => isPublic(card, now)).sort(newestFirst)[0]?.id ?? 'OSSN-0001';
      throw new UsageError(`No advisory ${id} in the notes (ids are like ${example})`);
    }
    const { file, card } = found;
    if (!preview && !isPublic(card, now)) throw new UsageError(`${id} is a draft or under embargo: it never goes to the wiki (herald wiki export --preview shows its page)`);
    return checked.advisory(file);
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
    const { selectForBuild } = await import('../../build/select.ts');
    const selected = ids.length > 0 ? [] : selectForBuild(await loadAll(context, options, config), now, false);
    const advisories = ids.length > 0 ? await loadNamed(ids, context, options, config, false) : selected;
    const { pushToWiki } = await import('../../publish/wiki/push.ts');
    const { formatPushReport } = await import('../../publish/wiki/report.ts');
    const password = context.env[config.wiki.password_env];
    const report = await pushToWiki({
      config,
      advisories,
      ...(ids.length === 0 ? { index: selected } : {}),
      ...(password ? { password } : {}),
      dryRun: options.dryRun ?? false,
      force: options.force ?? false,
      cwd: context.cwd,
      now,
      log: (line) => context.stderr.write(`${line}\n`),
    });
    context.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatPushReport(report));
    if (report.pages.some((page) => page.action === 'conflict' || page.action === 'failed')) context.exitCode = 1;
  });
}

function registerExport(wiki: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      wiki
        .command('export')
        .description('Print the wikitext of an advisory\u2019s page (or, without an id, of the index page), exactly as push would write it')
        .argument('[id]', 'advisory id, e.g. OSSN-0007 (default: the index page)')
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--preview', 'include drafts and embargoed notes, marked PRIVATE PREVIEW'),
    ),
  ).action(async (id: string | undefined, options: ExportCommandOptions) => {
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
    const { selectForBuild } = await import('../../build/select.ts');
    const selected = selectForBuild(await loadAll(context, options, config), now, preview);
    context.stdout.write(renderWikiIndex(selected, { config, now, preview, all: selected }));
  });
}
