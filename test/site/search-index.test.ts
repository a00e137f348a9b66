/**
 * The Pagefind index: a base over the advisory pages, written whole, and a
 * delta over the pages changed since, written beside it; both replaced
 * whole, so no fragment of an earlier generation survives.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPostBuildSteps } from '../../src/build/steps.ts';
import { deltaListName, searchFolder, searchIndexStep, searchStateName, updateSearchIndex } from '../../src/render/site/search-index.ts';
import type { SearchPage } from '../../src/render/site/search-plan.ts';
import { fixtureConfig, fixtureNotes, listFiles, loadAdvisories, renderFiles, searchPagesOf, writeTree } from './support.ts';

describe('the search index', () => {
  let tree: string;
  let pages: SearchPage[];
  const folder = () => path.join(tree, 'site', searchFolder);
  const deltaList = async () => JSON.parse(await readFile(path.join(folder(), deltaListName), 'utf8'));
  const deltas = async () => (await listFiles(folder())).filter((file) => file.startsWith('delta-'));

  beforeAll(async () => {
    const config = await fixtureConfig();
    const advisories = await loadAdvisories([fixtureNotes], { config });
    const files = renderFiles(advisories, { config });
    tree = await writeTree(files);
    pages = searchPagesOf(advisories, files);
  });

  afterAll(async () => {
    if (tree) await rm(tree, { recursive: true, force: true });
  });

  it('builds a base over the advisory pages only, with Pagefind\u2019s browser code and an empty delta list', async () => {
    expect(pages.map((page) => page.id).sort()).toEqual(['OSSN-0101', 'OSSN-0102', 'OSSN-0103', 'notes-from-the-summit']);
    expect(await updateSearchIndex(tree, pages)).toEqual({ wrote: 'base', pages: 4 });
    const files = await listFiles(folder());
    expect(files).toEqual(expect.arrayContaining(['pagefind.js', 'pagefind-entry.json', 'pagefind-worker.js', 'wasm.en.pagefind', deltaListName]));
    const entry = JSON.parse(await readFile(path.join(folder(), 'pagefind-entry.json'), 'utf8'));
    expect(Object.keys(entry.languages)).toEqual(['en']);
    expect(await deltaList()).toEqual({ delta: null, exclude: [] });
  });

  it('writes the same bytes for the same pages', async () => {
    const read = async () => Promise.all((await listFiles(folder())).map(async (file) => [file, await readFile(path.join(folder(), file), 'base64')]));
    const first = await read();
    await rm(path.join(tree, searchStateName));
    expect((await updateSearchIndex(tree, pages)).wrote).toBe('base');
    expect(await read()).toEqual(first);
  });

  it('writes nothing when no page changed', async () => {
    expect(await updateSearchIndex(tree, pages)).toEqual({ wrote: 'nothing', pages: 0 });
  });

  it('indexes an edited page in a delta, hides its base version, and forgets the delta when the edit is undone', async () => {
    const file = path.join(tree, 'site/advisories/OSSN-0103/index.html');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('tarpaulin', 'tarpaulins'));
    const edited = pages.map((page) => (page.id === 'OSSN-0103' ? { ...page, sha256: 'edited' } : page));
    expect(await updateSearchIndex(tree, edited)).toEqual({ wrote: 'delta', pages: 1 });
    const list = await deltaList();
    expect(list).toEqual({ delta: expect.stringMatching(/^delta-[0-9a-f]{16}\/$/), exclude: ['OSSN-0103'] });
    const entry = JSON.parse(await readFile(path.join(folder(), list.delta, 'pagefind-entry.json'), 'utf8'));
    expect(entry.languages.en.page_count).toBe(1);
    expect(await updateSearchIndex(tree, edited)).toEqual({ wrote: 'nothing', pages: 0 });

    await writeFile(file, original);
    expect(await updateSearchIndex(tree, pages)).toEqual({ wrote: 'delta', pages: 0 });
    expect(await deltaList()).toEqual({ delta: null, exclude: [] });
    expect(await deltas()).toEqual([]);
  });

  it('hides a page that is gone without a delta bundle', async () => {
    expect(await updateSearchIndex(tree, pages.filter((page) => page.id !== 'OSSN-0101'))).toEqual({ wrote: 'delta', pages: 0 });
    expect(await deltaList()).toEqual({ delta: null, exclude: ['OSSN-0101'] });
    expect(await deltas()).toEqual([]);
  });

  it('builds a new base when the state of the old one is lost, and leaves no stale file behind', async () => {
    await writeFile(path.join(folder(), 'stale.pf_fragment'), 'old');
    await rm(path.join(tree, searchStateName));
    expect(await updateSearchIndex(tree, pages)).toEqual({ wrote: 'base', pages: 4 });
    expect(await listFiles(folder())).not.toContain('stale.pf_fragment');
    expect((await listFiles(path.join(tree, 'site'))).filter((file) => file.includes('.new-'))).toEqual([]);
  });

  it('is one of the build\u2019s post-build steps, and runs after every build (it finds what changed itself)', () => {
    expect(defaultPostBuildSteps).toContain(searchIndexStep);
    expect(searchIndexStep.when).toBeUndefined();
  });
});
