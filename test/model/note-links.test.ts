/**
 * Links between notes, written as GitHub shows the repository (by file):
 * every output links the advisory's page, and the checks across notes
 * refuse a file that is no note's, with or without the build cache.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintWithCache } from '../../src/build/cached-lint.ts';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { loadNotes } from '../../src/model/load.ts';
import { advisoryPageName, advisoryPageOfUrl } from '../../src/render/wiki/page-name.ts';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const now = new Date('2026-01-15T12:00:00Z');
const temporary = temporaryFolders();

function note(id: string, discussion: string, extra: string[] = []): string {
  return ['---', `id: ${id}`, `title: Note ${id}`, 'date: 2014-03-18', 'status: published', ...extra, '---', '', '## Summary', 'Something.', '', '## Affected Services / Software', 'Nova.', '', '## Discussion', discussion, '', '## Recommended Actions', 'Upgrade.', '', '## Contacts / References', 'Nobody.', ''].join('\n');
}

const linking = [
  'See [the first](OSSN-0002.md#update-1) and [the second][second],',
  'the [post](2014-04-10-heartbleed-tips.md), [a page](https://example.org/x.md)',
  'and [this section](#discussion); `OSSN-0002.md` in code is no link.',
  'Its [discussion](OSSN-0002.md#discussion), [top](OSSN-0002.md#top).',
  '',
  '[second]: ../notes/OSSN-0003.md',
].join('\n');

/** Front matter that gives a note's page the id update-1. */
const revised = ['revisions:', '  - date: 2014-03-20', '    summary: Fixed.'];

const linkLines = (stdout: string) => stdout.split('\n').filter((line) => / link-/.test(line));

async function repository(files: Record<string, string>): Promise<string> {
  const dir = await temporary('herald-note-links-');
  await mkdir(path.join(dir, 'notes'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'notes', name), text);
  return dir;
}

describe('a link to another note by its file', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await repository({
      'OSSN-0001.md': note('OSSN-0001', linking),
      'OSSN-0002.md': note('OSSN-0002', 'Details.', revised),
      'OSSN-0003.md': note('OSSN-0003', 'Details.'),
      '2014-04-10-heartbleed-tips.md': '---\ntitle: Tips\n---\nText.\n',
    });
  });

  it('is recorded with its place, and leads to the advisory page in every output', async () => {
    const { advisories, messages } = await loadNotes(['notes'], { config: defaultConfig(), now, cwd: dir });
    expect(messages.filter((m) => m.ruleId.startsWith('link-'))).toEqual([]);
    const first = advisories.find((a) => a.id === 'OSSN-0001')!;
    expect(first.noteLinks).toEqual([
      { target: 'notes/OSSN-0002.md', slug: 'OSSN-0002', fragment: 'update-1', line: 15, column: 17 },
      { target: 'notes/2014-04-10-heartbleed-tips.md', slug: 'heartbleed-tips', line: 16, column: 12 },
      { target: 'notes/OSSN-0002.md', slug: 'OSSN-0002', fragment: 'discussion', line: 18, column: 18 },
      { target: 'notes/OSSN-0002.md', slug: 'OSSN-0002', fragment: 'top', line: 18, column: 50 },
      { target: 'notes/OSSN-0003.md', slug: 'OSSN-0003', line: 20, column: 11 },
    ]);
    const files = renderAdvisories(advisories, { config: defaultConfig(), now, preview: false });
    const text = (file: string) => String(files.find((f) => f.path === file)!.contents);
    const page = text('site/advisories/OSSN-0001/index.html');
    expect(page).toContain('<a href="/advisories/OSSN-0002/#update-1">the first</a>');
    // A link to another note's heading leads to the heading's id on its page; to an id the page gives itself, to that id.
    expect(page).toContain('<a href="/advisories/OSSN-0002/#section-discussion">discussion</a>');
    expect(page).toContain('<a href="/advisories/OSSN-0002/#top">top</a>');
    expect(page).toContain('<a href="/advisories/OSSN-0003/">the second</a>');
    expect(page).toContain('<a href="/advisories/heartbleed-tips/">post</a>');
    expect(page).toContain('<a href="https://example.org/x.md"');
    expect(page).toContain('<code>OSSN-0002.md</code>');
    // A link to a heading of the note leads to it, on the page and on the wiki.
    expect(page).toContain('<a href="#section-discussion">this section</a>');
    expect(page).toContain('<h2 id="section-discussion">Discussion</h2>');
    const mail = text('mail/OSSN-0001.eml').replace(/\r?\n/g, ' ');
    const withHtml = { ...defaultConfig(), mail: { ...defaultConfig().mail, html_alternative: true } };
    const htmlMail = String(renderAdvisories(advisories, { config: withHtml, now, preview: false }).find((f) => f.path === 'mail/OSSN-0001.eml')!.contents);
    expect(htmlMail).toContain('<a href="https://security.example.org/advisories/OSSN-0002/#section-discussion">discussion</a>');
    expect(mail).toContain('the first <https://security.example.org/advisories/OSSN-0002/#update-1>');
    // The wiki links another advisory's page on the wiki.
    expect(text('wiki/OSSN-0001.wiki')).toContain(`[[${advisoryPageName({ id: 'OSSN-0003', slug: 'OSSN-0003', date: '' }, defaultConfig())}|the second]]`);
    expect(text('wiki/OSSN-0001.wiki')).toContain('[[#section-discussion|this section]]');
    // Another note's heading: the id its heading carries on that note's page, as on the site.
    expect(text('wiki/OSSN-0001.wiki')).toContain(`[[${advisoryPageName({ id: 'OSSN-0002', slug: 'OSSN-0002', date: '' }, defaultConfig())}#section-discussion|discussion]]`);
    expect(text('wiki/OSSN-0002.wiki')).toContain('== <span id="section-discussion"></span>Discussion ==');
  });
});

describe('a link to another advisory on the wiki', () => {
  const config = defaultConfig();
  const pages = 'https://security.example.org/advisories/';
  it('is a link to its wiki page, unless the page name needs a year the URL does not give', () => {
    const page = advisoryPageName({ id: 'OSSN-0003', slug: 'OSSN-0003', date: '' }, config);
    expect(advisoryPageOfUrl(`${pages}OSSN-0003/`, config, pages)).toBe(page);
    expect(advisoryPageOfUrl(`${pages}OSSN-0003/#update-1`, config, pages)).toBe(page);
    expect(advisoryPageOfUrl(`${pages}OSSN-0003/checklist.json`, config, pages)).toBeUndefined();
    expect(advisoryPageOfUrl('https://example.org/advisories/OSSN-0003/', config, pages)).toBeUndefined();
    expect(advisoryPageOfUrl(`${pages}OSSN-0003/`, { ...config, wiki: { ...config.wiki, page_name: 'Notes/{{year}}/{{id}}' } }, pages)).toBeUndefined();
  });
});

describe('the checks of links between notes', () => {
  const broken = ['[gone](OSSN-0040.md) [typo](OSSN-001.md)', '[draft](OSSN-0002.md)', '[new](OSSN-XXXX-new.md)', '[renamed post](2014-04-10-heartbleed-tips.md)', '[relative](policy.html)', "[the folder's README](README.md)"].join(',\n');
  let dir: string;

  beforeAll(async () => {
    dir = await repository({
      'OSSN-0001.md': note('OSSN-0001', broken),
      'OSSN-0002.md': note('OSSN-0002', 'Details.').replace('status: published', 'status: draft'),
      'OSSN-XXXX-new.md': note('OSSN-XXXX', 'Details.').replace('status: published', 'status: draft'),
      '2014-04-10-heartbleed-tips.md': '---\ntitle: Tips\nslug: tips\n---\nText.\n',
      // No note (herald never reads a README as one), and no front matter: the build says the link leads to no note, and so does lint.
      'README.md': '# Notes\n\nOne advisory per file.\n',
    });
  });

  const expected = [
    'notes/OSSN-0001.md:15:8  error  link-note-unknown  Link to notes/OSSN-0040.md: no note has that path',
    'notes/OSSN-0001.md:15:29  error  link-note-unknown  Link to notes/OSSN-001.md: no note has that path; did you mean OSSN-0001.md?',
    'notes/OSSN-0001.md:16:9  warning  link-note-private  Link to OSSN-0002 (notes/OSSN-0002.md), a draft: its page is not on the public site yet',
    'notes/OSSN-0001.md:17:7  error  link-note-unknown  Link to notes/OSSN-XXXX-new.md, a note without its id: herald assign-ids renames its file, and the link would lead nowhere',
    "notes/OSSN-0001.md:18:16  error  link-note-unknown  Link to notes/2014-04-10-heartbleed-tips.md leads to advisories/heartbleed-tips/, but that note's page is advisories/tips/",
    'notes/OSSN-0001.md:19:1  warning  link-relative  Link "policy.html" is relative: an email cannot follow it (the site and the wiki read it from the advisory\'s page)',
    'notes/OSSN-0001.md:20:23  error  link-note-unknown  Link to notes/README.md: no note has that path',
  ];

  it('report each broken link at its place, with or without the build cache, and for one file alone', async () => {
    const fresh = await runCli(['lint', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(fresh.code).toBe(1);
    expect(linkLines(fresh.stdout)).toEqual(expected);
    // The build records each note's links in its card; lint then reads the cards.
    await runCli(['build'], { cwd: dir, now: now.toISOString() });
    const cached = await runCli(['lint'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(cached.stdout)).toEqual(expected);
    const alone = await runCli(['lint', 'notes/OSSN-0001.md', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(alone.stdout)).toEqual(expected);
    // The build refuses what lint says.
    const build = await runCli(['build'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(build.stderr)).toEqual(expected);
  });

  it('let a draft link another draft', async () => {
    await writeFile(path.join(dir, 'notes', 'OSSN-0003.md'), note('OSSN-0003', '[draft](OSSN-0002.md)').replace('status: published', 'status: draft'));
    const result = await runCli(['lint', 'notes/OSSN-0003.md'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(result.stdout)).toEqual([]);
  });
});

describe('a link to a place in another note\u2019s page', () => {
  it('must name a heading of that note or an id of its page, in lint (with the cache, on workers, for one file) and in the build', async () => {
    const links = ['[a](OSSN-0002.md#discusion), [b](OSSN-0002.md#discussion), [c](OSSN-0002.md#update-1),', '[d](OSSN-0002.md#update-2), [e](OSSN-0002.md#top), [f](OSSN-0002.md#caf%C3%A9) [g](OSSN-0002.md#)'].join('\n');
    const dir = await repository({
      'OSSN-0001.md': note('OSSN-0001', links),
      'OSSN-0002.md': note('OSSN-0002', 'Details.\n\n### Café', revised),
    });
    const hint = "OSSN-0002's headings are #summary, #affected-services--software, #discussion, #café, #recommended-actions, #contacts--references.";
    const expected = [
      'notes/OSSN-0001.md:15:5  warning  link-anchor-unknown  Link to "notes/OSSN-0002.md#discusion" leads nowhere: no heading of OSSN-0002, nor the page around it, has that anchor; did you mean #discussion (the heading "Discussion")?',
      'notes/OSSN-0001.md:16:5  warning  link-anchor-unknown  Link to "notes/OSSN-0002.md#update-2" leads nowhere: no heading of OSSN-0002, nor the page around it, has that anchor',
    ];
    const fresh = await runCli(['lint', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(fresh.stdout)).toEqual(expected);
    expect(fresh.stdout).toContain(hint);
    const alone = await runCli(['lint', 'notes/OSSN-0001.md', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(alone.stdout)).toEqual(expected);
    const pooled = await lintWithCache(['notes'], { config: defaultConfig(), now, cwd: dir, cacheDir: null, workers: 1, poolFrom: 1 });
    expect(pooled.messages.filter((m) => m.ruleId === 'link-anchor-unknown').map((m) => `${m.file}:${m.line}:${m.column}`)).toEqual(['notes/OSSN-0001.md:15:5', 'notes/OSSN-0001.md:16:5']);
    const { messages } = await loadNotes(['notes'], { config: defaultConfig(), now, cwd: dir });
    expect(messages.filter((m) => m.ruleId === 'link-anchor-unknown')).toHaveLength(2);
    const build = await runCli(['build'], { cwd: dir, now: now.toISOString() });
    expect(build.code).toBe(0);
    expect(linkLines(build.stderr)).toEqual(expected);
    // From the build's cache: both notes unchanged, the linked one read again for its headings.
    const cached = await runCli(['lint'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(cached.stdout)).toEqual(expected);
    // The heading renamed: the link that led to it no longer does, the build says so, and so does lint after it.
    await writeFile(path.join(dir, 'notes', 'OSSN-0002.md'), note('OSSN-0002', 'Details.', revised).replace('## Discussion', '## Details'));
    const renamed = await runCli(['build'], { cwd: dir, now: now.toISOString() });
    expect(renamed.stderr).toContain('notes/OSSN-0001.md:15:34  warning  link-anchor-unknown  Link to "notes/OSSN-0002.md#discussion" leads nowhere');
    expect(linkLines((await runCli(['lint'], { cwd: dir, now: now.toISOString() })).stdout)).toEqual(linkLines(renamed.stderr));
  });
});

describe('a link to a heading by the id herald gives it (#section-discussion)', () => {
  it('is no unknown anchor, and leads to the heading on the site, in the mail and on the wiki', async () => {
    const links = 'Its [discussion](OSSN-0002.md#section-discussion), [ours](#section-discussion), [gone](#section-discusion).';
    const dir = await repository({ 'OSSN-0001.md': note('OSSN-0001', links), 'OSSN-0002.md': note('OSSN-0002', 'Details.') });
    const expected = ['notes/OSSN-0001.md:15:81  warning  link-anchor-unknown  Link to "#section-discusion" leads nowhere: no heading of this note, nor the page around it, has that anchor; did you mean #section-discussion (the heading "Discussion")?'];
    expect(linkLines((await runCli(['lint', '--no-cache'], { cwd: dir, now: now.toISOString() })).stdout)).toEqual(expected);
    const pooled = await lintWithCache(['notes'], { config: defaultConfig(), now, cwd: dir, cacheDir: null, workers: 1, poolFrom: 1 });
    expect(pooled.messages.filter((m) => m.ruleId.startsWith('link-')).map((m) => `${m.file}:${m.line}:${m.column}`)).toEqual(['notes/OSSN-0001.md:15:81']);
    await runCli(['build'], { cwd: dir, now: now.toISOString() });
    expect(linkLines((await runCli(['lint'], { cwd: dir, now: now.toISOString() })).stdout)).toEqual(expected);
    const { advisories } = await loadNotes(['notes'], { config: defaultConfig(), now, cwd: dir });
    const withHtml = { ...defaultConfig(), mail: { ...defaultConfig().mail, html_alternative: true } };
    const files = renderAdvisories(advisories, { config: withHtml, now, preview: false });
    const text = (file: string) => String(files.find((f) => f.path === file)!.contents);
    const page = text('site/advisories/OSSN-0001/index.html');
    expect(page).toContain('<a href="/advisories/OSSN-0002/#section-discussion">discussion</a>');
    expect(page).toContain('<a href="#section-discussion">ours</a>');
    expect(page).toContain('<h2 id="section-discussion">Discussion</h2>');
    expect(page).not.toContain('section-section-');
    const htmlMail = text('mail/OSSN-0001.eml');
    expect(htmlMail).toContain('<a href="https://security.example.org/advisories/OSSN-0002/#section-discussion">discussion</a>');
    expect(htmlMail).toContain('<a href="#section-discussion">ours</a>');
    expect(htmlMail).toContain('id="section-discussion"');
    expect(htmlMail).not.toContain('section-section-');
    expect(text('wiki/OSSN-0001.wiki')).toContain('[[#section-discussion|ours]]');
    expect(text('wiki/OSSN-0001.wiki')).toContain(`[[${advisoryPageName({ id: 'OSSN-0002', slug: 'OSSN-0002', date: '' }, defaultConfig())}#section-discussion|discussion]]`);
  });
});

describe('a link from a note whose front matter fails its schema', () => {
  it('is checked all the same, in the same run as the schema error, with or without the workers', async () => {
    const dir = await repository({
      'OSSN-0001.md': note('OSSN-0001', '[gone](OSSN-0040.md), [ok](OSSN-0002.md)').replace('date: 2014-03-18', 'date: 2014-13-45'),
      'OSSN-0002.md': note('OSSN-0002', 'Details.'),
    });
    const expected = ['notes/OSSN-0001.md:15:8  error  link-note-unknown  Link to notes/OSSN-0040.md: no note has that path'];
    const fresh = await runCli(['lint', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(fresh.stdout).toContain('schema-type');
    expect(linkLines(fresh.stdout)).toEqual(expected);
    const alone = await runCli(['lint', 'notes/OSSN-0001.md', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(alone.stdout)).toEqual(expected);
    const pooled = await lintWithCache(['notes'], { config: defaultConfig(), now, cwd: dir, cacheDir: null, workers: 1, poolFrom: 1 });
    expect(pooled.messages.filter((m) => m.ruleId.startsWith('link-')).map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual(['notes/OSSN-0001.md:15:8 link-note-unknown']);
    const build = await runCli(['build', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(build.stderr)).toEqual(expected);
  });
});

describe('a link to a note file outside the notes folder', () => {
  it('leads to no note, for lint as for the build', async () => {
    const dir = await repository({ 'OSSN-0001.md': note('OSSN-0001', 'See [elsewhere](../docs/OSSN-0009.md).') });
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs', 'OSSN-0009.md'), note('OSSN-0009', 'Kept outside.'));
    // Said as what it most likely is: a note of a folder the build was not given.
    const expected = ['notes/OSSN-0001.md:15:17  error  link-note-unknown  Link to docs/OSSN-0009.md: no note the build reads (the build reads notes from notes/ and does not find this file there)'];
    const build = await runCli(['build', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(build.stderr)).toEqual(expected);
    const fresh = await runCli(['lint', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(fresh.stdout)).toEqual(expected);
    const alone = await runCli(['lint', 'notes/OSSN-0001.md', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(alone.stdout)).toEqual(expected);
    expect(alone.stdout).toContain('give lint and the build the folder that holds them (`--notes DIR`)');
    // With the notes folder the build reads named, a file in it is a note.
    const wider = await runCli(['lint', 'notes/OSSN-0001.md', '--no-cache', '--notes', '.'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(wider.stdout)).toEqual([]);
    const built = await runCli(['build', '--no-cache', '--notes', '.'], { cwd: dir, now: now.toISOString() });
    expect(linkLines(built.stderr)).toEqual([]);
  });
});
