/**
 * `herald wiki push` against a real MediaWiki (Debian's package, SQLite,
 * `php -S` on loopback): the first push creates every page, the second
 * changes nothing, a page edited by hand is reported as a conflict and left
 * alone until --force, and MediaWiki's own parser reads each page back with
 * the note's headings, lists, code and links and nothing the note did not
 * ask for: no category, no template, no signature.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectForBuild } from '../../src/build/select.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { HeraldError } from '../../src/errors/message.ts';
import { loadNotes, parseNote } from '../../src/model/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import { MediaWikiApi } from '../../src/publish/wiki/api.ts';
import { MediaWikiClient } from '../../src/publish/wiki/client.ts';
import { sameWikiText } from '../../src/publish/wiki/plan.ts';
import { advisoryPage, pushToWiki, type PushReport } from '../../src/publish/wiki/push.ts';
import { absoluteUrl, advisoryPath } from '../../src/render/site/urls.ts';
import { advisoryPageName, indexPageName, renderWikiPage } from '../../src/render/wiki/index.ts';
import { advisoryPageOfUrl } from '../../src/render/wiki/page-name.ts';
import { missingTools } from '../support/system.ts';
import { runHerald } from './support/cli.ts';
import { mediawikiDir, pygmentize, startMediaWiki, type TestWiki } from './support/mediawiki.ts';
import { fixedNow, hostileAdvisories, renderPage, repoRoot, withWiki } from './support/notes.ts';
import { startFaultyProxy } from './support/proxy.ts';
import { decodeHtml, elements, expectedFrom, hostileLiterals, htmlText, sameTarget } from './support/read-back.ts';

const reason = missingTools('php', path.join(mediawikiDir, 'maintenance/install.php'), pygmentize);

interface ParsedPage {
  text: string;
  categories: unknown[];
  templates: unknown[];
  links: { ns: number; title: string }[];
  externallinks: string[];
  sections: { line: string }[];
}

describe.skipIf(!!reason)(`herald wiki push to a real MediaWiki${reason ? ` (${reason})` : ''}`, () => {
  let wiki: TestWiki;
  let work: string;
  let config: Config;
  let published: Advisory[];
  let env: NodeJS.ProcessEnv;
  const herald = (...args: string[]) => runHerald(['wiki', ...args], { cwd: work, env, now: fixedNow });

  async function api(params: Record<string, string>): Promise<Record<string, unknown>> {
    const response = await fetch(wiki.apiUrl, { method: 'POST', body: new URLSearchParams({ format: 'json', formatversion: '2', ...params }) });
    return (await response.json()) as Record<string, unknown>;
  }

  async function latest(title: string): Promise<{ revid: number; user: string; comment: string; content: string }> {
    const answer = await api({ action: 'query', prop: 'revisions', titles: title, rvprop: 'ids|user|comment|content', rvslots: 'main' });
    const page = (answer.query as { pages: { revisions?: { revid: number; user: string; comment: string; slots: { main: { content: string } } }[] }[] }).pages[0]!;
    const revision = page.revisions![0]!;
    return { revid: revision.revid, user: revision.user, comment: revision.comment, content: revision.slots.main.content };
  }

  async function parsed(params: Record<string, string>): Promise<ParsedPage> {
    const answer = await api({ action: 'parse', prop: 'text|categories|templates|links|externallinks|sections', disablelimitreport: '1', ...params });
    if (!answer.parse) throw new Error(`action=parse failed: ${JSON.stringify(answer)}`);
    return answer.parse as ParsedPage;
  }

  /** The page shows the note's headings, list items, code and links, and no category, template or internal link. */
  function checkReadBack(page: ParsedPage, advisory: Advisory) {
    const expected = expectedFrom(advisory.body, absoluteUrl(config, advisoryPath(advisory.slug)), (url) => advisoryPageOfUrl(url, config, absoluteUrl(config, 'advisories/')));
    const headings = page.sections.map((section) => htmlText(section.line).replace(/\s+/g, ' ').trim());
    for (const heading of expected.headings) expect(headings, `heading "${heading}"`).toContain(heading);
    expect(headings).toContain('Revision history');
    expect(elements(page.text, 'li').length).toBeGreaterThanOrEqual(expected.listItems);
    const code = elements(page.text, 'pre').map(htmlText).join('\n');
    for (const line of expected.codeLines) expect(code, `code line "${line}"`).toContain(line);
    for (const link of expected.links) expect(page.externallinks.some((href) => sameTarget(href, link)), `link to ${link}`).toBe(true);
    expect(page.categories).toEqual([]);
    expect(page.templates).toEqual([]);
    // Internal links only to other advisories' pages (a note linking another): hostile text makes none.
    expect([...new Set(page.links.map((link) => link.title))].sort()).toEqual([...new Set(expected.pages.map((page) => page.replace(/_/g, ' ')))].sort());
    // Each check has its anchor, and each step that names it links there.
    for (const entry of advisory.verify) expect(page.text, `anchor of ${entry.id}`).toContain(`id="check-${entry.id}"`);
    for (const id of new Set(advisory.steps.flatMap((step) => step.verify))) expect(page.text, `link to ${id}`).toContain(`href="#check-${id}"`);
  }

  async function writeConfig(file: string, wikiSection: Record<string, unknown>) {
    const base = parseYaml(await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(work, file), stringifyYaml({ ...base, wiki: { ...(base.wiki as object), ...wikiSection } }));
  }

  const byPage = (report: PushReport) => Object.fromEntries(report.pages.map((page) => [page.page, page]));

  beforeAll(async () => {
    wiki = await startMediaWiki();
    await wiki.setSyntaxHighlight(true);
    work = await mkdtemp(path.join(tmpdir(), 'herald-wiki-push-'));
    await cp(path.join(repoRoot, 'notes'), path.join(work, 'notes'), { recursive: true });
    await writeConfig('herald.config.yaml', { api_url: wiki.apiUrl, user: wiki.bot.user });
    config = await loadConfig(work);
    const loaded = await loadNotes(['notes'], { config, now: fixedNow, cwd: work });
    published = selectForBuild(loaded.advisories, fixedNow, false);
    env = { HERALD_WIKI_PASSWORD: wiki.bot.password };
  });

  afterAll(async () => {
    await wiki?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const pageOf = (advisory: Advisory) => advisoryPageName(advisory, config);
  const pageText = (advisory: Advisory) => renderWikiPage(advisory, { config, now: fixedNow, preview: false, all: published });
  let firstRevisions: Record<string, number | undefined>;

  it('creates every page and the index on the first push', async () => {
    const run = await herald('push', '--json');
    expect(run.stderr).not.toContain(wiki.bot.password);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as PushReport;
    expect(report.pages.map((page) => page.action)).toEqual(Array(published.length + 1).fill('created'));
    expect(report.pages.map((page) => page.page)).toEqual([...published.map(pageOf), indexPageName(config)]);
    firstRevisions = Object.fromEntries(report.pages.map((page) => [page.page, page.revisionId]));
    for (const advisory of published) {
      const revision = await latest(pageOf(advisory));
      expect(sameWikiText(revision.content, pageText(advisory)), `${pageOf(advisory)} holds exactly the rendered text`).toBe(true);
      expect(revision.user).toBe('Admin');
      expect(revision.comment).toContain(advisory.id);
      expect(revision.comment).toContain(advisory.revisions.length > 0 ? `UPDATE ${advisory.revisions.length}` : 'as first published');
    }
    const ledger = JSON.parse(await readFile(path.join(work, 'state/wiki-ledger.json'), 'utf8')) as { wikis: Record<string, Record<string, { revision_id: number }>> };
    expect(Object.keys(ledger.wikis[wiki.apiUrl]!)).toHaveLength(published.length + 1);
    // The wiki highlights every code block with a pygmentize process on the first save: slow on a busy machine.
  }, 240_000);

  it('reads back through MediaWiki with the note\u2019s structure and nothing more', async () => {
    for (const advisory of published) checkReadBack(await parsed({ page: pageOf(advisory) }), advisory);
    const index = await parsed({ page: indexPageName(config) });
    expect(index.categories).toEqual([]);
    expect(index.templates).toEqual([]);
    expect(index.links.map((link) => link.title).sort()).toEqual(published.map((a) => pageOf(a)).sort());
    // Newest first.
    const order = [...index.text.matchAll(/title="(OSSN\/[^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(published.map(pageOf));
  });

  it('changes nothing on a second push', async () => {
    const run = await herald('push', '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as PushReport;
    expect(report.pages.every((page) => page.action === 'unchanged')).toBe(true);
    expect(Object.fromEntries(report.pages.map((page) => [page.page, page.revisionId]))).toEqual(firstRevisions);
  });

  it('pushes a page named twice once', async () => {
    const [target] = published;
    const run = await herald('push', target!.id, target!.id, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as PushReport).pages).toEqual([expect.objectContaining({ page: pageOf(target!), action: 'unchanged' })]);
  });

  it('reports a page edited by hand as a conflict and leaves it untouched', async () => {
    const [target] = published;
    const title = pageOf(target!);
    const human = new MediaWikiClient(new MediaWikiApi({ url: wiki.apiUrl, maxlag: 5, retries: 0 }));
    await human.login(wiki.human.user, wiki.human.password);
    const before = await latest(title);
    const edited = await human.edit({ title, text: `${before.content}\n\nA note added by hand.`, summary: 'hand edit', base: { id: before.revid, timestamp: new Date().toISOString() }, readAt: '' });
    expect(edited.result).toBe('saved');
    const handRevision = await latest(title);

    const run = await herald('push');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^conflict\\s+${title.replace('/', '\\/')}\\s+revision ${handRevision.revid}\\s+\\(edited on the wiki by Alice`, 'm'));
    expect(run.stdout).toMatch(/page left as it is, --force overwrites it/);
    expect(run.stdout).toMatch(new RegExp(`${published.length + 1} page\\(s\\) on .*: ${published.length} unchanged, 1 conflict`));
    expect((await latest(title)).revid).toBe(handRevision.revid);
  });

  it('overwrites the hand edit with --force, saying so in the summary', async () => {
    const title = pageOf(published[0]!);
    const run = await herald('push', '--force', published[0]!.id);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^updated\\s+${title.replace('/', '\\/')}\\s+revision \\d+\\s+\\(overwrote revision \\d+ by Alice \\(--force\\)\\)`, 'm'));
    const revision = await latest(title);
    expect(revision.user).toBe('Admin');
    expect(revision.comment).toContain('--force');
    expect(sameWikiText(revision.content, pageText(published[0]!))).toBe(true);
  });

  it('updates only the page of a changed note, after a dry run that changes nothing', async () => {
    const target = published.at(-1)!;
    const file = path.join(work, target.source.path);
    await writeFile(file, (await readFile(file, 'utf8')).replace('## Summary\n', '## Summary\n\nClarified after publication.\n'));
    const title = pageOf(target);
    const before = await latest(title);

    const dry = await herald('push', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^would update\\s+${title.replace('/', '\\/')}`, 'm'));
    expect(dry.stdout).toContain('dry run: nothing was changed');
    expect((await latest(title)).revid).toBe(before.revid);

    const run = await herald('push', '--json', target.id);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as PushReport;
    expect(report.pages).toHaveLength(1);
    expect(byPage(report)[title]).toMatchObject({ action: 'updated', advisory: target.id });
    const after = await latest(title);
    expect(after.revid).toBeGreaterThan(before.revid);
    expect(after.content).toContain('Clarified after publication.');
  });

  it('treats a page herald has no record of writing as a hand edit', async () => {
    await unlink(path.join(work, 'state/wiki-ledger.json'));
    const target = published.at(-1)!;
    const file = path.join(work, target.source.path);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Clarified after publication.', 'Clarified twice.'));
    const run = await herald('push', '--json');
    expect(run.code).toBe(1);
    const pages = byPage(JSON.parse(run.stdout) as PushReport);
    expect(pages[pageOf(target)]).toMatchObject({ action: 'conflict' });
    expect(pages[pageOf(target)]!.reason).toMatch(/herald has no record of writing it; last edited by Admin/);
    expect(Object.values(pages).filter((page) => page.action === 'unchanged')).toHaveLength(published.length);
  });

  it('reports a page the wiki refuses to save as failed, and goes on with the others', async () => {
    const target = published[1]!;
    const file = path.join(work, target.source.path);
    await writeFile(file, (await readFile(file, 'utf8')).replace('## Summary\n', '## Summary\n\nProtected change.\n'));
    wiki.protect(pageOf(target));
    const run = await herald('push', '--json', target.id, published[2]!.id);
    expect(run.code).toBe(1);
    const pages = byPage(JSON.parse(run.stdout) as PushReport);
    expect(pages[pageOf(target)]).toMatchObject({ action: 'failed', reason: expect.stringContaining('protectedpage') });
    expect(pages[pageOf(published[2]!)]).toMatchObject({ action: 'unchanged' });
  });

  it('keeps hostile text as text on the wiki: no signature, category or template', async () => {
    const hostile = await hostileAdvisories(config);
    const report = await pushToWiki({ config, pages: hostile.map((advisory) => advisoryPage(advisory, config, fixedNow)), password: wiki.bot.password, cwd: work, now: fixedNow });
    expect(report.pages.map((page) => page.action)).toEqual(['created', 'created']);
    for (const advisory of hostile) {
      const title = pageOf(advisory);
      const stored = await latest(title);
      // The pre-save transform (signatures, subst:) changed nothing.
      expect(sameWikiText(stored.content, renderPage(advisory, config, hostile))).toBe(true);
      const page = await parsed({ page: title });
      checkReadBack(page, advisory);
      expect(page.text).not.toMatch(/<script|onclick=|onerror=|onmouseover=|javascript:/i);
      expect(page.text).not.toMatch(/title="User:/);
    }
    const note = await parsed({ page: pageOf(hostile.find((a) => a.kind === 'note')!) });
    for (const literal of hostileLiterals) expect(htmlText(note.text), literal).toContain(literal);
  });

  it('keeps hostile text as text with code written as <pre>', async () => {
    const hostile = await hostileAdvisories(config);
    const preConfig = withWiki(config, { code: 'pre' });
    for (const advisory of hostile) {
      const page = await parsed({ text: renderPage(advisory, preConfig, hostile), title: 'Preview', contentmodel: 'wikitext', pst: '1' });
      checkReadBack(page, advisory);
      expect(page.text).not.toContain('mw-highlight');
    }
  });

  it("leads each link to a heading, of the note or of another, to the id the heading has on the site, which MediaWiki keeps", async () => {
    const headings = ['Discussion', 'discussion', 'Discussion', 'Contacts / References', "Nova's `api-paste.ini`  x_y", 'A | B {{x}}', 'Überprüfung'];
    const links = ['#discussion', '#discussion-1', '#discussion-2', '#contacts--references', '#novas-api-pasteini--x_y', '#a--b-x', '#überprüfung', '#section-discussion-1'];
    const note = (id: string, more: string[]) => ['---', `id: ${id}`, 'title: Heading links', 'date: 2014-03-18', 'status: published', '---', '', '## Summary', '', ...more, ...headings.flatMap((heading) => [`## ${heading}`, '', 'Text.', ''])].join('\n');
    const other = parseNote('notes/OSSN-0902.md', note('OSSN-0902', []), { config, now: fixedNow }).advisory!;
    const { advisory } = parseNote('notes/OSSN-0901.md', note('OSSN-0901', [links.map((link, n) => `[to ${n}](${link})`).join(' '), '', '[to other](OSSN-0902.md#%C3%BCberpr%C3%BCfung)', '']), { config, now: fixedNow });
    const wikitext = renderPage(advisory!, config, [advisory!, other]);
    const page = await parsed({ text: wikitext, title: 'Preview', contentmodel: 'wikitext', pst: '1' });
    const otherPage = await parsed({ text: renderPage(other, config, [advisory!, other]), title: 'Preview', contentmodel: 'wikitext', pst: '1' });
    // MediaWiki writes an `_` in an attribute as `&#95;`.
    const unescape = (value: string) => decodeURIComponent(decodeHtml(value));
    const idsOf = (html: string) => new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => unescape(m[1]!)));
    const targets = [...page.text.matchAll(/<a href="#([^"]+)"[^>]*>to \d<\/a>/g)].map((m) => unescape(m[1]!));
    expect(targets).toEqual(['section-discussion', 'section-discussion-1', 'section-discussion-2', 'section-contacts--references', 'section-novas-api-pasteini--x_y', 'section-a--b-x', 'section-überprüfung', 'section-discussion-1']);
    const ids = idsOf(page.text);
    for (const target of targets) expect(ids, target).toContain(target);
    // MediaWiki's own anchors (the headings' text) stay, for its table of contents.
    expect(ids).toContain('Discussion_3');
    // The link to the other note's heading names its page and the heading's id there (a page the wiki lacks
    // is a red link, which MediaWiki writes without the fragment: the wikitext says it).
    expect(wikitext).toContain(`[[${advisoryPageName(other, config)}#section-überprüfung|to other]]`);
    expect(page.links.map((link) => link.title)).toContain(advisoryPageName(other, config).replace(/_/g, ' '));
    expect(idsOf(otherPage.text)).toContain('section-überprüfung');
  });

  it('refuses to write <syntaxhighlight> to a wiki without the extension', async () => {
    await wiki.setSyntaxHighlight(false);
    try {
      const run = await herald('push');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('wiki-not-configured');
      expect(run.stderr).toContain('wiki.code: pre');
      // The hint is about the extension, not the generic one about api_url and user.
      expect(run.stderr).toContain("enable the SyntaxHighlight extension (wfLoadExtension( 'SyntaxHighlight_GeSHi' )");
      expect(run.stderr).not.toContain('Set `wiki.api_url`');
    } finally {
      await wiki.setSyntaxHighlight(true);
    }
  });

  it('splits an index the wiki would refuse into a page per year, each of which it accepts', async () => {
    // The bundled index is 2.2 KB: over a limit of 2 KiB, and each year's page well under it. A new title makes every page differ from the wiki's.
    await wiki.setMaxArticleSize(2);
    try {
      const retitled = { ...config, site: { ...config.site, title: 'Example Cloud, index split by year' } };
      const pushIndex = (kib: number) => pushToWiki({ config: withWiki(retitled, { max_page_kib: kib }), pages: [], index: () => published, password: wiki.bot.password, cwd: work, now: fixedNow });
      const whole = await pushIndex(2048);
      expect(whole.pages).toEqual([expect.objectContaining({ page: indexPageName(config), action: 'failed', reason: expect.stringContaining('contenttoobig') })]);

      const split = await pushIndex(2);
      const years = [...new Set(published.map((advisory) => advisory.date.slice(0, 4)))];
      expect(split.pages.map((page) => [page.page, page.action])).toEqual([[indexPageName(config), 'updated'], ...years.map((year) => [`${indexPageName(config)}/${year}`, 'created'])]);
      const title = (page: string) => page.replace(/_/g, ' ');
      const index = await parsed({ page: indexPageName(config) });
      expect(index.links.map((link) => link.title).sort()).toEqual(years.map((year) => title(`${indexPageName(config)}/${year}`)).sort());
      for (const year of years) {
        const page = await parsed({ page: `${indexPageName(config)}/${year}` });
        const listed = published.filter((advisory) => advisory.date.startsWith(year)).map(pageOf);
        expect(page.links.map((link) => link.title).sort()).toEqual([title(indexPageName(config)), ...listed].sort());
        expect(page.templates).toEqual([]);
        expect(page.categories).toEqual([]);
      }
      expect((await pushIndex(2)).pages.every((page) => page.action === 'unchanged')).toBe(true);
    } finally {
      await wiki.setMaxArticleSize(undefined);
    }
  });

  it('reports a refused login without the password and without a stack trace', async () => {
    const run = await runHerald(['wiki', 'push'], { cwd: work, env: { HERALD_WIKI_PASSWORD: 'wrongpassword0123456789abcdefghij' }, now: fixedNow });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('wiki-login-failed');
    expect(run.stderr).not.toContain('wrongpassword');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // The journal opened to check the ledger can be written holds nothing: it is not left behind.
    expect(existsSync(path.join(work, 'state', 'wiki-ledger.json.journal'))).toBe(false);
  });

  it('retries after a 503, a maxlag refusal and a dropped connection', async () => {
    const proxy = await startFaultyProxy(wiki.apiUrl, ['503', 'maxlag', 'drop']);
    try {
      const lines: string[] = [];
      const waits: number[] = [];
      const report = await pushToWiki({
        config: withWiki(config, { api_url: proxy.url }),
        pages: [advisoryPage(published[0]!, config, fixedNow)],
        password: wiki.bot.password,
        cwd: work,
        now: fixedNow,
        log: (line) => lines.push(line),
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      expect(report.pages.map((page) => page.action)).toEqual(['unchanged']);
      expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(3);
      expect(lines.join('\n')).toMatch(/HTTP 503.*\n.*maxlag.*\n.*network error/);
      expect(waits).toEqual([0, 0, 4000]);
    } finally {
      await proxy.close();
    }
  });

  it('gives up with a located error when the wiki stays unreachable', async () => {
    const proxy = await startFaultyProxy(wiki.apiUrl, ['drop', 'drop', 'drop']);
    try {
      const attempt = pushToWiki({
        config: withWiki(config, { api_url: proxy.url, retries: 2 }),
        pages: [advisoryPage(published[0]!, config, fixedNow)],
        password: wiki.bot.password,
        cwd: work,
        now: fixedNow,
        sleep: async () => {},
      });
      await expect(attempt).rejects.toBeInstanceOf(HeraldError);
      await expect(attempt).rejects.toThrow(/wiki-unreachable.*after 3 attempts/);
    } finally {
      await proxy.close();
    }
  });
});
