/**
 * herald's own index in a real browser: the fixture site is rendered, its
 * search folder is filled by `writeSearchBundle` plus `pagefindAssets`
 * (no Pagefind indexing), and Chromium searches it through the site's own
 * search page (with the site's Content-Security-Policy) and through
 * Pagefind's JavaScript API: a word found in one page only, a stemmed form,
 * a word with diacritics, and the `page` filter the site's delta uses.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagefindAssets } from '../../src/search/assets.ts';
import { writeSearchBundle } from '../../src/search/bundle.ts';
import { indexPage } from '../../src/search/index-page.ts';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import { chromiumArgs, chromiumPath, fixtureConfig, fixtureNotes, loadAdvisories, renderFiles, writeTree } from '../site/support.ts';
import { missingTools } from '../support/system.ts';
import { pagefindBinary } from './support.ts';

const reason = missingTools(chromiumPath, pagefindBinary);

describe.skipIf(!!reason)("herald's search index in Chromium", () => {
  let tree: string;
  let profile: string;
  let cache: string;
  let server: RunningServer;
  let context: BrowserContext;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const config = await fixtureConfig();
    const files = renderFiles(await loadAdvisories([fixtureNotes], { config }), { config });
    tree = await writeTree(files);
    const pages = files.flatMap((file) => {
      const match = /^site\/(advisories\/[^/]+\/)index\.html$/.exec(file.path);
      return match ? [indexPage(`/${match[1]}`, String(file.contents))] : [];
    });
    cache = await mkdtemp(path.join(os.tmpdir(), 'herald-pagefind-cache-'));
    const folder = path.join(tree, 'site', 'pagefind');
    const output = [...(await pagefindAssets(cache))].map(([name, contents]) => ({ path: name, contents: contents as Uint8Array | string }));
    output.push(...writeSearchBundle(pages), { path: 'herald-delta.json', contents: JSON.stringify({ delta: null, exclude: [] }) });
    for (const file of output) {
      const target = path.join(folder, file.path);
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

  it('answers Pagefind API searches: stems, filters and excerpts', async () => {
    const page = await open('/');
    // A string, so the test runner does not rewrite its import().
    const found = (await page.evaluate(`(async () => {
      const pagefind = await import('/pagefind/pagefind.js');
      await pagefind.options({ baseUrl: '/' });
      const urls = async (term, options = {}) => {
        const search = await pagefind.search(term, options);
        const data = await Promise.all(search.results.map((r) => r.data()));
        return data.map((d) => d.url).sort();
      };
      const filters = await pagefind.filters();
      return {
        tarpaulins: await urls('tarpaulins'),
        libvirt: await urls('libvirt'),
        libvirtOther: await urls('libvirt', { filters: { page: { none: ['OSSN-0101'] } } }),
        pageFilter: Object.keys(filters.page ?? {}).sort(),
      };
    })()`)) as { tarpaulins: string[]; libvirt: string[]; libvirtOther: string[]; pageFilter: string[] };
    expect(found.tarpaulins).toEqual(['/advisories/OSSN-0103/']);
    expect(found.libvirt).toContain('/advisories/OSSN-0101/');
    expect(found.libvirtOther).not.toContain('/advisories/OSSN-0101/');
    expect(found.pageFilter).toContain('OSSN-0101');
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
