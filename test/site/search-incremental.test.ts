/**
 * Search after incremental builds, in a real Chromium: `herald build` over
 * a copy of the fixture notes, then edits and rebuilds that rewrite only
 * the search part holding the changed page, and searches that must see
 * exactly the notes as they are now: new words found, removed words and
 * deleted notes not, no advisory twice.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import { missingTools } from '../support/system.ts';
import { chromiumArgs, chromiumPath, fixtureConfig, fixtureNotes, testNow } from './support.ts';

const reason = missingTools(chromiumPath);

describe.skipIf(!!reason)('search after incremental builds, in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let context: BrowserContext;
  const consoleErrors: string[] = [];
  const logs: string[] = [];

  const rebuild = async () => {
    logs.length = 0;
    await build({ notes: ['notes'], out: 'dist', config: await fixtureConfig(), now: testNow, cwd: dir, workers: 0, log: (line) => logs.push(line) });
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'herald-search-'));
    await cp(fixtureNotes, path.join(dir, 'notes'), { recursive: true });
    await rebuild();
    server = await startStaticServer({ root: path.join(dir, 'dist', 'site'), host: '127.0.0.1', port: 0, basePath: '/' });
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: chromiumPath, headless: true, args: chromiumArgs });
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.location().url}: ${message.text()}`);
    });
    context.on('weberror', (error) => consoleErrors.push(error.error().message));
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The search page's result URLs for `term`, once its status says the search is done. */
  async function search(term: string): Promise<string[]> {
    const page: Page = context.pages()[0] ?? (await context.newPage());
    await page.goto(new URL(`/search/?q=${encodeURIComponent(term)}`, server.url).href);
    await page.locator('[data-search-status]:not(:empty)').waitFor({ timeout: 15_000 });
    return page.locator('[data-search-results] a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
  }

  const editNote = async (file: string, edit: (text: string) => string) => {
    const full = path.join(dir, 'notes', file);
    await writeFile(full, edit(await readFile(full, 'utf8')));
  };

  it('finds an edited note by its new word and not by its old one', async () => {
    expect(await search('tarpaulin')).toEqual(['/advisories/OSSN-0103/']);
    const before = await search('Bobcat');
    expect(before).toContain('/advisories/OSSN-0103/');

    await editNote('OSSN-0103.md', (text) => text.replace('tarpaulin', 'xylophone'));
    await rebuild();
    expect(logs).toContain('herald: search: 1 of 1 part(s) written, 4 of 4 advisory pages indexed');
    expect(await search('xylophone')).toEqual(['/advisories/OSSN-0103/']);
    expect(await search('tarpaulin')).toEqual([]);
    // The edited note once.
    expect((await search('Bobcat')).sort()).toEqual([...before].sort());
  });

  it('keeps finding the latest words after a second edit of the same note', async () => {
    await editNote('OSSN-0103.md', (text) => text.replace('xylophone', 'zeppelin'));
    await rebuild();
    expect(await search('zeppelin')).toEqual(['/advisories/OSSN-0103/']);
    expect(await search('xylophone')).toEqual([]);
  });

  it('no longer returns a deleted note', async () => {
    expect(await search('libvirt')).toContain('/advisories/OSSN-0101/');
    await rm(path.join(dir, 'notes', 'OSSN-0101.md'));
    await rebuild();
    expect(await search('libvirt')).not.toContain('/advisories/OSSN-0101/');
    expect(await search('zeppelin')).toEqual(['/advisories/OSSN-0103/']);
  });

  it('searches the same, from the same files, after a clean build of the same notes', async () => {
    const terms = ['zeppelin', 'tarpaulin', 'libvirt', 'Bobcat'];
    const incremental: string[][] = [];
    for (const term of terms) incremental.push((await search(term)).sort());
    const searchFiles = async () => {
      const folder = path.join(dir, 'dist/site/pagefind');
      const names = (await readdir(folder, { recursive: true })).sort();
      return Promise.all(names.map(async (name) => [name, await readFile(path.join(folder, name)).catch(() => 'folder')]));
    };
    const before = await searchFiles();
    await build({ notes: ['notes'], out: 'dist', config: await fixtureConfig(), now: testNow, cwd: dir, workers: 0, clean: true });
    expect(await searchFiles()).toEqual(before);
    for (const [i, term] of terms.entries()) expect((await search(term)).sort()).toEqual(incremental[i]);
  });

  it('ran every search without a console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
