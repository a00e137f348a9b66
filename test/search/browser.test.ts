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
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagefindAssets } from '../../src/search/assets.ts';
import { indexPage, type IndexedPage } from '../../src/search/index-page.ts';
import { partFiles, searchFolderFiles, searchPath, type SearchPart } from '../../src/render/site/search.ts';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import { chromiumPath, fixtureConfig, fixtureNotes, launchChromium, loadAdvisories, renderFiles, writeTree } from '../site/support.ts';
import { missingTools } from '../support/system.ts';
import { pagefindBinary } from './support.ts';

const reason = missingTools(chromiumPath, pagefindBinary);

describe.skipIf(!!reason)("herald's search index in Chromium", () => {
  let tree: string;
  let profile: string;
  let cache: string;
  let pages: IndexedPage[];
  let copies: string[];
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
    // Copies of one page under other addresses, so that a common word finds
    // more advisories than the search page shows at once.
    const original = files.find((file) => file.path === 'site/advisories/OSSN-0101/index.html')!;
    copies = Array.from({ length: 25 }, (_, i) => `/advisories/COPY-${String(i).padStart(2, '0')}/`);
    pages.push(...copies.map((url) => indexPage(url, String(original.contents))));
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
    ({ context, profile } = await launchChromium(consoleErrors));
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

  it('shows 20 results with their id, date and severity, and the rest on "Show more"', async () => {
    const page = await open('/search/?q=libvirt');
    const results = page.locator('[data-search-results] > li');
    const status = page.locator('[data-search-status]');
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBe(20);
    const total = Number(/^(\d+) advisories found; showing the first 20\.$/.exec(await status.innerText())?.[1]);
    expect(total).toBeGreaterThan(copies.length);
    expect(total).toBeLessThan(40);
    const more = page.locator('[data-search-more]');
    expect(await more.innerText()).toBe(`Show ${total - 20} more`);
    const copy = results.filter({ has: page.locator(`a[href="${copies[0]}"]`) });
    expect(await copy.locator('.advisory-item-title').innerText()).toBe('OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP');
    expect(await copy.locator('.advisory-item-meta').innerText()).toMatch(/^Published 2023-11-02\s+high$/i);
    await more.click();
    await expect.poll(() => results.count()).toBe(total);
    expect(await more.isHidden()).toBe(true);
    expect(await status.innerText()).toBe(`${total} advisories found.`);
    // Focus moves to the first result the button added.
    expect(await page.evaluate(() => document.activeElement?.closest('li') === document.querySelectorAll('[data-search-results] > li')[20])).toBe(true);
    const hrefs = await results.locator('h2 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(new Set(hrefs).size).toBe(total);
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
