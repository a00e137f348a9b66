/**
 * `herald publish` pushes the index pages the build wrote: read back from
 * the output, split or not, they are the pages `herald wiki push` would
 * render, with the count of advisories each lists; a split that a later
 * build undoes leaves no year page behind.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { selectForBuild } from '../../src/build/select.ts';
import type { Config } from '../../src/config/schema.ts';
import { readIndexPages } from '../../src/publish/wiki/index-files.ts';
import { renderWikiIndex } from '../../src/render/wiki/index.ts';
import { bundledAdvisories, fixedNow, repoConfig, repoRoot, withWiki } from './support/notes.ts';

describe('the index pages herald publish reads from the build', { timeout: 120_000 }, () => {
  let dir: string;
  let config: Config;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-index-files-'));
    cpSync(path.join(repoRoot, 'notes'), path.join(dir, 'notes'), { recursive: true });
    config = await repoConfig();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pagesOf = async (wikiConfig: Config) => {
    await build({ notes: ['notes'], out: 'dist', config: wikiConfig, now: fixedNow, cwd: dir, workers: 0, log: () => {} });
    const published = selectForBuild(await bundledAdvisories(wikiConfig), fixedNow, false);
    const expected = renderWikiIndex(published, { config: wikiConfig, now: fixedNow, preview: false, all: published }).map(({ page, text, count, year }) => ({ page, text, count, ...(year === undefined ? {} : { year }) }));
    return { read: await readIndexPages(path.join(dir, 'dist'), wikiConfig, published.map((advisory) => advisory.date)), expected };
  };

  it('reads one page, then a page per year, then one page again', async () => {
    const whole = await pagesOf(config);
    expect(whole.read).toEqual(whole.expected);
    expect(whole.read).toHaveLength(1);

    const split = await pagesOf(withWiki(config, { max_page_kib: 1 }));
    expect(split.read).toEqual(split.expected);
    expect(split.read.map((page) => page.page)).toEqual(['Security_Notes', 'Security_Notes/2015', 'Security_Notes/2014', 'Security_Notes/2013', 'Security_Notes/2011']);
    expect(split.read.map((page) => page.count)).toEqual([8, 2, 4, 1, 1]);

    const again = await pagesOf(config);
    expect(again.read).toEqual(whole.expected);
    expect(existsSync(path.join(dir, 'dist/wiki/index'))).toBe(false);
  });
});
