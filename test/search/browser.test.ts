/**
 * herald's own index in a real browser: the fixture site is rendered, its
 * search folder is filled by `writeSearchBundle` plus `pagefindAssets`
 * (no Pagefind indexing), and Chromium searches it through the site's own
 * search page (with the site's Content-Security-Policy) and through
 * Pagefind's JavaScript API: a word found in one page only, a stemmed form,
 * and a word found in pages of different parts (the pages are split in two
 * parts here, merged into the empty primary index as the site's script
 * merges them).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagefindAssets } from '../../src/search/assets.ts';
import { indexPage, type IndexedPage } from '../../src/search/index-page.ts';
import { partFiles, searchFolderFiles, searchPath, type SearchPart } from '../../src/render/site/search.ts';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import { chromiumArgs, chromiumPath, fixtureConfig, fixtureNotes, loadAdvisories, renderFiles, writeTree } from '../site/support.ts';
import { missingTools } from '../support/system.ts';
import { pagefindBinary } from './support.ts';

const reason = missingTools(chromiumPath, pagefindBinary);

describe.skipIf(!!reason)("herald's search index in Chromium", () => {
  let tree: string;
  let profile: string;
  let cache: string;
  let pages: IndexedPage[];
  let server: RunningServer;
  let context: BrowserContext;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const config = await fixtureConfig();
    const files = renderFiles(await loadAdvisories([fixtureNotes], { config }), { config });
    tree = await writeTree(files);
    pages = files.flatMap((file) => {
      const match = /^site\/(advisories\/[^/]+\/)index\.html$/.exec(file.path);
      return match ? [indexPage(`/${match[1]}`, String(file.contents))] : [];
    });
    cache = await mkdtemp(path.join(os.tmpdir(), 'herald-pagefind-cache-'));
    // Two parts, so the browser merges more than one index.
    const halves = [pages.slice(0, 2), pages.slice(2)];
    const parts: SearchPart[] = halves.map((half, i) => ({ folder: `00${i}-part/`, members: half.map((page) => ({ slug: page.url, sha256: page.hash })) }));
    const output = [...searchFolderFiles(await pagefindAssets(cache), parts), ...parts.flatMap((part, i) => partFiles(part, halves[i]!))];
    expect(output.map((file) => file.path)).toContain(searchPath('000-part/pagefind-entry.json'));
    for (const file of output) {
      const target = path.join(tree, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
    server = await startStaticServer({ root: path.join(tree, 'site'), host: '127.0.0.1', port: 0, basePath: '/' });
    profile = await mkdtemp(path.join(os.tmpdir(), 'herald-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.location().url}: ${message.text()}`);
    });
    context.on('weberror', (error) => consoleErrors.push(error.error().message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    for (const dir of [profile, tree, cache]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(sitePath: string): Promise<Page> {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(new URL(sitePath, server.url).href);
    return page;
  }

  it('finds a word of one note body through the site search page', async () => {
    const page = await open('/search/?q=tarpaulin');
    const results = page.locator('[data-search-results] a');
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-search-status]').innerText()).toBe('1 advisory found.');
    expect(await page.locator('[data-search-results] mark').first().innerText()).toBe('tarpaulin');
    expect(await results.first().getAttribute('href')).toBe('/advisories/OSSN-0103/');
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('answers Pagefind API searches over the merged parts: stems, words in several parts, excerpts', async () => {
    const page = await open('/');
    // A string, so the test runner does not rewrite its import().
    const found = (await page.evaluate(`(async () => {
      const pagefind = await import('/pagefind/pagefind.js');
      await pagefind.options({ baseUrl: '/' });
      const list = await (await fetch('/pagefind/herald-search.json')).json();
      await Promise.all(list.parts.map((part) => pagefind.mergeIndex('/pagefind/' + part, { baseUrl: '/' })));
      const urls = async (term) => {
        const search = await pagefind.search(term);
        const data = await Promise.all(search.results.map((r) => r.data()));
        return data.map((d) => d.url).sort();
      };
      return { parts: list.parts, tarpaulins: await urls('tarpaulins'), the: await urls('the') };
    })()`)) as { parts: string[]; tarpaulins: string[]; the: string[] };
    expect(found.parts).toEqual(['000-part/', '001-part/']);
    expect(found.tarpaulins).toEqual(['/advisories/OSSN-0103/']);
    // Pages of both parts, each once.
    expect(new Set(found.the).size).toBe(found.the.length);
    const partOfUrl = (url: string) => (pages.findIndex((p) => p.url === url) < 2 ? 0 : 1);
    expect(new Set(found.the.map(partOfUrl))).toEqual(new Set([0, 1]));
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
