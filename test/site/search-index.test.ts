/**
 * The Pagefind index: written beside the site by a post-build step, only
 * advisory pages in it, replaced whole on every run.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPostBuildSteps } from '../../src/build/steps.ts';
import { indexSite, searchFolder, searchIndexStep } from '../../src/render/site/search-index.ts';
import { fixtureConfig, fixtureNotes, listFiles, loadAdvisories, renderFiles, writeTree } from './support.ts';

describe('the search index', () => {
  let tree: string;

  beforeAll(async () => {
    const config = await fixtureConfig();
    tree = await writeTree(renderFiles(await loadAdvisories([fixtureNotes], { config }), { config }));
  });

  afterAll(async () => {
    if (tree) await rm(tree, { recursive: true, force: true });
  });

  it('indexes the advisory pages only, and writes Pagefind\u2019s browser code with it', async () => {
    const site = path.join(tree, 'site');
    expect(await indexSite(site)).toEqual({ pages: 4 });
    const files = await listFiles(path.join(site, searchFolder));
    expect(files).toEqual(expect.arrayContaining(['pagefind.js', 'pagefind-entry.json', 'pagefind-worker.js', 'wasm.en.pagefind']));
    const entry = JSON.parse(await readFile(path.join(site, searchFolder, 'pagefind-entry.json'), 'utf8'));
    expect(Object.keys(entry.languages)).toEqual(['en']);
  });

  it('replaces the whole index on every run, so nothing stale is left behind', async () => {
    const site = path.join(tree, 'site');
    await writeFile(path.join(site, searchFolder, 'stale.pf_fragment'), 'old');
    await indexSite(site);
    expect(await listFiles(path.join(site, searchFolder))).not.toContain('stale.pf_fragment');
    expect((await listFiles(site)).filter((file) => file.startsWith(`${searchFolder}.new`))).toEqual([]);
  });

  it('runs after a build that changed a page, and not after one that changed none', () => {
    expect(searchIndexStep.when?.(['site/advisories/OSSN-0101/index.html', 'wiki/OSSN-0101.wiki'])).toBe(true);
    expect(searchIndexStep.when?.(['wiki/OSSN-0101.wiki', 'site/feed.xml'])).toBe(false);
  });

  it('is one of the build\u2019s post-build steps', () => {
    expect(defaultPostBuildSteps).toContain(searchIndexStep);
  });
});
