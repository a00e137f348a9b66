/**
 * `herald wiki`: `push` publishes the advisories' pages and the index to a
 * MediaWiki through its API; `export` prints a page's wikitext. Only wires
 * options to `src/render/wiki/` and `src/publish/wiki/`.
 */
import type { Command } from 'commander';
import { HeraldError, UsageError } from '../../errors/message.ts';
import type { Advisory } from '../../model/types.ts';
import type { Config } from '../../config/schema.ts';
import type { CliContext } from '../context.ts';
import { configFor, withConfigOption, type CommonOptions } from '../options.ts';

interface NotesOptions extends CommonOptions {
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

/** The advisories named on the command line, each checked to exist and to be public (unless previewing). */
function pick(ids: readonly string[], all: readonly Advisory[], selected: readonly Advisory[]): Advisory[] {
  return ids.map((id) => {
    const found = selected.find((a) => a.id === id);
    if (found) return found;
    if (all.some((a) => a.id === id)) throw new UsageError(`${id} is a draft or under embargo: it never goes to the wiki (herald wiki export --preview shows its page)`);
    throw new UsageError(`No advisory ${id} in the notes (ids are like ${selected[0]?.id ?? 'OSSN-0001'})`);
  });
}

export function register(program: Command, context: CliContext): void {
  const wiki = program.command('wiki').description('Publish advisories to a MediaWiki: one page each and an index page');
  registerPush(wiki, context);
  registerExport(wiki, context);
}

function registerPush(wiki: Command, context: CliContext): void {
  withConfigOption(
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
  ).action(async (ids: string[], options: PushCommandOptions) => {
    const config = await configFor(context, options);
    const now = context.now();
    const all = await loadAll(context, options, config);
    const { selectForBuild } = await import('../../build/select.ts');
    const selected = selectForBuild(all, now, false);
    const advisories = ids.length > 0 ? pick(ids, all, selected) : selected;
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
    wiki
      .command('export')
      .description('Print the wikitext of an advisory\u2019s page (or, without an id, of the index page), exactly as push would write it')
      .argument('[id]', 'advisory id, e.g. OSSN-0007 (default: the index page)')
      .option('--notes <dir>', 'notes folder', 'notes')
      .option('--preview', 'include drafts and embargoed notes, marked PRIVATE PREVIEW'),
  ).action(async (id: string | undefined, options: ExportCommandOptions) => {
    const config = await configFor(context, options);
    const now = context.now();
    const all = await loadAll(context, options, config);
    const { selectForBuild } = await import('../../build/select.ts');
    const preview = options.preview ?? false;
    const selected = selectForBuild(all, now, preview);
    const { renderWikiIndex, renderWikiPage } = await import('../../render/wiki/index.ts');
    const renderContext = { config, now, preview, all: selected };
    const [advisory] = id === undefined ? [] : pick([id], all, selected);
    context.stdout.write(advisory ? renderWikiPage(advisory, renderContext) : renderWikiIndex(selected, renderContext));
  });
}
