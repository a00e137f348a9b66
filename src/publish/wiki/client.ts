/**
 * The few MediaWiki operations herald needs, over the action API: log in
 * with a bot password, read pages with their latest revision, and edit a
 * page guarded against edit conflicts.
 */
import { createHash } from 'node:crypto';
import { abuseFilterMatch, type AbuseFilterMatch } from './abuse-filter.ts';
import { HeraldError } from '../../errors/message.ts';
import { AnswerLost, MediaWikiApi } from './api.ts';
import { newRetryBudget, type RetryBudget } from './retry-wait.ts';
import { cannotCreateCodes } from './cannot-create.ts';
import { ApiError, unexpectedAnswer, wikiError } from './errors.ts';
import { isLostEditSaved, lostEditConflictCodes, type LatestRevision } from './lost-edit.ts';
import { isSessionLostLogin, sessionCodes, sessionLost } from './session-lost.ts';

/** A page as it is on the wiki now. */
export interface WikiPage {
  /** The title as the wiki writes it (spaces, first letter upper case). */
  title: string;
  exists: boolean;
  /** Latest revision, when the page exists. */
  revision?: WikiRevision & { text: string };
}

/** A revision as the page's history lists it; `user` is empty when hidden. */
export interface WikiRevision {
  id: number;
  timestamp: string;
  user: string;
  /** The edit summary; empty when hidden. */
  comment: string;
}

interface RevisionAnswer {
  revid: number;
  parentid?: number;
  timestamp: string;
  user?: string;
  comment?: string;
  slots?: { main?: { content?: string } };
}

interface PageAnswer {
  title: string;
  missing?: boolean;
  invalid?: boolean;
  invalidreason?: string;
  revisions?: RevisionAnswer[];
}

const revisionOf = (answer: RevisionAnswer): WikiRevision => ({ id: answer.revid, timestamp: answer.timestamp, user: answer.user ?? '', comment: answer.comment ?? '' });

export interface EditRequest {
  title: string;
  text: string;
  summary: string;
  /** The revision the new text replaces; absent to create the page. */
  base?: { id: number; timestamp: string };
  /** When the current text was read, so that a deletion since then is a conflict too. */
  readAt: string;
}

export type EditOutcome =
  /** `afterLostAnswer`: the answer to herald's edit was lost, and the page's latest revision shows the wiki saved it. */
  | { result: 'saved'; revisionId: number; afterLostAnswer?: true }
  | { result: 'nochange'; revisionId?: number }
  /** The page changed (or appeared, or was deleted) between reading and writing. */
  | { result: 'conflict'; code: string; info: string }
  /**
   * Somebody saved `otherRevisionId` between reading and writing, and the
   * wiki merged that edit with herald's (a three-way merge, as it does for
   * edits to different parts of a page) into `revisionId`: saved, but not
   * herald's text alone.
   */
  | { result: 'merged'; revisionId: number; otherRevisionId: number }
  /** The user may edit pages but not create them (`createpage`): no new page would fare better. */
  | { result: 'cannot-create'; info: string }
  /** An abuse filter disallowed the edit, or warned against it (herald does not send it again past a warning). */
  | { result: 'filtered'; filter: AbuseFilterMatch }
  /** The wiki would not save it: protection, missing rights, a captcha. */
  | { result: 'refused'; info: string };

/** Error codes of `action=edit` that mean somebody else got there first. */
const conflictCodes = new Set(['editconflict', 'articleexists', 'missingtitle', 'pagedeleted']);

const batchSize = 50;

export class MediaWikiClient {
  private readonly api: MediaWikiApi;
  private csrfToken: string | undefined;
  private credentials: { user: string; password: string } | undefined;
  /** The user name the wiki logged herald in as (`Carol` for the bot password `Carol@herald`). */
  userName: string | undefined;

  constructor(api: MediaWikiApi) {
    this.api = api;
  }

  /** Logs in with a bot password (`User@appid`) through `action=login`. */
  async login(user: string, password: string): Promise<void> {
    const tokens = await this.answerTo('the request for a login token', () => this.api.call({ action: 'query', meta: 'tokens', type: 'login' }));
    const loginToken = (tokens.query as { tokens?: { logintoken?: string } } | undefined)?.tokens?.logintoken;
    if (!loginToken) throw wikiError('wiki-api-error', 'The wiki gave no login token', this.api.url);
    const answer = await this.answerTo(`the login of ${user}`, () => this.api.call({ action: 'login', lgname: user, lgpassword: password, lgtoken: loginToken }));
    const login = answer.login as { result?: string; reason?: string; lgusername?: string } | undefined;
    if (login?.result !== 'Success') {
      if (isSessionLostLogin(login?.reason)) throw sessionLost(this.api.url, `it no longer knew the session of the login token it had just given (\u201c${login?.reason}\u201d)`);
      throw wikiError('wiki-login-failed', `The wiki refused the login of ${user}: ${login?.reason ?? login?.result ?? 'no reason given'}`, this.api.url);
    }
    this.credentials = { user, password };
    this.userName = login.lgusername ?? user.replace(/@[^@]*$/, '');
    this.csrfToken = undefined;
  }

  /**
   * The rights the groups of the user herald logged in as give it, whatever
   * the bot password's grants let it use (asked anonymously: within the
   * bot password's session the wiki lists only what its grants allow);
   * undefined before a login, or when the wiki will not say.
   */
  async groupRights(): Promise<Set<string> | undefined> {
    if (!this.userName) return undefined;
    try {
      const answer = await this.api.call({ action: 'query', list: 'users', ususers: this.userName, usprop: 'rights' }, { anonymous: true });
      const rights = (answer.query as { users?: { rights?: string[] }[] } | undefined)?.users?.[0]?.rights;
      return rights ? new Set(rights) : undefined;
    } catch (error) {
      // A wiki that visitors may not read refuses to say (readapidenied).
      if (error instanceof ApiError || (error instanceof HeraldError && error.messages[0]?.ruleId === 'wiki-permission-denied')) return undefined;
      throw error;
    }
  }

  /** The tags the wiki's parser knows, e.g. `syntaxhighlight`, `pre`, `nowiki`. */
  async extensionTags(): Promise<Set<string>> {
    const answer = await this.answerTo('the question which extensions it has', () => this.call({ action: 'query', meta: 'siteinfo', siprop: 'extensiontags' }));
    const tags = (answer.query as { extensiontags?: string[] } | undefined)?.extensiontags ?? [];
    return new Set(tags.map((tag) => tag.replace(/^<|>$/g, '').toLowerCase()));
  }

  /**
   * Reads pages with the text and author of their latest revision. Returns
   * them by the title asked for, and the wiki's clock at reading time.
   */
  async readPages(titles: readonly string[]): Promise<{ pages: Map<string, WikiPage>; readAt: string }> {
    const pages = new Map<string, WikiPage>();
    let readAt = '';
    for (let start = 0; start < titles.length; start += batchSize) {
      const batch = titles.slice(start, start + batchSize);
      const read = await this.readBatch(batch);
      readAt ||= read.readAt;
      for (const asked of batch) {
        const title = read.canonical.get(asked) ?? asked;
        const page = read.byTitle.get(title);
        if (!page || page.invalid) {
          throw wikiError('wiki-api-error', `The wiki does not accept "${asked}" as a page name${page?.invalidreason ? `: ${page.invalidreason}` : ''}`, this.api.url);
        }
        const latest = page.revisions?.[0];
        pages.set(asked, {
          title,
          exists: !page.missing && latest !== undefined,
          ...(latest && !page.missing ? { revision: { ...revisionOf(latest), text: latest.slots?.main?.content ?? '' } } : {}),
        });
      }
    }
    return { pages, readAt };
  }

  /**
   * One query for up to 50 pages, continued until the wiki has sent every
   * page's revision: it sends at most $wgAPIMaxResultSize (8 MiB) at once,
   * and lists the pages it had no room for without their revision.
   */
  private async readBatch(batch: readonly string[]) {
    const canonical = new Map<string, string>();
    const byTitle = new Map<string, PageAnswer>();
    let readAt = '';
    let next: Record<string, unknown> | undefined = {};
    for (let round = 0; next; round += 1) {
      // Each part brings one page's revision at least: a wiki that goes on beyond that is broken.
      if (round > batch.length) throw wikiError('wiki-api-error', `The wiki at ${this.api.url} kept continuing its answer to the reading of ${batch.length} pages from "${batch[0]}" beyond one part per page`, this.api.url);
      const continued: Record<string, unknown> = next;
      const answer = await this.answerTo(`the reading of ${batch.length === 1 ? `"${batch[0]}"` : `${batch.length} pages from "${batch[0]}"`}`, () =>
        this.call({
          action: 'query',
          prop: 'revisions',
          rvprop: 'ids|timestamp|user|comment|content',
          rvslots: 'main',
          titles: batch.join('|'),
          curtimestamp: true,
          ...Object.fromEntries(Object.entries(continued).map(([key, value]) => [key, String(value)])),
        }),
      );
      readAt ||= String(answer.curtimestamp ?? '');
      const query = (answer.query ?? {}) as { normalized?: { from: string; to: string }[]; pages?: PageAnswer[] };
      for (const entry of query.normalized ?? []) canonical.set(entry.from, entry.to);
      for (const page of query.pages ?? []) {
        const known = byTitle.get(page.title);
        if (!known || (!known.revisions?.length && page.revisions?.length)) byTitle.set(page.title, page);
      }
      next = answer.continue as Record<string, unknown> | undefined;
    }
    return { canonical, byTitle, readAt };
  }

  /** A page's latest revision with its text and parent; undefined when the page does not exist. */
  private async latestRevision(title: string): Promise<LatestRevision | undefined> {
    const answer = await this.answerTo(`the reading of "${title}"`, () =>
      this.call({ action: 'query', prop: 'revisions', titles: title, rvprop: 'ids|timestamp|user|comment|content', rvslots: 'main' }),
    );
    const latest = (answer.query as { pages?: PageAnswer[] } | undefined)?.pages?.[0]?.revisions?.[0];
    return latest && { ...revisionOf(latest), parentId: latest.parentid ?? 0, text: latest.slots?.main?.content ?? '' };
  }

  /**
   * The first revision of a page after `revisionId` that `mine` does not
   * claim, oldest first (the history's first 50 are enough to find it);
   * undefined when there is none, or the history cannot be read from there
   * (that revision was deleted).
   */
  async firstRevisionAfter(title: string, revisionId: number, mine: (revision: WikiRevision) => boolean): Promise<WikiRevision | undefined> {
    let answer;
    try {
      answer = await this.call({ action: 'query', prop: 'revisions', titles: title, rvprop: 'ids|timestamp|user|comment', rvstartid: revisionId, rvdir: 'newer', rvlimit: 50 });
    } catch (error) {
      if (error instanceof ApiError) return undefined;
      throw error;
    }
    const revisions = (answer.query as { pages?: { revisions?: RevisionAnswer[] }[] } | undefined)?.pages?.[0]?.revisions ?? [];
    return revisions.map(revisionOf).find((revision) => revision.id !== revisionId && !mine(revision));
  }

  /**
   * Saves a page. Creating uses `createonly` and updating `nocreate` plus the
   * base revision, so a page created, changed or deleted by someone else in
   * the meantime comes back as a conflict instead of being overwritten.
   * An edit whose answer was lost, sent again and refused so (or taken for
   * no change), is `saved` when the page's latest revision is that lost
   * edit (`lost-edit.ts`): herald's own, not somebody else's.
   */
  async edit(request: EditRequest): Promise<EditOutcome> {
    const sent = { lost: false };
    const outcome = await this.sendAndRead(request, sent);
    if (!sent.lost || !(outcome.result === 'nochange' || (outcome.result === 'conflict' && lostEditConflictCodes.has(outcome.code)))) return outcome;
    // The edit sent again found the page holding herald's text: the lost one may have been saved.
    const latest = await this.latestRevision(request.title);
    if (latest && isLostEditSaved(latest, { text: request.text, summary: request.summary, ...(request.base ? { baseId: request.base.id } : {}) }, this.credentials!.user)) {
      return { result: 'saved', revisionId: latest.id, afterLostAnswer: true };
    }
    return outcome;
  }

  /** Sends an edit (`sendEdit`) and reads the wiki's answer; `sent.lost` says whether an answer to it was lost on the way. */
  private async sendAndRead(request: EditRequest, sent: { lost: boolean }): Promise<EditOutcome> {
    const params = {
      action: 'edit',
      title: request.title,
      text: request.text,
      summary: request.summary,
      bot: true,
      assert: 'user',
      md5: createHash('md5').update(request.text, 'utf8').digest('hex'),
      starttimestamp: request.readAt || undefined,
      ...(request.base ? { baserevid: request.base.id, basetimestamp: request.base.timestamp, nocreate: true } : { createonly: true }),
    };
    try {
      const answer = await this.sendEdit(request.title, params, sent);
      const edit = answer.edit as { result?: string; nochange?: boolean; newrevid?: number; oldrevid?: number } | undefined;
      if (edit?.result !== 'Success') return { result: 'refused', info: JSON.stringify(edit ?? answer) };
      if (edit.nochange) return { result: 'nochange', ...(request.base ? { revisionId: request.base.id } : {}) };
      // The revision the wiki saved over is not the one herald read: someone else's edit came in between and was merged.
      if (request.base && edit.oldrevid !== undefined && edit.oldrevid !== request.base.id) {
        return { result: 'merged', revisionId: Number(edit.newrevid), otherRevisionId: edit.oldrevid };
      }
      return { result: 'saved', revisionId: Number(edit.newrevid) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (conflictCodes.has(error.code)) return { result: 'conflict', code: error.code, info: error.message };
      if (cannotCreateCodes.has(error.code)) return { result: 'cannot-create', info: error.info };
      const filter = abuseFilterMatch(error);
      if (filter) return { result: 'filtered', filter };
      return { result: 'refused', info: error.message };
    }
  }

  /**
   * Sends an edit; one whose answer was lost, which the wiki may have acted
   * on, is sent again only in a new session (a new login): AbuseFilter warns
   * once per session, and the same edit sent again in the same session
   * would pass a warning given to the lost attempt, which nobody saw.
   */
  private async sendEdit(title: string, params: Record<string, string | number | boolean | undefined>, lost: { lost: boolean }) {
    // One budget for every sending: the backoff goes on from where the lost one left it, and `retries` counts them all.
    const budget = newRetryBudget();
    for (;;) {
      try {
        return await this.call({ ...params, token: await this.token() }, { resendBlind: false, budget });
      } catch (error) {
        if (!(error instanceof AnswerLost)) throw error;
        lost.lost = true;
        if (!this.credentials) throw wikiError('wiki-unreachable', `The wiki at ${this.api.url} did not answer the edit of "${title}": ${error.message}`, this.api.url);
        this.api.forgetSession();
        await this.login(this.credentials.user, this.credentials.password);
      }
    }
  }

  private async token(): Promise<string> {
    if (!this.csrfToken) {
      const answer = await this.answerTo('the request for an edit token', () => this.api.call({ action: 'query', meta: 'tokens', type: 'csrf' }));
      this.csrfToken = (answer.query as { tokens?: { csrftoken?: string } } | undefined)?.tokens?.csrftoken;
      if (!this.csrfToken) throw wikiError('wiki-api-error', 'The wiki gave no edit token', this.api.url);
    }
    return this.csrfToken;
  }

  /**
   * The answer of a request herald cannot go on without: an error answer
   * (a wiki broken behind its API answers every request with one) is the
   * located `wiki-api-error`, never an `ApiError` for the CLI to print as a bug.
   */
  private async answerTo<T>(asked: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof ApiError) throw unexpectedAnswer(error, asked, this.api.url);
      throw error;
    }
  }

  /**
   * One API call; a session the wiki forgot (`badtoken`, `assertuserfailed`,
   * e.g. after its session store was cleared) is renewed once by logging in
   * again. A wiki that forgets the new session too (its session store keeps
   * nothing, or the cookie does not reach it) would fail every page so:
   * `wiki-session-lost` stops the push.
   */
  private async call(params: Record<string, string | number | boolean | undefined>, options: { resendBlind?: boolean; budget?: RetryBudget } = {}) {
    try {
      return await this.api.call(params, options);
    } catch (error) {
      if (!(error instanceof ApiError) || !sessionCodes.has(error.code) || !this.credentials) throw error;
      await this.login(this.credentials.user, this.credentials.password);
      try {
        return await this.api.call('token' in params ? { ...params, token: await this.token() } : params, options);
      } catch (again) {
        if (!(again instanceof ApiError) || !sessionCodes.has(again.code)) throw again;
        throw sessionLost(this.api.url, `herald logged in again after ${error.code}, and the wiki refused the very next request (action=${String(params.action)}) with ${again.code} (${again.info})`);
      }
    }
  }
}
