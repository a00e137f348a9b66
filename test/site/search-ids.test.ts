/**
 * Readers type an advisory's id or a CVE into the search box and expect
 * that advisory first, however they spell it. The bundled notes, built
 * with the repository's config and searched in a real Chromium through the
 * site's own search page: their version numbers ("2.7.9") and mentions of
 * other notes ("see OSSN-0004") ranked other advisories above the one named.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { missingTools } from '../support/system.ts';
import { bundledNotes, chromiumPath, loadAdvisories, repoRoot, serveInChromium, type ServedSite } from './support.ts';

const reason = missingTools(chromiumPath);
const ghsa = 'GHSA-jfh8-c2jp-5v3q';

describe.skipIf(!!reason)('searching the bundled notes for an id, a CVE or a GitHub advisory id', () => {
  let site: ServedSite;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const config = await loadConfig(repoRoot, 'herald.config.yaml');
    const advisories = await loadAdvisories([bundledNotes], { config });
    // No bundled note names a GitHub advisory: OSSN-0007 does here, as a note may (`ghsa`).
    advisories.find((advisory) => advisory.id === 'OSSN-0007')!.ghsa = [ghsa];
    site = await serveInChromium(advisories, config, consoleErrors);
    page = site.page;
  });

  afterAll(() => site?.close());

  const resultIds = () => page.locator('[data-search-results] .advisory-id').allInnerTexts();

  /** Types the words key by key into the search page's box (each keystroke a search), and returns the results' ids once they are settled. */
  async function typed(words: string, address = '/search/'): Promise<string[]> {
    await page.goto(new URL(address, site.server.url).href);
    await page.locator('#search-q').pressSequentially(words);
    // The last keystroke's search set the address and marked the results busy until they are in place.
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(words);
    await page.locator('[data-search-results][aria-busy="false"]').waitFor({ state: 'attached', timeout: 15_000 });
    return resultIds();
  }

  for (const [words, first] of [
    ['OSSN-0007', 'OSSN-0007'],
    ['ossn-7', 'OSSN-0007'],
    // Other notes' versions ("2.7.9", "1.7") start with a 7: OSSN-0007 was 4th of 6.
    ['ossn 7', 'OSSN-0007'],
    ['0007', 'OSSN-0007'],
    ['ossn 1', 'OSSN-0001'],
    ['ossn 3', 'OSSN-0003'],
    ['ossn 6', 'OSSN-0006'],
    // The heartbleed blog post mentions OSSN-0004 in its text, and ranked above it.
    ['OSSN-0004', 'OSSN-0004'],
    ['CVE-2014-0160', 'OSSN-0004'],
    ['cve 2014 0160', 'OSSN-0004'],
    ['2014-0160', 'OSSN-0004'],
    ['2011-3192', 'OSSN-0001'],
    [ghsa, 'OSSN-0007'],
    ['ghsa jfh8 c2jp 5v3q', 'OSSN-0007'],
    ['jfh8-c2jp-5v3q', 'OSSN-0007'],
  ] as const) {
    it(`lists ${first} first for \u201c${words}\u201d`, async () => {
      expect((await typed(words))[0]).toBe(first);
    });
  }

  it('still lists the other advisories the words find, after the one named', async () => {
    const ids = await typed('ossn 7');
    expect(ids[0]).toBe('OSSN-0007');
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
    // The blog post the words find too has no id: count the items.
    const items = await page.locator('[data-search-results] > li').count();
    expect(await page.locator('[data-search-status]').innerText()).toBe(`${items} advisories found.`);
  });

  it('keeps to the filters: the advisory named comes first only when they let it through', async () => {
    // OSSN-0007 is of high severity; OSSN-0004, critical, has words that start with a 7.
    expect(await typed('ossn 7', '/search/?severity=critical')).toEqual(['OSSN-0004']);
  });

  it('lists a product\u2019s advisories for its name and a version ("nova 2014.1")', async () => {
    expect(await typed('nova 2014.1')).toEqual(['OSSN-0006']);
  });

  it('ran under the Content-Security-Policy without a script error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
