/**
 * `herald wiki push` against a real MediaWiki that refuses some pages and
 * not others: AbuseFilter (Debian's bundled extension, with filters that
 * disallow, warn against and tag edits of what bundled notes say), and
 * users that may edit pages but not create them (a group with `createpage`
 * revoked; a bot password without the grant "Create, edit, and move
 * pages"). Each refusal is a failed page with a stable id naming what to
 * do, and the other pages are still pushed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { MediaWikiApi } from '../../src/publish/wiki/api.ts';
import { MediaWikiClient } from '../../src/publish/wiki/client.ts';
import { advisoryPage, pushToWiki, type PushReport } from '../../src/publish/wiki/push.ts';
import { advisoryPageName } from '../../src/render/wiki/index.ts';
import { missingTools } from '../support/system.ts';
import { mediawikiDir, type TestWiki } from './support/mediawiki.ts';
import { fixedNow, withWiki } from './support/notes.ts';
import type { FaultyProxy } from './support/proxy.ts';
import { startPushWorkspace, type PushWorkspace } from './support/workspace.ts';

const reason = missingTools('php', path.join(mediawikiDir, 'maintenance/install.php'), path.join(mediawikiDir, 'extensions/AbuseFilter/extension.json'));

describe.skipIf(!!reason)(`herald wiki push when the wiki refuses some pages${reason ? ` (${reason})` : ''}`, () => {
  let workspace: PushWorkspace;
  let wiki: TestWiki;
  let config: Config;
  let published: Advisory[];
  const proxy = () => workspace.proxy();

  /** The titles of the edits `faulty` passed on since `seen`. */
  const editsSince = (faulty: FaultyProxy, seen: number) => faulty.forms.slice(seen).filter((form) => form.get('action') === 'edit').map((form) => form.get('title'));

  const advisory = (id: string) => published.find((candidate) => candidate.id === id)!;

  /** `herald wiki push --json` through `url`, as `as`, with the pages named by `pageName`. */
  const herald = (url: string, pageName: string, as: { user: string; password: string }, ...args: string[]) =>
    workspace.herald({ api_url: url, user: as.user, page_name: pageName }, as.password, ...args);

  const latest = (title: string) => workspace.latest(title);

  // The config's hookTimeout (3 min): installing MediaWiki runs php eight times, 45 s with the CPU loaded.
  beforeAll(async () => {
    ({ wiki, config, published } = workspace = await startPushWorkspace('refusals'));
  });
  afterAll(() => workspace?.stop());

  describe('with AbuseFilter', () => {
    it('fails the page a filter disallows and the page a filter warns against, each naming the filter, sends neither again, and pushes the others', async () => {
      const disallow = await wiki.addAbuseFilter({ pattern: 'added_lines contains "VENOM"', description: 'No named vulnerabilities in pages', actions: { disallow: true } });
      const warn = await wiki.addAbuseFilter({ pattern: 'added_lines contains "RabbitMQ"', description: 'Product names need a second look', actions: { warn: true } });
      const tag = await wiki.addAbuseFilter({ pattern: 'added_lines contains "WebSocket"', description: 'Pages about browsers', actions: { tag: 'herald-browser' } });
      try {
        const faulty = await proxy();
        const pageName = 'Filtered/{{id}}';
        const ids = ['OSSN-0007', 'OSSN-0005', 'OSSN-0006', 'OSSN-0003'];
        const title = (id: string) => advisoryPageName(advisory(id), withWiki(config, { page_name: pageName }));
        for (const attempt of [1, 2]) {
          const seen = faulty.forms.length;
          const run = await herald(faulty.url, pageName, wiki.bot, ...ids, '--json');
          expect(run.code, run.stderr).toBe(1);
          expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
          const report = JSON.parse(run.stdout) as PushReport;
          expect(report.pages).toEqual([
            {
              page: title('OSSN-0007'),
              advisory: 'OSSN-0007',
              action: 'failed',
              ruleId: 'wiki-abuse-filter',
              reason: `the wiki's abuse filter ${disallow} (\u201cNo named vulnerabilities in pages\u201d) disallows this edit: change what in the note the filter matches, or ask the wiki's administrators to change the filter (Special:AbuseFilter/${disallow}) so that this page passes`,
            },
            {
              page: title('OSSN-0005'),
              advisory: 'OSSN-0005',
              action: 'failed',
              ruleId: 'wiki-abuse-filter-warning',
              reason: expect.stringMatching(
                new RegExp(
                  `^the wiki's abuse filter ${warn} \\(\u201cProduct names need a second look\u201d\\) warns against this edit; the wiki would save it if sent again, but a warning is for a person to read, and herald does not send an edit again past it: check the page's text \\(herald wiki export OSSN-0005\\); if it is right, save it on the wiki by hand`,
                ),
              ),
            },
            expect.objectContaining({ page: title('OSSN-0006'), action: attempt === 1 ? 'created' : 'unchanged' }),
            expect.objectContaining({ page: title('OSSN-0003'), action: attempt === 1 ? 'created' : 'unchanged' }),
          ]);
          // Each refused page was sent once: a warning is never confirmed by sending the edit again.
          expect(editsSince(faulty, seen)).toEqual(attempt === 1 ? ids.map(title) : [title('OSSN-0007'), title('OSSN-0005')]);
        }
        expect(await latest(title('OSSN-0007'))).toBeUndefined();
        expect(await latest(title('OSSN-0005'))).toBeUndefined();
        expect((await latest(title('OSSN-0006')))!.tags).toEqual(['herald-browser']);

        const text = await herald(faulty.url, pageName, wiki.bot, ...ids);
        expect(text.stdout).toContain(`failed     ${title('OSSN-0007')}  (wiki-abuse-filter: the wiki's abuse filter ${disallow} (\u201cNo named vulnerabilities in pages\u201d) disallows this edit`);
        expect(text.stdout).toContain(`failed     ${title('OSSN-0005')}  (wiki-abuse-filter-warning: the wiki's abuse filter ${warn} (\u201cProduct names need a second look\u201d) warns against this edit`);

        // As the report advises: a person saves the page's text, confirming the warning (the wiki saves it the second time), and the next push takes it as herald's.
        const alice = new MediaWikiClient(new MediaWikiApi({ url: wiki.apiUrl, maxlag: 5, retries: 0 }));
        await alice.login(wiki.human.user, wiki.human.password);
        const byHand = { title: title('OSSN-0005'), text: advisoryPage(advisory('OSSN-0005'), config, fixedNow).text, summary: 'checked by hand', readAt: '' };
        expect(await alice.edit(byHand)).toMatchObject({ result: 'filtered', filter: { ruleId: 'wiki-abuse-filter-warning', id: String(warn) } });
        expect(await alice.edit(byHand)).toMatchObject({ result: 'saved' });
        const after = JSON.parse((await herald(faulty.url, pageName, wiki.bot, 'OSSN-0005', '--json')).stdout) as PushReport;
        expect(after.pages).toEqual([expect.objectContaining({ page: title('OSSN-0005'), action: 'unchanged' })]);

        // An edit whose answer (the warning) is lost on the way back is sent again in a new session, where the wiki warns again, never in the one it warned.
        const lost = await proxy();
        const lostTitle = advisoryPageName(advisory('OSSN-0005'), withWiki(config, { page_name: 'Lost answer/{{id}}' }));
        let edits = 0;
        lost.before = (params) => (params.get('action') === 'edit' && ++edits === 1 ? 'lose-answer' : undefined);
        const run = await herald(lost.url, 'Lost answer/{{id}}', wiki.bot, 'OSSN-0005', '--json');
        expect((JSON.parse(run.stdout) as PushReport).pages).toEqual([expect.objectContaining({ page: lostTitle, action: 'failed', ruleId: 'wiki-abuse-filter-warning' })]);
        expect(lost.forms.map((form) => form.get('action'))).toEqual(['query', 'login', 'query', 'query', 'edit', 'query', 'login', 'query', 'edit']);
        expect(await latest(lostTitle)).toBeUndefined();
      } finally {
        wiki.disableAbuseFilter(disallow);
        wiki.disableAbuseFilter(warn);
        wiki.disableAbuseFilter(tag);
      }
    }, 120_000);
  });

  describe('with a user that may edit pages but not create them', () => {
    /** Pushes OSSN-0007 and OSSN-0005 as herald's bot, then every page (three of them new, in between) as `as`, with a change to each. */
    async function pushAs(as: { user: string; password: string }, pageName: string) {
      const faulty = await proxy();
      const named = withWiki(config, { page_name: pageName });
      const pages = (mark: string) =>
        ['OSSN-0006', 'OSSN-0007', 'OSSN-0003', 'OSSN-0005', 'OSSN-0002'].map((id) => {
          const page = advisoryPage(advisory(id), config, fixedNow);
          return { ...page, text: `${page.text}\n\n${mark}\n` };
        });
      const push = (pushed: ReturnType<typeof pages>, user: { user: string; password: string }) =>
        pushToWiki({ config: withWiki(named, { api_url: faulty.url, user: user.user }), pages: pushed, password: user.password, cwd: workspace.work, now: fixedNow, sleep: async () => {} });
      const existing = pages('Before.').filter((page) => page.advisory.id === 'OSSN-0007' || page.advisory.id === 'OSSN-0005');
      expect((await push(existing, wiki.bot)).pages.map((page) => page.action)).toEqual(['created', 'created']);
      const seen = faulty.forms.length;
      const report = await push(pages('After.'), as);
      const title = (id: string) => advisoryPageName(advisory(id), named);
      return { report, title, edits: editsSince(faulty, seen) };
    }

    it('stops creating pages at the first refusal, still updates the existing ones, and says once that the user\u2019s groups lack createpage', async () => {
      const { report, title, edits } = await pushAs(wiki.noCreateUserBot, 'No create right/{{id}}');
      expect(report.pages).toEqual([
        {
          page: title('OSSN-0006'),
          advisory: 'OSSN-0006',
          action: 'failed',
          ruleId: 'wiki-cannot-create',
          reason:
            "herald's user may not create pages (the wiki said: You do not have permission to create new pages.): Carol's groups do not give it the right `createpage`: " +
            "ask the wiki's administrators to put Carol in a group with `createpage` (Special:UserRights/Carol; $wgGroupPermissions, and no $wgRevokePermissions of it), " +
            'and check that the bot password Carol@herald has the grant \u201cCreate, edit, and move pages\u201d (createeditmovepage); ' +
            'herald creates no other page in this push and still updates the existing ones; run the push again once it may',
        },
        expect.objectContaining({ page: title('OSSN-0007'), action: 'updated' }),
        { page: title('OSSN-0003'), advisory: 'OSSN-0003', action: 'failed', ruleId: 'wiki-cannot-create', reason: `not created: herald's user may not create pages (see ${title('OSSN-0006')} above), so herald did not try` },
        expect.objectContaining({ page: title('OSSN-0005'), action: 'updated' }),
        expect.objectContaining({ page: title('OSSN-0002'), action: 'failed', ruleId: 'wiki-cannot-create', reason: expect.stringMatching(/^not created: /) }),
      ]);
      // One new page tried, and the two existing ones.
      expect(edits).toEqual([title('OSSN-0006'), title('OSSN-0007'), title('OSSN-0005')]);
    });

    it('names the grant when the user has createpage and the bot password does not let it use it', async () => {
      const { report, title, edits } = await pushAs(wiki.editOnlyBot, 'No create grant/{{id}}');
      expect(report.pages.map((page) => page.action)).toEqual(['failed', 'updated', 'failed', 'updated', 'failed']);
      expect(report.pages[0]!.reason).toBe(
        "herald's user may not create pages (the wiki said: You do not have permission to create new pages.): Admin has the right `createpage`, " +
          'but the bot password Admin@editonly lacks the grant \u201cCreate, edit, and move pages\u201d (createeditmovepage) that lets it use that right: ' +
          'give the bot password Admin@editonly the grant \u201cCreate, edit, and move pages\u201d (createeditmovepage) (Special:BotPasswords/editonly, logged in as Admin); ' +
          'herald creates no other page in this push and still updates the existing ones; run the push again once it may',
      );
      expect(edits).toEqual([title('OSSN-0006'), title('OSSN-0007'), title('OSSN-0005')]);
    });
  });
});
