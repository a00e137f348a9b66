/**
 * The built fixture site in a real Chromium, served by herald's own server
 * with the site's Content-Security-Policy: filtering, Pagefind search,
 * copying a command, following a feed, axe-core, phone width, dark mode and
 * print. Screenshots go to test-artifacts/.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import { missingTools } from '../support/system.ts';
import { chromiumPath, fixtureConfig, fixtureNotes, launchChromium, loadAdvisories, renderFiles, repoRoot, searchFilesOf, writeTree } from './support.ts';

const reason = missingTools(chromiumPath);
const ghsa = 'GHSA-jfh8-c2jp-5v3q';
const artifacts = path.join(repoRoot, 'test-artifacts');

describe.skipIf(!!reason)('the site in Chromium', () => {
  let tree: string;
  let profile: string;
  let server: RunningServer;
  let context: BrowserContext;
  /** Console errors of every page: a CSP violation or a script error fails the suite. */
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const config = await fixtureConfig();
    const advisories = await loadAdvisories([fixtureNotes], { config });
    // No fixture note names a GitHub advisory: OSSN-0101 does here, as a note may (`ghsa`).
    advisories.find((advisory) => advisory.id === 'OSSN-0101')!.ghsa = [ghsa];
    const files = renderFiles(advisories, { config });
    tree = await writeTree([...files, ...(await searchFilesOf(advisories, files))]);
    const site = path.join(tree, 'site');
    server = await startStaticServer({ root: site, host: '127.0.0.1', port: 0, basePath: '/' });
    ({ context, profile } = await launchChromium(consoleErrors, {
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
      acceptDownloads: true,
    }));
    await mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (tree) await rm(tree, { recursive: true, force: true });
  });

  async function open(sitePath: string): Promise<Page> {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(new URL(sitePath, server.url).href);
    return page;
  }

  const titles = (page: Page) => page.locator('.advisory-item-title').allInnerTexts();

  it('opens the index, newest first, and filters it by product in place, fetching the filter index only then', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const fetched: string[] = [];
    const onRequest = (request: { url(): string }) => fetched.push(new URL(request.url()).pathname);
    page.on('request', onRequest);
    await open('/');
    await page.locator('[data-filter-form]').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(artifacts, 'site-index.png'), fullPage: true });
    expect(await titles(page)).toHaveLength(4);
    // Every advisory's entry (megabytes at thousands of notes) is not part of the page.
    expect(fetched).not.toContain('/advisories.json');
    await page.selectOption('#filter-product', 'libvirt');
    page.off('request', onRequest);
    expect(fetched).toContain('/advisories.json');
    await expect.poll(() => titles(page)).toEqual(['OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP']);
    expect(await page.locator('[data-filter-status]').innerText()).toBe('1 of 4 advisories match.');
    expect(new URL(page.url()).search).toBe('?product=libvirt');
    await page.click('button[type="reset"]');
    await expect.poll(() => titles(page)).toHaveLength(4);
    await page.fill('#filter-cve', 'CVE-2022');
    await expect.poll(() => titles(page)).toEqual(['OSSN-0102 Keystone tokens logged at debug level']);
    // The same field takes a GitHub advisory id, as readers copy it, in any case.
    await page.fill('#filter-cve', ghsa.toLowerCase());
    await expect.poll(() => titles(page)).toEqual(['OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP']);
    expect(new URL(page.url()).searchParams.get('cve')).toBe(ghsa.toLowerCase());
  });

  it('keeps the list and says so when the filter index cannot be fetched', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.route('**/advisories.json', (route) => route.abort());
    try {
      await open('/');
      await page.locator('[data-filter-form]').waitFor({ state: 'visible' });
      await page.selectOption('#filter-severity', 'low');
      await expect.poll(() => page.locator('[data-filter-status]').innerText()).toMatch(/^Filtering is not available on this copy of the site/);
      expect(await titles(page)).toHaveLength(4);
    } finally {
      await page.unroute('**/advisories.json');
    }
  });

  it('restores a filtered view from its address', async () => {
    const page = await open('/?severity=low');
    await expect.poll(() => titles(page)).toEqual(['OSSN-0103 Nova console proxy allows open redirects']);
    expect(await page.locator('#filter-severity').inputValue()).toBe('low');
  });

  it('searches a word found in one note body only with Pagefind, and opens the result', async () => {
    const page = await open('/');
    await page.fill('#site-search-q', 'tarpaulin');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/\/search\/\?q=tarpaulin$/);
    const results = page.locator('[data-search-results] a');
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-search-status]').innerText()).toBe('1 advisory found.');
    expect(await page.locator('[data-search-results] mark').first().innerText()).toBe('tarpaulin');
    // The page's Pagefind meta: its id, date, severity; no status badge for a published note.
    expect(await page.locator('[data-search-results] .advisory-item-title').innerText()).toBe('OSSN-0103 Nova console proxy allows open redirects');
    expect(await page.locator('[data-search-results] .advisory-item-meta').innerText()).toMatch(/^Published 2023-12-27\s+low$/i);
    await results.first().click();
    await page.waitForURL(/\/advisories\/OSSN-0103\/$/);
    expect(await page.locator('h1').innerText()).toBe('Nova console proxy allows open redirects');
  });

  it('finds an advisory by its number without the zeros ("ossn 101", "OSSN-101") and by a former id', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const found = async (words: string) => {
      await page.goto(new URL(`/search/?q=${encodeURIComponent(words)}`, server.url).href);
      await expect.poll(() => page.locator('[data-search-status]').innerText(), { timeout: 15_000 }).not.toBe('');
      return page.locator('[data-search-results] .advisory-id').allInnerTexts();
    };
    expect(await found('ossn 101')).toEqual(['OSSN-0101']);
    expect(await found('OSSN-101')).toEqual(['OSSN-0101']);
    // OSSN-0102, withdrawn, says "see OSSN-0101".
    expect((await found('0101'))[0]).toBe('OSSN-0101');
    // OSSN-0101 was OSSN-0100 (aliases): the id an old mail names.
    expect(await found('OSSN-0100')).toEqual(['OSSN-0101']);
    expect(await found('ossn 100')).toEqual(['OSSN-0101']);
    await page.locator('[data-search-results] a').first().click();
    await page.waitForURL(/\/advisories\/OSSN-0101\/$/);
    expect(await page.locator('.meta-table tr', { hasText: 'ID' }).first().innerText()).toBe('ID\tOSSN-0101 (formerly OSSN-0100)');
  });

  it('searches the words typed while the index was still loading, instead of replacing them with the address\u2019s', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    // The index list held back: at thousands of advisories, merging the parts takes a second or more.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/pagefind/herald-search.json', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await open('/search/');
      await page.fill('#search-q', 'tarpaulin');
      release();
      const status = page.locator('[data-search-status]');
      await expect.poll(() => status.innerText(), { timeout: 15_000 }).toBe('1 advisory found.');
      expect(await page.inputValue('#search-q')).toBe('tarpaulin');
      expect(new URL(page.url()).search).toBe('?q=tarpaulin');
    } finally {
      release();
      await page.unroute('**/pagefind/herald-search.json');
    }
  });

  it('shows the address\u2019s words at once, and searches them when the index is there', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/pagefind/herald-search.json', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await open('/search/?q=tarpaulin');
      await expect.poll(() => page.inputValue('#search-q')).toBe('tarpaulin');
      // Enter while the index loads keeps the reader on the page: no reload that would start the loading again.
      await page.press('#search-q', 'Enter');
      release();
      await expect.poll(() => page.locator('[data-search-status]').innerText(), { timeout: 15_000 }).toBe('1 advisory found.');
    } finally {
      release();
      await page.unroute('**/pagefind/herald-search.json');
    }
  });

  it('narrows a search with the filters the index holds, and keeps them in the address', async () => {
    const page = await open('/search/');
    const severity = page.locator('#search-severity');
    await expect.poll(() => severity.locator('option').allInnerTexts(), { timeout: 15_000 }).toEqual(['Any', 'High', 'Medium', 'Low']);
    expect(await page.locator('#search-status option').allInnerTexts()).toEqual(['Any', 'Published', 'Withdrawn']);
    // OSSN-0105 (2024) is under embargo: not on the site, not in the index.
    expect(await page.locator('#search-year option').allInnerTexts()).toEqual(['Any', '2023', '2022']);
    expect(await page.locator('#search-product option').allInnerTexts()).toContain('libvirt');
    const titles = () => page.locator('[data-search-results] .advisory-item-title').allInnerTexts();
    // A filter alone lists every advisory it lets through.
    await page.locator('#search-status').selectOption('published');
    await expect.poll(async () => (await titles()).sort()).toEqual([
      'Notes from the summit: hardening compute nodes',
      'OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP',
      'OSSN-0103 Nova console proxy allows open redirects',
    ]);
    expect(new URL(page.url()).search).toBe('?status=published');
    await severity.selectOption('high');
    await expect.poll(titles).toEqual(['OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP']);
    await page.fill('#search-q', 'libvirt');
    await expect.poll(() => page.locator('[data-search-status]').innerText()).toBe('1 advisory found.');
    expect(new URL(page.url()).search).toBe('?q=libvirt&severity=high&status=published');
    await page.goto(new URL('/search/?q=libvirt&severity=low', server.url).href);
    const status = page.locator('[data-search-status]');
    await expect.poll(() => status.innerText(), { timeout: 15_000 }).toBe('No advisory mentions \u201clibvirt\u201d with these filters.');
    expect(await severity.inputValue()).toBe('low');
  });

  it('goes Back and Forward through the filters chosen on the index, a step per choice', async () => {
    const page = await open('/');
    await page.locator('[data-filter-form]').waitFor({ state: 'visible' });
    await page.selectOption('#filter-year', '2023');
    await expect.poll(() => titles(page)).toHaveLength(3);
    // The arrow keys through a select's options are one step, as typing is, whatever the keys pressed.
    await page.focus('#filter-severity');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).search).toBe('?severity=low&year=2023');
    await expect.poll(() => titles(page)).toEqual(['OSSN-0103 Nova console proxy allows open redirects']);
    await page.locator('#filter-cve').pressSequentially('CVE-20');
    await expect.poll(() => new URL(page.url()).search).toBe('?severity=low&year=2023&cve=CVE-20');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).search).toBe('?severity=low&year=2023');
    expect(await page.locator('#filter-cve').inputValue()).toBe('');
    await page.goBack();
    await expect.poll(() => titles(page)).toHaveLength(3);
    expect(new URL(page.url()).search).toBe('?year=2023');
    expect(await page.locator('#filter-severity').inputValue()).toBe('');
    await page.goBack();
    await expect.poll(() => titles(page)).toHaveLength(4);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('#filter-year').inputValue()).toBe('');
    await page.goForward();
    await expect.poll(() => titles(page)).toHaveLength(3);
    expect(new URL(page.url()).search).toBe('?year=2023');
  });

  it('drops a filter value the site does not have from the address, without a step of its own', async () => {
    const page = await open('/');
    const steps = await page.evaluate(() => history.length);
    await page.goto(new URL('/?severity=nonesuch', server.url).href);
    await expect.poll(() => new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => history.length)).toBe(steps + 1);
    expect(await titles(page)).toHaveLength(4);
  });

  it('goes Back and Forward through the searches made and the filters chosen on the search page', async () => {
    const page = await open('/search/');
    const status = page.locator('[data-search-status]');
    const severity = page.locator('#search-severity');
    await expect.poll(() => severity.locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await page.locator('#search-q').pressSequentially('nova');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('nova');
    await page.press('#search-q', 'Enter');
    await severity.selectOption('low');
    await expect.poll(() => new URL(page.url()).search).toBe('?q=nova&severity=low');
    const searchTitle = (await page.title()).replace(/^\u201cnova\u201d \u2013 /, '');
    expect(await page.title()).toBe(`\u201cnova\u201d \u2013 ${searchTitle}`);
    await page.fill('#search-q', 'tarpaulin');
    await expect.poll(() => status.innerText()).toBe('1 advisory found.');
    expect(await page.title()).toBe(`\u201ctarpaulin\u201d \u2013 ${searchTitle}`);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).search).toBe('?q=nova&severity=low');
    expect(await page.locator('#search-q').inputValue()).toBe('nova');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).search).toBe('?q=nova');
    expect(await severity.inputValue()).toBe('');
    await expect.poll(() => page.locator('[data-search-results] .advisory-id').allInnerTexts()).toContain('OSSN-0101');
    await page.goBack();
    await expect.poll(() => page.locator('#search-q').inputValue()).toBe('');
    await expect.poll(() => page.locator('[data-search-results] > li').count()).toBe(0);
    expect(await page.title()).toBe(searchTitle);
    await page.goForward();
    await expect.poll(() => page.locator('#search-q').inputValue()).toBe('nova');
  });

  it('copies a command of the checklist to the clipboard', async () => {
    const page = await open('/advisories/OSSN-0101/');
    await page.screenshot({ path: path.join(artifacts, 'site-advisory.png'), fullPage: true });
    const step = page.locator('#step-2');
    const button = step.locator('.code-block', { hasText: 'apt-get' }).locator('button.copy-button');
    await button.click();
    await expect.poll(() => button.innerText()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('apt-get update && apt-get install --only-upgrade libvirt-daemon');
  });

  it('takes an address that names a heading as GitHub does (#discussion) to that heading, whose id is section-discussion', async () => {
    const page = await open('/advisories/OSSN-0101/#discussion');
    // At the top of the window, or in it with the page scrolled to its end.
    const reached = (id: string) =>
      page.evaluate((id) => {
        const top = document.getElementById(id)!.getBoundingClientRect().top;
        const atEnd = Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight;
        return Math.abs(top) <= 1 || (atEnd && top >= 0 && top < window.innerHeight);
      }, id);
    await expect.poll(() => reached('section-discussion')).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    // A change of fragment within the page too; an id the page has is left to the browser.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => (location.hash = '#recommended-actions'));
    await expect.poll(() => reached('section-recommended-actions')).toBe(true);
    await page.evaluate(() => (location.hash = '#references-heading'));
    await expect.poll(() => reached('references-heading')).toBe(true);
  });

  it('follows the feed link to a well-formed Atom feed', async () => {
    const page = await open('/');
    const href = await page.locator('a.feed-link[data-feed="atom"]').getAttribute('href');
    expect(href).toBe('/feed.xml');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/feed.xml'),
      page.click('a.feed-link[data-feed="atom"]').catch(() => undefined),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    const xml = await response.text();
    const parsed = await (await open('/')).evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.namespaceURI + ' ' + doc.documentElement.localName,
        titles: [...doc.querySelectorAll('entry > title')].map((t) => t.textContent),
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('http://www.w3.org/2005/Atom feed');
    expect(parsed.titles[0]).toBe('[UPDATED] OSSN-0101: Compute nodes accept unauthenticated libvirt connections over TCP (UPDATE 2)');
  });

  describe('accessibility', () => {
    let axeSource: string;
    beforeAll(async () => {
      axeSource = await readFile(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
    });

    /** Runs axe in the page. DevTools evaluation is not subject to the page's CSP, so no policy is relaxed. */
    async function axeViolations(page: Page): Promise<string[]> {
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        return axe.run(document);
      });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }

    for (const [name, sitePath] of [
      ['the index', '/'],
      ['an advisory page', '/advisories/OSSN-0101/'],
      ['a withdrawn advisory page', '/advisories/OSSN-0102/'],
      ['a product page', '/products/openstack-compute-nova/'],
      ['the search page', '/search/?q=libvirt'],
      ['the GitHub advisory index', '/ghsa/'],
    ] as const) {
      it(`finds no axe violations on ${name}, in light and dark mode`, async () => {
        const page = await open(sitePath);
        await page.emulateMedia({ colorScheme: 'light' });
        expect(await axeViolations(page)).toEqual([]);
        await page.emulateMedia({ colorScheme: 'dark' });
        expect(await axeViolations(page)).toEqual([]);
        await page.emulateMedia({ colorScheme: 'light' });
      });
    }
  });

  it('reaches the GitHub advisory index from an advisory page by keyboard, and the advisories there that name an id', async () => {
    const page = await open('/advisories/OSSN-0101/');
    // The details row links the id to GitHub's database, as a CVE's links to cve.org.
    expect(await page.locator(`.meta-table a[href="https://github.com/advisories/${ghsa}"]`).innerText()).toBe(ghsa);
    const footerLink = page.locator('.site-footer a', { hasText: 'GitHub advisory index' });
    await footerLink.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ghsa\/$/);
    expect(await page.title()).toBe('GitHub advisory index \u00b7 Example Security Notes');
    const row = page.locator(`tr[id="${ghsa}"]`);
    expect(await row.locator('th a').getAttribute('href')).toBe(`https://github.com/advisories/${ghsa}`);
    await row.locator('td a').click();
    await page.waitForURL(/\/advisories\/OSSN-0101\/$/);
    // An id's own row, as a link to it lands on it.
    await page.goto(new URL(`/ghsa/#${ghsa}`, server.url).href);
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe(ghsa);
  });

  it('fits a phone\u2019s width without sideways scrolling', async () => {
    const page = await open('/');
    await page.setViewportSize({ width: 360, height: 780 });
    try {
      for (const sitePath of ['/', '/advisories/OSSN-0101/', '/products/openstack-compute-nova/', '/search/?q=libvirt']) {
        await page.goto(new URL(sitePath, server.url).href);
        // A product name as long as the bundled notes' longest, in the filters of the index and the search page.
        await page.waitForFunction(() => (document.querySelector('#filter-product, #search-product') as HTMLSelectElement | null)?.options.length !== 1);
        await page.evaluate(() => {
          for (const select of document.querySelectorAll('#filter-product, #search-product')) select.append(new Option('OpenStack Compute (Nova) with the libvirt driver (KVM, QEMU)', 'long'));
        });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, sitePath).toBeLessThanOrEqual(0);
      }
      await page.screenshot({ path: path.join(artifacts, 'site-advisory-phone.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('prints the advisory without navigation, and switches to dark colours with the system', async () => {
    const page = await open('/advisories/OSSN-0101/');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-nav').isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(15, 20, 25)');
    await page.screenshot({ path: path.join(artifacts, 'site-advisory-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('works without JavaScript: facet pages instead of the filter form, and says so', async () => {
    const page = await context.newPage();
    // Scripts off for this page, as a reader's browser may have them: <noscript> shows.
    await (await context.newCDPSession(page)).send('Emulation.setScriptExecutionDisabled', { value: true });
    try {
      // A filtered address someone shared: the list cannot be filtered, and the page says what to use instead.
      await page.goto(new URL('/?product=libvirt', server.url).href);
      expect(await page.locator('[data-filter-form]').isVisible()).toBe(false);
      const notice = page.getByText(/^Filtering this list needs JavaScript/);
      expect(await notice.innerText()).toMatch(/^Filtering this list needs JavaScript\. Without it, the pages by product, year, severity and status below list the same advisories/);
      await notice.locator('a[href="#browse"]').click();
      expect(await page.evaluate(() => location.hash)).toBe('#browse');
      await page.click('.browse a[href="/products/libvirt/"]');
      await page.waitForURL(/\/products\/libvirt\/$/);
      expect(await titles(page)).toEqual(['OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP']);
    } finally {
      await page.close();
    }
  });

  it('ran every page under the Content-Security-Policy without a violation or script error', () => {
    // Not errors of the site: the filter index a test aborted on purpose, and the
    // /favicon.ico Chromium asks for when it shows a document that names no icon (the feed).
    expect(consoleErrors.filter((line) => !line.includes('net::ERR_FAILED') && !line.includes('/favicon.ico:'))).toEqual([]);
  });
});
