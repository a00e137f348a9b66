/**
 * A dotted version typed into the search box ("nova 2014.1") finds that
 * version and its point releases (2014.1.4), not 2014.10 nor a date of
 * 2014-11: Pagefind drops the dots, and "20141" starts "201410" and
 * "20141105" too. Notes made from the bundled OSSN-0006 (Nova 2014.1.4),
 * each with other versions or dates, searched in a real Chromium through
 * the site's own search page.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { missingTools } from '../support/system.ts';
import { bundledNotes, chromiumPath, loadAdvisories, repoRoot, serveInChromium, type ServedSite } from './support.ts';

const reason = missingTools(chromiumPath);

/** OSSN-0006 with another id and its versions and date replaced. */
function variant(text: string, id: string, replacements: [string | RegExp, string][]): string {
  return replacements.reduce((note, [from, to]) => note.replaceAll(from, to), text.replace('id: OSSN-0006', `id: ${id}`));
}

/** Notes about Glance 2014.12, enough to need a second batch of texts checked for "2014.1". */
const crowd = Array.from({ length: 30 }, (_, i) => `OSSN-${String(310 + i).padStart(4, '0')}`);

describe.skipIf(!!reason)('searching for a dotted version', () => {
  let notes: string;
  let site: ServedSite;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const source = await readFile(path.join(bundledNotes, 'OSSN-0006.md'), 'utf8');
    notes = await mkdtemp(path.join(os.tmpdir(), 'herald-versions-'));
    const variants: Record<string, [string | RegExp, string][]> = {
      // Icehouse's own: fixed in 2014.1 itself, and 2014.1.4 (OSSN-0006 as it is).
      'OSSN-0301': [['fixed: 2014.1.4', 'fixed: 2014.2.0'], ['2014.1.4', '2014.1']],
      'OSSN-0006': [],
      // Neither 2014.1 nor a release of it: 2014.10 and 2014.11 start with the same digits.
      'OSSN-0302': [['2014.1.4', '2014.10.4'], ['2014.2.3', '2014.11.3'], ['2014.2.0', '2014.11.0']],
      // Other releases, published on 2014-11-05 ("20141105").
      'OSSN-0303': [['2014.1.4', '2013.2.4'], ['2014.2.3', '2013.1.3'], ['2014.2.0', '2013.1.0'], ['date: 2015-02-24', 'date: 2014-11-05'], ['date: 2015-04-08', 'date: 2014-12-01']],
      // Nor 12014.1 or 3.2014.1, which hold the digits whole.
      'OSSN-0304': [['fixed: 2014.1.4', 'fixed: 2013.2.0'], ['2014.1.4 and 2014.2.3', '12014.1 and 3.2014.1'], ['before 2014.1.4', 'before 12014.1']],
    };
    // More candidates for "2014.1" than one batch of fetched texts: Glance at 2014.12, which the check turns down.
    for (const id of crowd) variants[id] = [[/nova/gi, 'glance'], ['2014.1.4', '2014.12.4'], ['2014.2.3', '2014.12.3'], ['2014.2.0', '2014.12.0']];
    for (const [id, replacements] of Object.entries(variants)) await writeFile(path.join(notes, `${id}.md`), variant(source, id, replacements));
    const config = await loadConfig(repoRoot, 'herald.config.yaml');
    site = await serveInChromium(await loadAdvisories([notes], { config }), config, consoleErrors);
    page = site.page;
  });

  afterAll(async () => {
    await site?.close();
    if (notes) await rm(notes, { recursive: true, force: true });
  });

  /** The ids of the results of a search the address holds, once they are settled. */
  async function searched(words: string): Promise<string[]> {
    await page.goto(new URL(`/search/?${new URLSearchParams({ q: words })}`, site.server.url).href);
    await page.locator('[data-search-results][aria-busy="false"]').waitFor({ state: 'attached', timeout: 15_000 });
    return (await page.locator('[data-search-results] .advisory-id').allInnerTexts()).sort();
  }

  it('finds the version and its point releases only, with the other words', async () => {
    expect(await searched('nova 2014.1')).toEqual(['OSSN-0006', 'OSSN-0301']);
    expect(await page.locator('[data-search-status]').innerText()).toBe('2 advisories found.');
  });

  it('finds the version typed alone, and a point release precisely', async () => {
    expect(await searched('2014.1')).toEqual(['OSSN-0006', 'OSSN-0301']);
    expect(await searched('2014.1.4')).toEqual(['OSSN-0006']);
    expect(await searched('2014.10')).toEqual(['OSSN-0302']);
  });

  it('says so when no advisory names the version', async () => {
    expect(await searched('nova 2014.3')).toEqual([]);
    expect(await page.locator('[data-search-status]').innerText()).toBe('No advisory mentions \u201cnova 2014.3\u201d.');
  });

  it('leaves words without a dotted version as Pagefind finds them', async () => {
    expect(await searched('nova 2014')).toEqual(['OSSN-0006', 'OSSN-0301', 'OSSN-0302', 'OSSN-0303', 'OSSN-0304']);
  });

  it('says how far the check is while it fetches many advisories\' texts', async () => {
    // Every text the status shows, from the page's first script on.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      document.addEventListener('DOMContentLoaded', () => {
        const status = document.querySelector('[data-search-status]')!;
        new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
      });
    });
    expect(await searched('2014.1')).toEqual(['OSSN-0006', 'OSSN-0301']);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses).toContain('Looking for \u201c2014.1\u201d in the text of 35 advisories: 25 checked\u2026');
    expect(statuses.at(-1)).toBe('2 advisories found.');
  });

  it('ran under the Content-Security-Policy without a script error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
