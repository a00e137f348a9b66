/**
 * `herald wiki push` against a real MediaWiki that misbehaves, for real:
 * read-only mode ($wgReadOnly) before and during a push, a person's edit
 * between herald's read and its write (which MediaWiki merges), a session
 * store that forgets (once, or every session), a proxy dropping cookies, herald's
 * user blocked (wholly, by an autoblock, or from one page), a bot password that
 * may not edit, a rate limit, HTTP 429 with a Retry-After (from a proxy), an answer without end (and a page as long as
 * the wiki takes, which herald must still read), an edit saved whose answer is lost on the way back, and,
 * through a loopback proxy, an
 * API that answers every request with an error or with a login wall's HTML.
 * Each ends with a located error or a per-page result, never a stack trace
 * or the bot password, and a push run again afterwards finishes the job.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import { HeraldError } from '../../src/errors/message.ts';
import type { Advisory } from '../../src/model/types.ts';
import { MediaWikiApi } from '../../src/publish/wiki/api.ts';
import { MediaWikiClient } from '../../src/publish/wiki/client.ts';
import { advisoryPage, pushToWiki, type AdvisoryPage, type PushReport } from '../../src/publish/wiki/push.ts';
import { advisorySummary } from '../../src/publish/wiki/summary.ts';
import { advisoryPageName } from '../../src/render/wiki/index.ts';
import { missingTools } from '../support/system.ts';
import { mediawikiDir, type TestWiki } from './support/mediawiki.ts';
import { fixedNow, withWiki } from './support/notes.ts';
import type { Fault, FaultyProxy } from './support/proxy.ts';
import { startPushWorkspace, type PushWorkspace } from './support/workspace.ts';

const reason = missingTools('php', path.join(mediawikiDir, 'maintenance/install.php'));

describe.skipIf(!!reason)(`herald wiki push when the wiki misbehaves${reason ? ` (${reason})` : ''}`, () => {
  let workspace: PushWorkspace;
  let wiki: TestWiki;
  let work: string;
  let config: Config;
  let published: Advisory[];
  /** A proxy of its own for each test: the ledger keeps each API URL apart, so tests do not see each other's pages. */
  const proxy = () => workspace.proxy();

  const latestText = async (title: string) => (await workspace.latest(title))!.content;

  /** The first `count` advisories' pages, each with `mark` appended so that every push writes them. */
  const pagesMarked = (mark: string, count = 3): AdvisoryPage[] =>
    published.slice(0, count).map((advisory) => {
      const page = advisoryPage(advisory, config, fixedNow);
      return { ...page, text: `${page.text}\n\n${mark}\n` };
    });

  /**
   * Pushes `pages` through `url`; `pageName` (a `wiki.page_name`) keeps a test's pages apart from the
   * others', `as` pushes as another user than herald's bot.
   */
  const push = (
    url: string,
    pages: AdvisoryPage[],
    { pageName, as = wiki.bot, ...extra }: { force?: boolean; pageName?: string; as?: { user: string; password: string }; log?: (line: string) => void } = {},
  ): Promise<PushReport> =>
    pushToWiki({
      config: withWiki(config, { api_url: url, user: as.user, ...(pageName ? { page_name: pageName } : {}) }),
      pages,
      password: as.password,
      cwd: work,
      now: fixedNow,
      sleep: async () => {},
      ...extra,
    });

  const ledgerOf = async (url: string) => {
    const ledger = JSON.parse(await readFile(path.join(work, 'state/wiki-ledger.json'), 'utf8')) as { wikis: Record<string, Record<string, { revision_id: number }>> };
    return ledger.wikis[url] ?? {};
  };

  const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

  /** `herald wiki push` with the wiki at `url` (or these wiki settings), through a config file of its own. */
  const herald = (url: string | { api_url: string; page_name?: string; retries?: number }, ...args: string[]) =>
    workspace.herald({ retries: 0, ...(typeof url === 'string' ? { api_url: url } : url) }, wiki.bot.password, ...args);

  // The config's hookTimeout (3 min): installing MediaWiki runs php eight times, 45 s with the CPU loaded.
  beforeAll(async () => {
    ({ wiki, work, config, published } = workspace = await startPushWorkspace('faults'));
  });
  afterAll(() => workspace?.stop());

  describe('in read-only mode', () => {
    it('refuses the push at the login with wiki-read-only and the wiki\u2019s reason, no stack trace', async () => {
      await wiki.setReadOnly('Database maintenance until 14:00 UTC');
      try {
        const run = await herald(wiki.apiUrl);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`${wiki.apiUrl}:1:1  error  wiki-read-only  The wiki at ${wiki.apiUrl} is in read-only mode (\u201cDatabase maintenance until 14:00 UTC\u201d)`);
        expect(run.stderr).toContain('Run the push again once the wiki is writable');
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(run.stderr).not.toContain(wiki.bot.password);
      } finally {
        await wiki.setReadOnly(undefined);
      }
    });

    it('stops at the first edit it refuses, saying what was written, and a push run later finishes', async () => {
      const faulty = await proxy();
      expect((await push(faulty.url, pagesMarked('Before the maintenance.'))).pages.map((page) => page.action)).toEqual(['created', 'created', 'created']);

      let edits = 0;
      const seen = faulty.forms.length;
      faulty.before = async (params) => {
        if (params.get('action') === 'edit' && ++edits === 2) await wiki.setReadOnly('Database maintenance until 14:00 UTC');
        return undefined;
      };
      const error = await caught(push(faulty.url, pagesMarked('During the maintenance.')));
      faulty.before = undefined;
      await wiki.setReadOnly(undefined);
      expect(error).toBeInstanceOf(HeraldError);
      expect((error as HeraldError).messages).toEqual([expect.objectContaining({ ruleId: 'wiki-read-only', message: expect.stringContaining('Database maintenance until 14:00 UTC') })]);
      expect((error as HeraldError).outcome).toMatch(/^the push stopped after 1 page\(s\) \(1 written, 0 unchanged, 0 in conflict or failed\); what it wrote is in the ledger/);
      // One edit refused, and no other tried.
      expect(faulty.forms.slice(seen).filter((form) => form.get('action') === 'edit')).toHaveLength(2);
      const titles = published.slice(0, 3).map((advisory) => advisoryPageName(advisory, config));
      expect(await latestText(titles[0]!)).toContain('During the maintenance.');
      expect(await latestText(titles[1]!)).toContain('Before the maintenance.');

      const again = await push(faulty.url, pagesMarked('During the maintenance.'));
      expect(again.pages.map((page) => page.action)).toEqual(['unchanged', 'updated', 'updated']);
    });
  });

  describe('forgetting sessions', () => {
    it('logs in again when the wiki forgot the session once, and goes on', async () => {
      const faulty = await proxy();
      const pageName = 'Forgot once/{{id}}';
      expect((await push(faulty.url, pagesMarked('First.'), { pageName })).pages.map((page) => page.action)).toEqual(['created', 'created', 'created']);
      let edits = 0;
      faulty.before = (params) => {
        if (params.get('action') === 'edit' && ++edits === 1) wiki.forgetSessions();
        return undefined;
      };
      expect((await push(faulty.url, pagesMarked('Second.'), { pageName })).pages.map((page) => page.action)).toEqual(['updated', 'updated', 'updated']);
      expect(faulty.forms.filter((form) => form.get('action') === 'login')).toHaveLength(3);
    });

    it('stops wiki-wide with wiki-session-lost when a new login does not stick, keeping the ledger right', async () => {
      const faulty = await proxy();
      const pageName = 'Forgets always/{{id}}';
      expect((await push(faulty.url, pagesMarked('Before.'), { pageName })).pages.map((page) => page.action)).toEqual(['created', 'created', 'created']);
      const recorded = await ledgerOf(faulty.url);

      // A session store that keeps nothing for long: every session is gone by the time an edit arrives.
      faulty.before = (params) => {
        if (params.get('action') === 'edit') wiki.forgetSessions();
        return undefined;
      };
      const seen = faulty.forms.length;
      const error = await caught(push(faulty.url, pagesMarked('After.'), { pageName }));
      faulty.before = undefined;
      expect(error).toBeInstanceOf(HeraldError);
      expect((error as HeraldError).messages).toEqual([
        expect.objectContaining({
          ruleId: 'wiki-session-lost',
          message: expect.stringMatching(/does not keep herald's session: herald logged in again after assertuserfailed, and the wiki refused the very next request \(action=edit\) with assertuserfailed .*the push stops here$/),
          hint: expect.stringContaining('$wgSessionCacheType'),
        }),
      ]);
      expect((error as HeraldError).outcome).toMatch(/^the push stopped after 0 page\(s\) \(0 written/);
      // The login, the read, then one page tried, once and once more after a new login; no other.
      expect(faulty.forms.slice(seen).map((form) => form.get('action'))).toEqual(['query', 'login', 'query', 'query', 'edit', 'query', 'login', 'query', 'edit']);
      expect(await ledgerOf(faulty.url)).toEqual(recorded);

      // Once the wiki keeps sessions again, the next push writes every page (none is taken for a hand edit).
      expect((await push(faulty.url, pagesMarked('After.'), { pageName })).pages.map((page) => page.action)).toEqual(['updated', 'updated', 'updated']);
    });

    it('is wiki-session-lost, not a wrong password, when a proxy drops the cookies, from the login or from half way', async () => {
      const faulty = await proxy();
      faulty.stripCookies = true;
      const run = await herald(faulty.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`error  wiki-session-lost  The wiki at ${faulty.url} does not keep herald's session: it no longer knew the session of the login token it had just given (\u201cUnable to continue login. Your session most likely timed out.\u201d)`);
      expect(run.stderr).toContain('Set-Cookie and Cookie headers');
      expect(run.stderr).not.toMatch(/wiki-login-failed|internal error|\n\s+at /);
      expect(run.stderr).not.toContain(wiki.bot.password);

      faulty.stripCookies = false;
      faulty.before = (params) => {
        if (params.get('action') === 'edit') faulty.stripCookies = true;
        return undefined;
      };
      const error = await caught(push(faulty.url, pagesMarked('Cookies dropped.'), { pageName: 'Cookies dropped/{{id}}' }));
      expect((error as HeraldError).messages).toEqual([expect.objectContaining({ ruleId: 'wiki-session-lost', message: expect.stringContaining('Unable to continue login') })]);
      expect((error as HeraldError).outcome).toMatch(/^the push stopped after 0 page\(s\)/);
    });
  });

  describe('refusing every page', () => {
    /** The actions of the requests `faulty` saw since `seen`, edits only. */
    const editsSince = (faulty: FaultyProxy, seen: number) => faulty.forms.slice(seen).filter((form) => form.get('action') === 'edit').length;

    it('stops at the first edit with wiki-blocked when herald\u2019s user is blocked, and goes on once it is not', async () => {
      const faulty = await proxy();
      const pageName = 'Blocked/{{id}}';
      expect((await push(faulty.url, pagesMarked('Before the block.'), { pageName })).pages.map((page) => page.action)).toEqual(['created', 'created', 'created']);
      wiki.setBlocked('Admin', true, 'Runaway bot');
      try {
        const seen = faulty.forms.length;
        const error = await caught(push(faulty.url, pagesMarked('During the block.'), { pageName }));
        expect((error as HeraldError).messages).toEqual([
          expect.objectContaining({
            ruleId: 'wiki-blocked',
            message: `The wiki at ${faulty.url} refuses every edit: herald\u2019s user is blocked (by Maintenance script, until infinite) (\u201cRunaway bot\u201d)`,
            hint: expect.stringContaining('Special:BlockList'),
          }),
        ]);
        expect((error as HeraldError).outcome).toMatch(/^the push stopped after 0 page\(s\)/);
        expect(editsSince(faulty, seen)).toBe(1);

        // Its autoblock refuses any other user editing from the same address.
        const autoblocked = await caught(push(faulty.url, pagesMarked('Autoblocked.'), { pageName: 'Autoblocked/{{id}}', as: wiki.human }));
        expect((autoblocked as HeraldError).messages).toEqual([
          expect.objectContaining({ ruleId: 'wiki-blocked', message: expect.stringContaining('the IP address herald connects from is blocked automatically, because a blocked user used it') }),
        ]);

        const run = await herald({ api_url: faulty.url, page_name: pageName });
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('error  wiki-blocked  ');
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      } finally {
        wiki.setBlocked('Admin', false);
      }
      expect((await push(faulty.url, pagesMarked('During the block.'), { pageName })).pages.map((page) => page.action)).toEqual(['updated', 'updated', 'updated']);
    });

    it('fails only the pages a partial block covers', async () => {
      const faulty = await proxy();
      const pageName = 'Partly blocked/{{id}}';
      const [first, second] = published.map((advisory) => advisoryPageName(advisory, withWiki(config, { page_name: pageName })));
      expect((await push(faulty.url, pagesMarked('Before.', 2), { pageName })).pages.map((page) => page.action)).toEqual(['created', 'created']);
      await wiki.blockFromPage('Alice', first!);
      const report = await push(faulty.url, pagesMarked('After.', 2), { pageName, as: wiki.human });
      expect(report.pages).toEqual([
        expect.objectContaining({ page: first, action: 'failed', reason: expect.stringContaining('blocked') }),
        expect.objectContaining({ page: second, action: 'updated' }),
      ]);
    });

    it('stops with wiki-permission-denied when the bot password may not edit', async () => {
      const faulty = await proxy();
      const seen = faulty.forms.length;
      const error = await caught(push(faulty.url, pagesMarked('Not allowed.'), { pageName: 'Not allowed/{{id}}', as: wiki.readOnlyBot }));
      expect((error as HeraldError).messages).toEqual([
        expect.objectContaining({ ruleId: 'wiki-permission-denied', message: expect.stringMatching(/refuses herald\u2019s user every edit \(permissiondenied: /), hint: expect.stringContaining('Special:BotPasswords') }),
      ]);
      expect(editsSince(faulty, seen)).toBe(1);
    });

    it('stops with wiki-rate-limited when the wiki keeps limiting herald after the retries', async () => {
      const faulty = await proxy();
      await wiki.setRateLimited(true);
      try {
        const seen = faulty.forms.length;
        const error = await caught(push(faulty.url, pagesMarked('Too fast.'), { pageName: 'Rate limited/{{id}}' }));
        expect((error as HeraldError).messages).toEqual([
          expect.objectContaining({ ruleId: 'wiki-rate-limited', message: expect.stringMatching(/kept refusing herald\u2019s requests as too many, up to action=edit of "Rate limited\/\S+": the wiki asked to wait \(ratelimited: .*\(after 6 attempts\)$/) }),
        ]);
        expect((error as HeraldError).outcome).toMatch(/^the push stopped after 1 page\(s\) \(1 written/);
        expect(editsSince(faulty, seen)).toBe(7);
      } finally {
        await wiki.setRateLimited(false);
      }
    });
  });

  describe('asking herald to wait (HTTP 429 with Retry-After, from a proxy in front of the wiki)', () => {
    it('does not count the waits asked for toward the 2 minutes it gives one request\u2019s answers', async () => {
      const faulty = await proxy();
      faulty.faults = ['429', '429', '429'];
      faulty.retryAfter = '2';
      // A limit of 4 s for the answers, and the real clock: three waits of 2 s would not fit in it. The four
      // answers (the last from MediaWiki itself) take a fraction of a second, but on a busy machine more than
      // the 0.5 s a limit of 1.5 s left them beside three waits of 1 s.
      const lines: string[] = [];
      const api = new MediaWikiApi({ url: faulty.url, maxlag: 5, retries: 5, deadlineMs: 4000, log: (line) => lines.push(line) });
      try {
        const answer = await api.call({ action: 'query', meta: 'siteinfo' });
        expect((answer.query as { general?: { sitename?: string } }).general?.sitename).toBe('HeraldTest');
      } finally {
        api.close();
      }
      expect(faulty.requests).toBe(4);
      expect(lines).toEqual(['herald: HTTP 429; retrying in 2 s (1/5)', 'herald: HTTP 429; retrying in 2 s (2/5)', 'herald: HTTP 429; retrying in 2 s (3/5)']);
    });

    it('waits as long as the wiki asks, saying how it goes every 30 s, and pushes the page', async () => {
      const faulty = await proxy();
      faulty.retryAfter = '60';
      let refused = 0;
      faulty.before = (params) => (params.get('action') === 'edit' && ++refused <= 5 ? '429' : undefined);
      const sleeps: number[] = [];
      const lines: string[] = [];
      const [page] = pagesMarked('Asked to wait.', 1);
      const title = advisoryPageName(page!.advisory, withWiki(config, { page_name: 'Asked to wait/{{id}}' }));
      const report = await pushToWiki({
        config: withWiki(config, { api_url: faulty.url, page_name: 'Asked to wait/{{id}}' }),
        pages: [page!],
        password: wiki.bot.password,
        cwd: work,
        now: fixedNow,
        sleep: async (ms) => void sleeps.push(ms),
        log: (line) => lines.push(line),
      });
      expect(report.pages).toEqual([expect.objectContaining({ page: title, action: 'created' })]);
      // Five minutes of waits, as asked: more than the 2 minutes for answers, within the 10 for waits.
      expect(sleeps).toEqual(Array(10).fill(30_000));
      // Not `includes('429')`: the proxy's port may hold those digits ("logging in to http://127.0.0.1:42931/…").
      const waits = lines.filter((line) => line.startsWith('herald: HTTP 429') || line.startsWith('herald: waiting'));
      expect(waits.slice(0, 2)).toEqual([
        'herald: HTTP 429; retrying in 60 s (1/5)',
        `herald: waiting 1 min as the wiki asked (HTTP 429) before sending action=edit of "${title}" again, 30 s so far (herald waits at most 10 min in all for one request; 30 s of it used)`,
      ]);
      expect(waits.at(-1)).toBe(
        `herald: waiting 1 min as the wiki asked (HTTP 429) before sending action=edit of "${title}" again, 30 s so far (herald waits at most 10 min in all for one request; 4 min 30 s of it used)`,
      );
      expect(waits).toHaveLength(10);
    });

    it('does not begin a wait that would pass the 10 minutes, and says what the wiki asked, as wiki-rate-limited', async () => {
      const faulty = await proxy();
      faulty.retryAfter = '300';
      faulty.before = () => '429';
      const sleeps: number[] = [];
      const api = new MediaWikiApi({ url: faulty.url, maxlag: 5, retries: 5, sleep: async (ms) => void sleeps.push(ms) });
      try {
        const error = await caught(api.call({ action: 'query', meta: 'siteinfo' }));
        expect((error as HeraldError).messages).toEqual([
          expect.objectContaining({
            ruleId: 'wiki-rate-limited',
            message: `The wiki at ${faulty.url} kept refusing herald\u2019s requests as too many, up to action=query: HTTP 429 (after 3 attempts; the wiki asked herald to wait 5 min more after waiting 10 min already, which would pass the 10 min herald waits in all for one request)`,
          }),
        ]);
      } finally {
        api.close();
      }
      expect(sleeps).toEqual(Array(20).fill(30_000));
    });

    it('waits as long as a Retry-After given as an HTTP-date asks, counted from the answer\u2019s Date', async () => {
      const faulty = await proxy();
      faulty.retryAfter = '90';
      faulty.retryAfterAsDate = true;
      faulty.faults = ['429'];
      const sleeps: number[] = [];
      const lines: string[] = [];
      const api = new MediaWikiApi({ url: faulty.url, maxlag: 5, retries: 5, sleep: async (ms) => void sleeps.push(ms), log: (line) => lines.push(line) });
      try {
        const answer = await api.call({ action: 'query', meta: 'siteinfo' });
        expect((answer.query as { general?: { sitename?: string } }).general?.sitename).toBe('HeraldTest');
      } finally {
        api.close();
      }
      expect(sleeps).toEqual([30_000, 30_000, 30_000]);
      expect(lines[0]).toBe('herald: HTTP 429; retrying in 90 s (1/5)');
    });

    it('is wiki-rate-limited with its hint, not wiki-unreachable, when HTTP 429 outlasts the retries', async () => {
      const faulty = await proxy();
      faulty.retryAfter = '0';
      faulty.before = (params) => (params.get('action') === 'edit' ? '429' : undefined);
      const run = await herald({ api_url: faulty.url, page_name: 'Too many/{{id}}', retries: 2 });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`${faulty.url}:1:1  error  wiki-rate-limited  The wiki at ${faulty.url} kept refusing herald\u2019s requests as too many, up to action=edit of "Too many/OSSN-\\d+": HTTP 429 \\(after 3 attempts\\)`));
      expect(run.stderr).toContain('HTTP 429 comes from the wiki\u2019s web server or a proxy');
      expect(run.stderr).toContain('the push stopped after 0 page(s)');
      expect(run.stderr).not.toMatch(/wiki-unreachable|internal error|\n\s+at /);
      expect(run.stderr).not.toContain(wiki.bot.password);
    });

    it('is wiki-lagged, naming wiki.maxlag, when the wiki refuses with maxlag past the retries', async () => {
      const faulty = await proxy();
      faulty.before = () => 'maxlag';
      const api = new MediaWikiApi({ url: faulty.url, maxlag: 5, retries: 2, sleep: async () => {} });
      try {
        const error = await caught(api.call({ action: 'query', meta: 'siteinfo' }));
        expect((error as HeraldError).messages).toEqual([
          expect.objectContaining({
            ruleId: 'wiki-lagged',
            message: `The wiki at ${faulty.url} kept asking herald to wait while its database replicas lag more than wiki.maxlag (5 s), up to action=query: the wiki asked to wait (maxlag: Waiting for 127.0.0.1: 7 seconds lagged.) (after 3 attempts)`,
            hint: expect.stringContaining('raise wiki.maxlag'),
          }),
        ]);
      } finally {
        api.close();
      }
    });
  });

  describe('an edit whose every answer is lost', () => {
    it('goes on with the backoff and the retries of its first sending in each new session, rather than start again', async () => {
      const faulty = await proxy();
      faulty.before = (params) => (params.get('action') === 'edit' ? 'drop' : undefined);
      const sleeps: number[] = [];
      const [page] = pagesMarked('Never answered.', 1);
      const pageName = 'Never answered/{{id}}';
      const title = advisoryPageName(page!.advisory, withWiki(config, { page_name: pageName }));
      const error = await caught(
        pushToWiki({
          config: withWiki(config, { api_url: faulty.url, page_name: pageName, retries: 3 }),
          pages: [page!],
          password: wiki.bot.password,
          cwd: work,
          now: fixedNow,
          sleep: async (ms) => void sleeps.push(ms),
        }),
      );
      // Sent four times in all (the first and three retries), each after a new login, waiting 1, 2 and 4 s between them.
      const actions = faulty.forms.map((form) => form.get('action'));
      expect(actions.filter((action) => action === 'edit')).toHaveLength(4);
      expect(actions.filter((action) => action === 'login')).toHaveLength(4);
      expect(sleeps).toEqual([1000, 2000, 4000]);
      expect((error as HeraldError).messages).toEqual([
        expect.objectContaining({
          ruleId: 'wiki-unreachable',
          message: expect.stringMatching(new RegExp(`^The wiki at \\S+ did not answer action=edit of "${title}": network error \\(\\w+\\) \\(after 4 attempts, each in a session of its own\\)$`)),
        }),
      ]);
    });
  });

  /** `page` made just under MediaWiki's default $wgMaxArticleSize (2048 KiB), the longest page it saves. */
  const asLongAsAllowed = (page: AdvisoryPage): AdvisoryPage => {
    const line = `${'A line of text repeated until the page is as long as the wiki takes. '.repeat(10)}\n\n`;
    return { ...page, text: page.text + line.repeat(Math.floor((2048 * 1024 - 4096 - Buffer.byteLength(page.text)) / line.length)) };
  };

  it('writes and reads back a page as long as the wiki takes, and stops reading an answer without end', async () => {
    const faulty = await proxy();
    const pageName = 'Long/{{id}}';
    const long = asLongAsAllowed(pagesMarked('Long.', 1)[0]!);
    expect(Buffer.byteLength(long.text)).toBeGreaterThan(2_000_000);
    expect((await push(faulty.url, [long], { pageName })).pages.map((result) => result.action)).toEqual(['created']);
    expect((await push(faulty.url, [long], { pageName })).pages.map((result) => result.action)).toEqual(['unchanged']);

    faulty.before = () => 'huge';
    const run = await herald(faulty.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error {2}wiki-answer-too-large {2}The wiki at \S+ sent an answer longer than 33554432 bytes/);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 120_000);

  it('reads every page of a batch longer than the wiki sends at once (8 MiB), continuing its answer', async () => {
    const faulty = await proxy();
    const pageName = 'Many long/{{id}}';
    const pages = pagesMarked('Many long.', 5).map(asLongAsAllowed);
    expect((await push(faulty.url, pages, { pageName })).pages.map((result) => result.action)).toEqual(Array(5).fill('created'));
    const seen = faulty.forms.length;
    // The fifth page did not fit in the first part of the answer: it was taken for a page deleted since herald wrote it.
    expect((await push(faulty.url, pages, { pageName })).pages.map((result) => result.action)).toEqual(Array(5).fill('unchanged'));
    expect(faulty.forms.slice(seen).filter((form) => form.get('prop') === 'revisions').length).toBeGreaterThan(1);
  }, 180_000);

  it('reports a person\u2019s edit saved between its read and its write, which the wiki merged, as a conflict, and keeps it on the next push', async () => {
    const faulty = await proxy();
    // An advisory of its own: the read-only tests wrote the first three pages, through other proxies.
    const advisory = published.at(-1)!;
    const first = advisoryPage(advisory, config, fixedNow);
    expect((await push(faulty.url, [first])).pages.map((page) => page.action)).toEqual(['created']);
    const title = advisoryPageName(advisory, config);

    // Alice adds a line at the end just before herald's edit (a change near the top) reaches the wiki.
    const alice = new MediaWikiClient(new MediaWikiApi({ url: wiki.apiUrl, maxlag: 5, retries: 0 }));
    await alice.login(wiki.human.user, wiki.human.password);
    faulty.before = async (params) => {
      if (params.get('action') !== 'edit') return undefined;
      faulty.before = undefined;
      const { pages } = await alice.readPages([title]);
      const { revision } = pages.get(title)!;
      // In the same second as herald's revision, MediaWiki would take Alice's edit for herald's own and save over it (said differently, below).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // Her summary is herald's own, prefix and all: herald knows its revisions by its account too, so it still names her.
      const saved = await alice.edit({ title, text: `${revision!.text}\n\nA line Alice added by hand.`, summary: advisorySummary(advisory, false), base: { id: revision!.id, timestamp: revision!.timestamp }, readAt: '' });
      expect(saved.result).toBe('saved');
      return undefined;
    };
    const changed = { ...first, text: first.text.replace(/^== .*Summary ==$/m, '$&\nA change herald makes.') };
    expect(changed.text).not.toBe(first.text);
    const report = await push(faulty.url, [changed]);
    expect(report.pages).toEqual([
      expect.objectContaining({ action: 'conflict', merged: true, reason: expect.stringMatching(/^revision \d+ was saved by someone else while herald was writing, and the wiki merged it with herald's edit into revision \d+/) }),
    ]);
    const merged = await latestText(title);
    expect(merged).toContain('A line Alice added by hand.');
    expect(merged).toContain('A change herald makes.');

    // The next push must not take the merged revision for herald's own and drop Alice's line, and names Alice, not herald's bot.
    const next = { ...changed, text: changed.text.replace('A change herald makes.', 'A second change herald makes.') };
    const [conflict] = (await push(faulty.url, [next])).pages;
    expect(conflict).toMatchObject({ action: 'conflict', reason: expect.stringMatching(/^edited on the wiki by Alice at \S+ \(revision \d+\) after herald wrote revision \d+; the latest revision, \d+, is herald's edit merged with it$/) });
    expect(await latestText(title)).toContain('A line Alice added by hand.');
    // Only --force overwrites it, as for any hand edit.
    expect((await push(faulty.url, [next], { force: true })).pages).toEqual([expect.objectContaining({ action: 'updated' })]);
  });

  describe('when the answer to an edit is lost on the way back', () => {
    /** Loses the answer to the first edit `faulty` passes on after this call. */
    const loseFirstEdit = (faulty: FaultyProxy) => {
      faulty.before = (params) => {
        if (params.get('action') !== 'edit') return undefined;
        faulty.before = undefined;
        return 'lose-answer';
      };
    };
    /**
     * Loses the answer to the next edit `faulty` passes on, and has Alice add a line to `title` before herald
     * sends that edit again; returns how many edits it saw.
     */
    const loseThenAliceEdits = async (faulty: FaultyProxy, title: string) => {
      const alice = new MediaWikiClient(new MediaWikiApi({ url: wiki.apiUrl, maxlag: 5, retries: 0 }));
      await alice.login(wiki.human.user, wiki.human.password);
      let edits = 0;
      faulty.before = async (params) => {
        if (params.get('action') !== 'edit') return undefined;
        edits += 1;
        if (edits === 1) return 'lose-answer';
        if (edits > 2) return undefined;
        const { revision } = (await alice.readPages([title])).pages.get(title)!;
        // In the same second as the revision herald read, MediaWiki would take Alice's edit for herald's own and save over it (see the merged edit above).
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect((await alice.edit({ title, text: `${revision!.text}\n\nA line Alice added.`, summary: 'hand edit', base: { id: revision!.id, timestamp: revision!.timestamp }, readAt: '' })).result).toBe('saved');
        return undefined;
      };
      return () => edits;
    };
    const editsOf = (faulty: FaultyProxy, seen: number) => faulty.forms.slice(seen).filter((form) => form.get('action') === 'edit').map((form) => form.get('title'));

    it('reports a page the lost create saved as created, and records it as herald\u2019s', async () => {
      const faulty = await proxy();
      const pageName = 'Lost create/{{id}}';
      const [page] = pagesMarked('Created once.', 1);
      const title = advisoryPageName(page!.advisory, withWiki(config, { page_name: pageName }));
      loseFirstEdit(faulty);
      const lines: string[] = [];
      const report = await push(faulty.url, [page!], { pageName, log: (line) => lines.push(line) });
      // Sent twice: once lost, once again in a new session, which the wiki refuses as the page now exists; then the page's latest revision read.
      expect(editsOf(faulty, 0)).toEqual([title, title]);
      expect(faulty.forms.map((form) => form.get('action'))).toEqual(['query', 'login', 'query', 'query', 'edit', 'query', 'login', 'query', 'edit', 'query']);
      const saved = await latestText(title);
      expect(saved).toContain('Created once.');
      expect(report.pages).toEqual([expect.objectContaining({ page: title, action: 'created', revisionId: expect.any(Number) })]);
      expect((await ledgerOf(faulty.url))[title]?.revision_id).toBe(report.pages[0]!.revisionId);
      expect(lines).toContain(`herald: the answer to the edit of ${title} was lost; the wiki had saved it as revision ${report.pages[0]!.revisionId}`);
      // The next push, with a change, updates it: no conflict with itself.
      const seen = faulty.forms.length;
      expect((await push(faulty.url, pagesMarked('Created, then changed.', 1), { pageName })).pages.map((result) => result.action)).toEqual(['updated']);
      expect(editsOf(faulty, seen)).toEqual([title]);
    });

    it('reports a page the lost update saved as updated, and records it as herald\u2019s', async () => {
      const faulty = await proxy();
      const pageName = 'Lost update/{{id}}';
      const [first] = pagesMarked('Before.', 1);
      const title = advisoryPageName(first!.advisory, withWiki(config, { page_name: pageName }));
      expect((await push(faulty.url, [first!], { pageName })).pages.map((result) => result.action)).toEqual(['created']);
      const before = (await ledgerOf(faulty.url))[title]!.revision_id;
      loseFirstEdit(faulty);
      const seen = faulty.forms.length;
      const report = await push(faulty.url, pagesMarked('After.', 1), { pageName });
      expect(editsOf(faulty, seen)).toEqual([title, title]);
      expect(await latestText(title)).toContain('After.');
      expect(report.pages).toEqual([expect.objectContaining({ page: title, action: 'updated', revisionId: expect.any(Number) })]);
      expect(report.pages[0]!.revisionId).toBeGreaterThan(before);
      expect((await ledgerOf(faulty.url))[title]?.revision_id).toBe(report.pages[0]!.revisionId);
      const again = faulty.forms.length;
      expect((await push(faulty.url, pagesMarked('After.', 1), { pageName })).pages.map((result) => result.action)).toEqual(['unchanged']);
      expect(editsOf(faulty, again)).toEqual([]);
    });

    it('keeps the conflict when the page holds another\u2019s edit by the time the create is sent again', async () => {
      const faulty = await proxy();
      const pageName = 'Lost create, then edited/{{id}}';
      const [page] = pagesMarked('Created once.', 1);
      const title = advisoryPageName(page!.advisory, withWiki(config, { page_name: pageName }));
      // Alice adds a line to the page herald's lost create made, before herald sends it again.
      const edits = await loseThenAliceEdits(faulty, title);
      const report = await push(faulty.url, [page!], { pageName });
      expect(edits()).toBe(2);
      expect(report.pages).toEqual([expect.objectContaining({ page: title, action: 'conflict', reason: expect.stringContaining('articleexists') })]);
      expect(await latestText(title)).toContain('A line Alice added.');
      expect((await ledgerOf(faulty.url))[title]).toBeUndefined();
    });

    it('does not take another\u2019s edit after the lost update for herald\u2019s, on this push or the next', async () => {
      const faulty = await proxy();
      const pageName = 'Lost update, then edited/{{id}}';
      const [first] = pagesMarked('Before.', 1);
      const title = advisoryPageName(first!.advisory, withWiki(config, { page_name: pageName }));
      expect((await push(faulty.url, [first!], { pageName })).pages.map((result) => result.action)).toEqual(['created']);
      const before = (await ledgerOf(faulty.url))[title]!.revision_id;
      const edits = await loseThenAliceEdits(faulty, title);
      const report = await push(faulty.url, pagesMarked('After.', 1), { pageName });
      expect(edits()).toBe(2);
      faulty.before = undefined;
      expect(report.pages).toEqual([expect.objectContaining({ page: title, action: 'conflict', reason: expect.stringContaining('editconflict') })]);
      expect((await ledgerOf(faulty.url))[title]?.revision_id).toBe(before);
      expect((await push(faulty.url, pagesMarked('After, changed.', 1), { pageName })).pages).toEqual([
        expect.objectContaining({ page: title, action: 'conflict', reason: expect.stringMatching(/^edited on the wiki by Alice /) }),
      ]);
      expect(await latestText(title)).toContain('A line Alice added.');
    });
  });

  describe.each<[string, Fault, RegExp]>([
    ['an error for every request (200 with {"error": …})', 'error', /wiki-api-error {2}The wiki at \S+ answered the request for a login token with the error internal_api_error_DBConnectionError: \[a1b2c3\] Exception caught: Cannot access the database/],
    ['a login wall\u2019s HTML page instead of JSON', 'html', /wiki-api-error {2}\S+ answered HTTP 200 with something other than JSON/],
  ])('answering %s', (_name, fault, expected) => {
    it('is a located wiki-api-error, never an internal error or the password', async () => {
      const faulty = await proxy();
      faulty.before = () => fault;
      const run = await herald(faulty.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(expected);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(run.stderr).not.toContain(wiki.bot.password);
      expect(faulty.requests).toBe(1);
    });
  });
});
