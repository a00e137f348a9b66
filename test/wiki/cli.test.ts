/** `herald wiki export` and the checks `herald wiki push` makes before it talks to any wiki. */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editCachedRecord } from '../support/cache-index.ts';
import { runHerald } from './support/cli.ts';
import { fixedNow, fixturesDir, repoRoot } from './support/notes.ts';

const herald = (args: string[], env: NodeJS.ProcessEnv = {}) => runHerald(['wiki', ...args], { cwd: repoRoot, env, now: fixedNow });
const golden = (name: string) => readFile(path.join(fixturesDir, 'golden', 'notes', name), 'utf8');

describe('herald wiki', () => {
  it('has help for the command and each subcommand', async () => {
    for (const args of [['--help'], ['push', '--help'], ['export', '--help']]) {
      const run = await herald(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: herald wiki/);
    }
  });

  it('exports a page and the index exactly as the build writes them', async () => {
    const page = await herald(['export', 'OSSN-0002']);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout).toBe(await golden('OSSN-0002.wiki'));
    const index = await herald(['export']);
    expect(index.stdout).toBe(await golden('index.wiki'));
  });

  it('exports each page of an index split by year', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-split-'));
    try {
      await cp(path.join(repoRoot, 'notes'), path.join(dir, 'notes'), { recursive: true });
      const config = await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8');
      await writeFile(path.join(dir, 'herald.config.yaml'), config.replace(/^wiki:\n/m, 'wiki:\n  max_page_kib: 1\n'));
      const run = (args: string[]) => runHerald(['wiki', ...args], { cwd: dir, env: {}, now: fixedNow });
      const index = await run(['export']);
      expect(index.code, index.stderr).toBe(0);
      expect(index.stdout).toBe(await readFile(path.join(fixturesDir, 'golden', 'index-split', 'index.wiki'), 'utf8'));
      const year = await run(['export', '--year', '2014']);
      expect(year.code, year.stderr).toBe(0);
      expect(year.stdout).toBe(await readFile(path.join(fixturesDir, 'golden', 'index-split', 'index', '2014.wiki'), 'utf8'));
      const none = await run(['export', '--year', '1999']);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no page for 1999: the index has a page for each of 2015, 2014, 2013, 2011/);
      const both = await run(['export', 'OSSN-0002', '--year', '2014']);
      expect(both.code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says there are no year pages when the index fits on one page', async () => {
    const run = await herald(['export', '--year', '2014']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the index fits on one page (wiki.max_page_kib is 2048)');
  });

  it('says a --year that is not a year is a usage error (exit 2), before reading any note', async () => {
    const word = await herald(['export', '--year', 'abc']);
    expect(word.code).toBe(2);
    expect(word.stderr).toContain(`option '--year <year>' argument 'abc' is invalid. "abc" is not a number: expected a year, like 2014`);
    const short = await herald(['export', '--year', '14']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('expected a year of four digits, like 2014, got "14"');
  });

  it('exports a draft only as a private preview', async () => {
    const refused = await herald(['export', 'OSSN-XXXX']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is a draft, under embargo or without its id yet');
    const preview = await herald(['export', '--preview', 'OSSN-XXXX']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('PRIVATE PREVIEW');
  });

  it('names each note without its id after its file in a preview, as a preview build does', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-placeholders-'));
    try {
      await cp(path.join(repoRoot, 'notes'), path.join(dir, 'notes'), { recursive: true });
      await cp(path.join(repoRoot, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
      const draft = await readFile(path.join(dir, 'notes/OSSN-XXXX.md'), 'utf8');
      await writeFile(path.join(dir, 'notes/OSSN-XXXX-second.md'), draft.replace(/^title: .*$/m, 'title: A second draft'));
      const inDir = (args: string[]) => runHerald(['wiki', ...args], { cwd: dir, env: {}, now: fixedNow });
      const index = await inDir(['export', '--preview']);
      expect(index.code, index.stderr).toBe(0);
      expect(index.stdout).toContain('OSSN-XXXX-second');
      const page = await inDir(['export', '--preview', 'OSSN-XXXX-second']);
      expect(page.stdout).toContain('A second draft');
      const ambiguous = await inDir(['export', '--preview', 'OSSN-XXXX-third']);
      expect(ambiguous.stderr).toContain('No advisory OSSN-XXXX-third');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is a usage error to name an advisory that does not exist', async () => {
    const run = await herald(['push', 'OSSN-9999']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No advisory OSSN-9999');
    const lower = await herald(['export', 'ossn-0001']);
    expect(lower.code).toBe(2);
    expect(lower.stderr).toContain('No advisory ossn-0001 in the notes (did you mean OSSN-0001?)');
  });

  it('refuses to push without a configured wiki, user or password', async () => {
    const noWiki = await herald(['push']);
    expect(noWiki.code).toBe(1);
    expect(noWiki.stderr).toMatch(/error {2}wiki-not-configured {2}No wiki to push to/);

    const dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-cli-'));
    try {
      const base = await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8');
      const config = path.join(dir, 'herald.config.yaml');
      await writeFile(config, base.replace(/^wiki:\n/m, 'wiki:\n  api_url: http://127.0.0.1:9/api.php\n  user: Bot@herald\n'));
      const noPassword = await herald(['push', '-c', config]);
      expect(noPassword.code).toBe(1);
      expect(noPassword.stderr).toMatch(/error {2}wiki-password-missing {2}The environment variable HERALD_WIKI_PASSWORD/);
      // Located in the file given with -c, at its wiki section (password_env is left to its default).
      const wikiLine = (await readFile(config, 'utf8')).split('\n').indexOf('wiki:') + 1;
      expect(noPassword.stderr.split('\n').find((text) => text.includes('wiki-password-missing'))?.startsWith(`${config}:${wikiLine}:1 `)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a named note with errors, as herald send does, but not a page whose own note is sound; the index still needs every note sound', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-broken-'));
    try {
      await cp(path.join(repoRoot, 'notes'), path.join(dir, 'notes'), { recursive: true });
      await cp(path.join(repoRoot, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
      const note = path.join(dir, 'notes', 'OSSN-0003.md');
      await writeFile(note, (await readFile(note, 'utf8')).replace(/^title:.*$/m, 'title:'));
      const inDir = (args: string[]) => runHerald(['wiki', ...args], { cwd: dir, env: {}, now: fixedNow });
      const sound = await inDir(['export', 'OSSN-0002', '--no-cache']);
      expect(sound.code, sound.stderr).toBe(0);
      expect(sound.stdout).toBe(await golden('OSSN-0002.wiki'));
      for (const args of [['export', 'OSSN-0003'], ['push', 'OSSN-0002', 'OSSN-0003', '--dry-run'], ['export'], ['push', '--dry-run']]) {
        const refused = await inDir([...args, '--no-cache']);
        expect(refused.code, args.join(' ')).toBe(1);
        expect(refused.stderr).toMatch(/^notes\/OSSN-0003\.md:3:7 {2}error {2}schema-type/m);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync('/proc/self'))('refuses a wiki ledger it cannot write (under /proc) before it talks to the wiki, at wiki.ledger', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-ledger-'));
    try {
      const base = await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8');
      const config = path.join(dir, 'herald.config.yaml');
      for (const ledger of ['/proc/herald-no-such/wiki-ledger.json', '/proc/self/wiki-ledger.json']) {
        // Nothing listens on port 9: a push that got as far as the wiki would fail otherwise.
        await writeFile(config, base.replace(/^wiki:\n/m, `wiki:\n  api_url: http://127.0.0.1:9/api.php\n  user: Bot@herald\n  ledger: ${ledger}\n`));
        const run = await herald(['push', 'OSSN-0002', '-c', config], { HERALD_WIKI_PASSWORD: 'secret' });
        expect(run.code, ledger).toBe(1);
        const line = (await readFile(config, 'utf8')).split('\n').findIndex((text) => text.startsWith('  ledger:')) + 1;
        expect(run.stderr).toMatch(new RegExp(`^${config}:${line}:\\d+  error  wiki-ledger-unwritable  Cannot write the wiki ledger ${ledger} \\(its journal, ${ledger}\\.journal\\): no file can be made in that folder \\(as under /proc or /sys\\) \\(ENOENT\\); no page was pushed`, 'm'));
        expect(run.stderr).not.toMatch(/logging in|wiki-unreachable|internal error|\n\s+at /);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds a named advisory by the build cache, and reads that note alone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-cache-'));
    try {
      await cp(path.join(repoRoot, 'notes'), path.join(dir, 'notes'), { recursive: true });
      await cp(path.join(repoRoot, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
      const inDir = (args: string[]) => runHerald(['wiki', ...args], { cwd: dir, env: {}, now: fixedNow });
      expect((await runHerald(['build'], { cwd: dir, env: {}, now: fixedNow })).code).toBe(0);
      const page = await inDir(['export', 'OSSN-0002']);
      expect(page.stdout).toBe(await golden('OSSN-0002.wiki'));
      // An id only the cache gives the note: found by its card, the page made from the note itself.
      await editCachedRecord(path.join(dir, '.herald-cache'), 'notes/OSSN-0002.md', (record) => {
        record.card!.id = 'OSSN-0777';
      });
      expect((await inDir(['export', 'OSSN-0777'])).stdout).toBe(page.stdout);
      expect((await inDir(['export', 'OSSN-0777', '--no-cache'])).stderr).toContain('No advisory OSSN-0777');
      expect((await inDir(['push', 'OSSN-0777', '--no-cache'])).stderr).toContain('No advisory OSSN-0777');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
