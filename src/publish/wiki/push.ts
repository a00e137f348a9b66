/**
 * `herald wiki push`: renders each advisory's page (and the index), reads
 * the pages on the wiki, and writes only those that differ and that nobody
 * changed by hand since herald last wrote them. Reports per page: created,
 * updated, unchanged, conflict (left untouched) or failed.
 */
import path from 'node:path';
import type { Config } from '../../config/schema.ts';
import { configFileName } from '../../config/load.ts';
import { settingPosition } from '../../config/setting-position.ts';
import { summarize, type Advisory } from '../../model/types.ts';
import { advisoryPageName, renderWikiIndex, renderWikiPage, type WikiIndexPage } from '../../render/wiki/index.ts';
import type { RuleId } from '../../errors/catalog.ts';
import { abuseFilterReason } from './abuse-filter.ts';
import { cannotCreateReason, notTriedReason } from './cannot-create.ts';
import { MediaWikiApi } from './api.ts';
import { readCaFile } from '../ca-file.ts';
import { MediaWikiClient, type WikiPage } from './client.ts';
import { HeraldError } from '../../errors/message.ts';
import { wikiError } from './errors.ts';
import { makeFailureCode, writeFailureReason } from '../../io/write-failure.ts';
import { WikiLedger } from './ledger.ts';
import { decide, isHeraldRevision, reasonAfterOwnRevision, sameWikiText, wikiTextHash } from './plan.ts';
import { advisorySummary, indexSummary } from './summary.ts';

export type PageAction = 'created' | 'updated' | 'unchanged' | 'conflict' | 'failed';

export interface PageResult {
  /** The page name asked for, e.g. `OSSN/OSSN-0007`. */
  page: string;
  /** The advisory shown; absent for the index page. */
  advisory?: string;
  action: PageAction;
  /** The page's latest revision after the push (the one herald would replace, in a dry run). */
  revisionId?: number;
  /** Why a page was not written, or what was overwritten with --force. */
  reason?: string;
  /** A conflict the wiki merged: `revisionId` holds herald's edit and another made meanwhile. */
  merged?: true;
  /** The catalog's id of a failure herald knows (`wiki-abuse-filter`, `wiki-abuse-filter-warning`). */
  ruleId?: RuleId;
}

export interface PushReport {
  wiki: string;
  dryRun: boolean;
  force: boolean;
  pages: PageResult[];
}

/**
 * One advisory's page as pushed: its wikitext, and the advisory as a
 * summary (`summarize`: for the report and the edit summary).
 */
export interface AdvisoryPage {
  advisory: Advisory;
  text: string;
}

/** An advisory's page: public, never a preview, whatever the caller's build does (pages on a wiki are public). */
export function advisoryPage(advisory: Advisory, config: Config, now: Date): AdvisoryPage {
  return { advisory: summarize(advisory), text: renderWikiPage(advisory, { config, now, preview: false, all: [] }) };
}

export interface PushOptions {
  config: Config;
  /**
   * The pages to push (`advisoryPage`): public advisories only (the caller
   * selects them). Taken a batch at a time, each batch read from the wiki,
   * written and dropped before the next is asked for: a generator that
   * renders each page when asked keeps a push of 10,000 pages small.
   */
  pages: Iterable<AdvisoryPage>;
  /**
   * Every public advisory (summaries will do), for the index page, asked
   * for once `pages` is exhausted (so a generator of the pages may collect
   * them); no index page is pushed when absent (nor `indexPages`).
   */
  index?: () => readonly Advisory[];
  /** The index pages already made (by the build `herald publish` runs first: `readIndexPages`). */
  indexPages?: readonly IndexPageText[];
  /** The bot password (from the environment); optional in a dry run. */
  password?: string;
  dryRun?: boolean;
  force?: boolean;
  cwd: string;
  /** The config file as the user named it, for messages about its wiki settings. */
  configFile?: string;
  now: Date;
  log?: (line: string) => void;
  /** Waits between retries; tests shorten it. */
  sleep?: (milliseconds: number) => Promise<void>;
}

/** An index page as pushed: its name, its text and how many advisories it lists (for the edit summary). */
export type IndexPageText = Pick<WikiIndexPage, 'page' | 'text' | 'count' | 'year'>;

interface DesiredPage {
  page: string;
  advisory?: Advisory;
  text: string;
  summary: (overwrite: boolean) => string;
  /** The command that prints this page's text. */
  exportCommand: string;
}

/** Pages are read from the wiki, and written, this many at a time (the API's limit of titles per query). */
const pageBatch = 50;

function* desiredPages(options: PushOptions): Generator<DesiredPage> {
  const { config } = options;
  for (const { advisory, text } of options.pages) {
    yield { page: advisoryPageName(advisory, config), advisory, text, summary: (overwrite) => advisorySummary(advisory, overwrite), exportCommand: `herald wiki export ${advisory.id}` };
  }
  const all = options.index?.();
  const indexPages = all ? renderWikiIndex(all, { config, now: options.now, preview: false, all }) : (options.indexPages ?? []);
  for (const { page, text, count, year } of indexPages) {
    yield { page, text, summary: (overwrite) => indexSummary(count, overwrite), exportCommand: `herald wiki export${year === undefined ? '' : ` --year ${year}`}` };
  }
}

/** `items` in arrays of `size`, each made when asked for. */
function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** What a push that stopped on an error had done, and what the next one does. */
function stoppedOutcome(results: readonly PageResult[]): string {
  const written = results.filter((result) => result.action === 'created' || result.action === 'updated').length;
  const settled = results.filter((result) => result.action !== 'failed' && result.action !== 'conflict').length;
  return (
    `the push stopped after ${results.length} page(s) (${written} written, ${settled - written} unchanged, ${results.length - settled} in conflict or failed); ` +
    'what it wrote is in the ledger: run it again and it goes on without writing those pages again'
  );
}

/** Pushes the pages and returns what happened to each. Conflicts and failures are results, not exceptions. */
export async function pushToWiki(options: PushOptions): Promise<PushReport> {
  const { config } = options;
  const log = options.log ?? (() => {});
  const apiUrl = config.wiki.api_url;
  const configFile = options.configFile ?? configFileName;
  const setting = (key: string) => ({ file: configFile, ...settingPosition(options.cwd, configFile, ['wiki', key]) });
  if (!apiUrl) throw wikiError('wiki-not-configured', 'No wiki to push to: `wiki.api_url` is not set', setting('api_url'));
  const dryRun = options.dryRun ?? false;
  const { user } = config.wiki;
  if (!dryRun && !user) throw wikiError('wiki-not-configured', 'No wiki user: set `wiki.user` to a bot password user (User@appid)', setting('user'));
  if (!dryRun && !options.password) {
    throw wikiError('wiki-password-missing', `The environment variable ${config.wiki.password_env} holding the wiki bot password is not set`, setting('password_env'));
  }

  const trust = config.wiki.ca_file === undefined ? undefined : readCaFile('wiki', config.wiki.ca_file, { cwd: options.cwd, configFile });

  const ledger = await WikiLedger.open(path.resolve(options.cwd, config.wiki.ledger));
  if (!dryRun) openLedgerJournal(ledger, config.wiki.ledger, setting('ledger'));
  const api = new MediaWikiApi({ url: apiUrl, maxlag: config.wiki.maxlag, retries: config.wiki.retries, log, ...(trust ? { trust } : {}), ...(options.sleep ? { sleep: options.sleep } : {}) });
  try {
    return await pushPages(new MediaWikiClient(api), ledger, { ...options, apiUrl, setting });
  } finally {
    api.close();
    ledger.dropEmptyJournal();
  }
}

/** A ledger the push could not record its edits in is found before any page is edited: said at `wiki.ledger`, with the file system's reason. */
function openLedgerJournal(ledger: WikiLedger, shown: string, place: { file: string; line: number; column: number }): void {
  try {
    ledger.openJournal();
  } catch (error) {
    const code = makeFailureCode(error);
    if (code === undefined) throw error;
    throw wikiError('wiki-ledger-unwritable', `Cannot write the wiki ledger ${shown} (its journal, ${shown}.journal): ${writeFailureReason(code)} (${code}); no page was pushed`, place);
  }
}

/** Logs in, makes sure the wiki can show code, then reads and writes the pages a batch at a time. */
async function pushPages(
  client: MediaWikiClient,
  ledger: WikiLedger,
  options: PushOptions & { apiUrl: string; setting: (key: string) => { file: string; line: number; column: number } },
): Promise<PushReport> {
  const { config, apiUrl, setting } = options;
  const log = options.log ?? (() => {});
  const configFile = options.configFile ?? configFileName;
  const dryRun = options.dryRun ?? false;
  const force = options.force ?? false;
  const { user } = config.wiki;
  // A dry run reads anonymously when no password is at hand (enough for a public wiki).
  if (user && options.password) {
    log(`herald: logging in to ${apiUrl} as ${user}`);
    await client.login(user, options.password);
  }

  // Without the extension, `<syntaxhighlight>` is plain text and the code inside it is read as wikitext.
  if (config.wiki.code === 'syntaxhighlight' && !(await client.extensionTags()).has('syntaxhighlight')) {
    throw wikiError(
      'wiki-not-configured',
      `The wiki at ${apiUrl} does not have the SyntaxHighlight extension, so code in <syntaxhighlight> would show as wikitext: set \`wiki.code: pre\` in ${configFile}`,
      setting('code'),
      'Set `wiki.code: pre` (code in <pre>, without highlighting), or ask the wiki\u2019s administrators to enable the SyntaxHighlight extension (wfLoadExtension( \'SyntaxHighlight_GeSHi\' ) in LocalSettings.php); nothing was pushed.',
    );
  }

  const results: PageResult[] = [];
  /** The first new page the wiki refused because herald's user may not create pages: no other is tried. */
  let cannotCreate: string | undefined;
  /** Decides one page's fate, applies it (unless a dry run), and reports it. */
  const pushPage = async (desired: DesiredPage, page: WikiPage, readAt: string): Promise<void> => {
    const recorded = ledger.get(apiUrl, page.title);
    let decision = decide(desired.text, page, recorded, force);
    // The latest revision is herald's (the wiki merged its edit with another): the conflict is that other edit's, not herald's.
    if (decision.action === 'conflict' && recorded && page.revision && isHeraldRevision(page.revision, user)) {
      const other = await client.firstRevisionAfter(page.title, recorded.revision_id, (revision) => isHeraldRevision(revision, user));
      decision = { action: 'conflict', reason: reasonAfterOwnRevision(page.revision, recorded, other) };
    }
    const base = { page: desired.page, ...(desired.advisory ? { advisory: desired.advisory.id } : {}) };
    const record = (revisionId: number) =>
      ledger.set(apiUrl, page.title, {
        revision_id: revisionId,
        ...(desired.advisory ? { advisory: desired.advisory.id } : {}),
        sha256: wikiTextHash(desired.text),
        written_at: options.now.toISOString(),
      });

    if (decision.action === 'conflict') {
      results.push({ ...base, action: 'conflict', reason: decision.reason, ...(page.revision ? { revisionId: page.revision.id } : {}) });
      return;
    }
    if (decision.action === 'unchanged') {
      // Identical text: whatever revision holds it is as good as one herald wrote.
      if (!dryRun && page.revision && recorded?.revision_id !== page.revision.id) record(page.revision.id);
      results.push({ ...base, action: 'unchanged', revisionId: page.revision!.id });
      return;
    }
    const overwrite = decision.action === 'update' && decision.overwrite;
    const action: PageAction = decision.action === 'create' ? 'created' : 'updated';
    const reason = overwrite ? `overwrote revision ${page.revision!.id} by ${page.revision!.user || 'someone'} (--force)` : undefined;
    if (dryRun) {
      results.push({ ...base, action, ...(page.revision ? { revisionId: page.revision.id } : {}), ...(reason ? { reason } : {}) });
      return;
    }
    if (decision.action === 'create' && cannotCreate !== undefined) {
      results.push({ ...base, action: 'failed', ruleId: 'wiki-cannot-create', reason: notTriedReason(cannotCreate) });
      return;
    }
    log(`herald: ${action === 'created' ? 'creating' : 'updating'} ${page.title}`);
    const outcome = await client.edit({
      title: page.title,
      text: desired.text,
      summary: desired.summary(overwrite),
      ...(page.revision ? { base: { id: page.revision.id, timestamp: page.revision.timestamp } } : {}),
      readAt,
    });
    if (outcome.result === 'conflict') {
      results.push({ ...base, action: 'conflict', reason: `the page changed while herald was writing it (${outcome.info})` });
    } else if (outcome.result === 'merged') {
      // Not recorded: the page holds more than herald's text, and the next push must not take it for herald's own and overwrite the other edit.
      // MediaWiki merges the two edits, except when the other one was saved in the same second as the revision herald read:
      // then it takes it for herald's own and saves herald's text over it. Which one happened is told by the text saved.
      const saved = (await client.readPages([desired.page])).pages.get(desired.page)?.revision;
      const overwritten = saved?.id === outcome.revisionId && sameWikiText(saved.text, desired.text);
      results.push({
        ...base,
        action: 'conflict',
        revisionId: outcome.revisionId,
        merged: true,
        reason: overwritten
          ? `revision ${outcome.otherRevisionId} was saved by someone else while herald was writing, and the wiki saved herald's edit over it as revision ${outcome.revisionId} without merging: that edit is only in the page's history now; restore it by hand`
          : `revision ${outcome.otherRevisionId} was saved by someone else while herald was writing, and the wiki merged it with herald's edit into revision ${outcome.revisionId}: check that page`,
      });
    } else if (outcome.result === 'cannot-create') {
      cannotCreate = desired.page;
      const why = cannotCreateReason({ user: client.userName ?? user ?? '', login: user ?? '', groupRights: await client.groupRights(), info: outcome.info });
      results.push({ ...base, action: 'failed', ruleId: 'wiki-cannot-create', reason: why });
    } else if (outcome.result === 'filtered') {
      results.push({ ...base, action: 'failed', ruleId: outcome.filter.ruleId, reason: abuseFilterReason(outcome.filter, desired.exportCommand) });
    } else if (outcome.result === 'refused') {
      results.push({ ...base, action: 'failed', reason: `the wiki refused the edit: ${outcome.info}` });
    } else if (outcome.result === 'nochange') {
      if (outcome.revisionId) record(outcome.revisionId);
      results.push({ ...base, action: 'unchanged', ...(outcome.revisionId ? { revisionId: outcome.revisionId } : {}) });
    } else {
      if (outcome.afterLostAnswer) log(`herald: the answer to the edit of ${page.title} was lost; the wiki had saved it as revision ${outcome.revisionId}`);
      record(outcome.revisionId);
      results.push({ ...base, action, revisionId: outcome.revisionId, ...(reason ? { reason } : {}) });
    }
  };
  // Every page herald writes is in the ledger's journal at once (an
  // interrupted push still remembers it); the ledger file is written at the end.
  try {
    for (const batch of batches(desiredPages(options), pageBatch)) {
      const { pages: current, readAt } = await client.readPages(batch.map((page) => page.page));
      for (const desired of batch) await pushPage(desired, current.get(desired.page)!, readAt);
      if (results.length % 1000 === 0) log(`herald: ${results.length} pages read${dryRun ? '' : ', and written where they differ'}`);
    }
  } catch (error) {
    // A wiki that stops answering (or goes read-only) half way: say what was done before it, and that a new push goes on from there.
    if (error instanceof HeraldError && error.outcome === undefined && !dryRun) throw new HeraldError(error.messages, stoppedOutcome(results));
    throw error;
  } finally {
    if (!dryRun) await ledger.save();
  }
  return { wiki: apiUrl, dryRun, force, pages: results };
}
