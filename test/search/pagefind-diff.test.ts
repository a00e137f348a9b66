/**
 * The key test of src/search: the real Pagefind 1.6 binary and herald's
 * writer index the same pages, and the decoded bundles must agree on every
 * word, every page of every word, every location and weight, every filter
 * value and every fragment (byte for byte). Pages: 150 generated realistic
 * advisories, the site fixtures (with the hostile notes), the bundled notes
 * and a hand-written page of edge cases (weights, ignored and excluded
 * blocks, anchors, meta, entities, diacritics, compound words, stemmer
 * exceptions).
 *
 * A second run feeds Pagefind the pages in URL order through its Node API;
 * then page numbers agree too and every data file must be identical once
 * decompressed (only gzip framing differs: Pagefind's compressor is not zlib).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { close, createIndex } from 'pagefind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate.ts';
import { writeSearchBundle } from '../../src/search/bundle.ts';
import { decodeCbor } from '../../src/search/cbor.ts';
import { indexPage, type IndexedPage } from '../../src/search/index-page.ts';
import { fixtureConfig, fixtureNotes, hostileNotes, bundledNotes, loadAdvisories, renderFiles } from '../site/support.ts';
import { missingTools } from '../support/system.ts';
import { bundleModel, dataFiles, fromBundleFiles, pagefindBinary, readBundle, repoRoot, runPagefind, type BundleModel } from './support.ts';

/**
 * English words for the stemmer check: every distinct word of the Markdown
 * documentation of the installed npm packages (fixed by the lockfile), in
 * a stable order, so the test covers many thousand real inflections.
 */
async function vocabulary(limit: number): Promise<string[]> {
  const words = new Set<string>();
  const modules = path.join(repoRoot, 'node_modules');
  const names = (await readdir(modules)).sort();
  for (const name of names) {
    if (words.size >= limit) break;
    const text = await readFile(path.join(modules, name, 'README.md'), 'utf8').catch(() => '');
    for (const word of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) words.add(word);
  }
  return [...words].sort().slice(0, limit);
}

const reason = missingTools(pagefindBinary);

interface SourcePage {
  url: string;
  html: string;
}

/** Renders notes and returns their advisory pages, under folder names prefixed by `set`. */
async function renderedPages(set: string, dirs: string[], bypassLint = false): Promise<SourcePage[]> {
  const config = await fixtureConfig();
  const advisories = await loadAdvisories(dirs, { config, bypassLint });
  // Generated notes run up to late 2025: render as of after that.
  const files = renderFiles(advisories, { config, now: new Date('2026-06-01T00:00:00Z') });
  return files.flatMap((file) => {
    const match = /^site\/advisories\/([^/]+)\/index\.html$/.exec(file.path);
    if (!match) return [];
    const html = typeof file.contents === 'string' ? file.contents : new TextDecoder().decode(file.contents);
    return [{ url: `/advisories/${set}-${match[1]}/`, html }];
  });
}

/** Differences between two models, as readable lines (empty when they agree). */
function differences(expected: BundleModel, actual: BundleModel): string[] {
  const out: string[] = [];
  const show = (value: unknown): string => String(JSON.stringify(value)).slice(0, 400);
  if (expected.version !== actual.version) out.push(`version ${expected.version} vs ${actual.version}`);
  if (show(expected.metaFields) !== show(actual.metaFields)) out.push(`meta fields ${show(expected.metaFields)} vs ${show(actual.metaFields)}`);
  for (const [url, [count, fragment]] of expected.pages) {
    const mine = actual.pages.get(url);
    if (!mine) out.push(`page ${url} missing`);
    else {
      if (mine[0] !== count) out.push(`page ${url}: word_count ${count} vs ${mine[0]}`);
      if (mine[1] !== fragment) {
        let at = 0;
        while (at < fragment.length && fragment[at] === mine[1][at]) at++;
        out.push(`page ${url}: fragment differs at ${at}: …${fragment.slice(at - 60, at + 60)}… vs …${mine[1].slice(at - 60, at + 60)}…`);
      }
    }
  }
  for (const url of actual.pages.keys()) if (!expected.pages.has(url)) out.push(`extra page ${url}`);
  for (const [word, entry] of expected.words) {
    const mine = actual.words.get(word);
    if (!mine) out.push(`word "${word}" missing (in ${entry.pages.length} pages)`);
    else {
      if (show(mine.pages) !== show(entry.pages)) {
        const firstBad = entry.pages.find((p, i) => show(p) !== show(mine.pages[i]));
        out.push(`word "${word}": pages/locations differ, e.g. ${show(firstBad)} vs ${show(mine.pages.find((p) => p.url === firstBad?.url))}`);
      }
      if (show([...mine.variants]) !== show([...entry.variants])) out.push(`word "${word}": variants ${show([...entry.variants])} vs ${show([...mine.variants])}`);
    }
  }
  for (const [word, entry] of actual.words) if (!expected.words.has(word)) out.push(`extra word "${word}" (in ${show(entry.pages.map((p) => p.url))})`);
  const filters = (m: BundleModel) => show([...m.filters].map(([k, v]) => [k, [...v]]));
  if (filters(expected) !== filters(actual)) out.push(`filters ${filters(expected)} vs ${filters(actual)}`);
  if (show(expected.chunks) !== show(actual.chunks)) out.push(`chunk bounds ${show(expected.chunks)} vs ${show(actual.chunks)}`);
  // The entry names the meta file by its hash, which depends on page numbering: compare the rest.
  const entry = (m: BundleModel) => show(m.entry).replace(/"hash":"[^"]*"/, '"hash":"…"');
  if (entry(expected) !== entry(actual)) out.push(`entry ${entry(expected)} vs ${entry(actual)}`);
  return out;
}

describe.skipIf(!!reason)('the index writer against the real Pagefind', () => {
  it('stems a large English vocabulary exactly as Pagefind does', async () => {
    const words = await vocabulary(20_000);
    expect(words.length).toBeGreaterThan(5_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'herald-search-stems-'));
    try {
      const paragraphs: string[] = [];
      for (let i = 0; i < words.length; i += 100) paragraphs.push(`<p>${words.slice(i, i + 100).join(' ')}</p>`);
      const html = `<!DOCTYPE html><html lang="en"><body><main data-pagefind-body>${paragraphs.join('\n')}</main></body></html>`;
      await mkdir(path.join(dir, 'site', 'words'), { recursive: true });
      await writeFile(path.join(dir, 'site', 'words', 'index.html'), html);
      runPagefind(path.join(dir, 'site'), path.join(dir, 'out'), '**/*.html');
      const theirs = bundleModel(await readBundle(path.join(dir, 'out')));
      const ours = bundleModel(fromBundleFiles(writeSearchBundle([indexPage('/words/', html)])));
      expect(theirs.words.size).toBeGreaterThan(4_000);
      expect(differences(theirs, ours)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('counts the page entries of a word\u2019s variants towards the size of its index chunk, as Pagefind does', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'herald-search-variants-'));
    try {
      // 19,752 location entries of "alpha", then "cafe": 204 of its own and 108 of its variant "café", around Pagefind's chunk size of 20,000.
      const filler = 'alpha '.repeat(1645);
      const variants = 'caf\u00e9 na\u00efve cafe naive '.repeat(8);
      const indexedPages = Array.from({ length: 12 }, (_, i) => ({
        url: `/p${String(i).padStart(2, '0')}/`,
        html: `<!DOCTYPE html><html lang="en"><body><main data-pagefind-body><p>${filler}${variants}delta${i} echo foxtrot</p></main></body></html>`,
      }));
      for (const page of indexedPages) {
        await mkdir(path.join(dir, 'site', page.url), { recursive: true });
        await writeFile(path.join(dir, 'site', page.url, 'index.html'), page.html);
      }
      runPagefind(path.join(dir, 'site'), path.join(dir, 'out'), '**/*.html');
      const theirs = bundleModel(await readBundle(path.join(dir, 'out')));
      const ours = bundleModel(fromBundleFiles(writeSearchBundle(indexedPages.map((page) => indexPage(page.url, page.html)))));
      expect(theirs.chunks.length).toBeGreaterThan(1);
      expect([...theirs.words.values()].some((word) => word.variants.size > 0)).toBe(true);
      expect(differences(theirs, ours)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  let work: string;
  let pages: SourcePage[];
  let indexed: IndexedPage[];

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'herald-search-diff-'));
    const notes = path.join(work, 'notes');
    await mkdir(notes);
    for (const note of generateCorpus(150)) await writeFile(path.join(notes, note.fileName), note.text);
    const edge = await readFile(path.join(import.meta.dirname, 'fixtures/edge-cases.html'), 'utf8');
    pages = [
      ...(await renderedPages('gen', [notes], true)),
      ...(await renderedPages('fix', [fixtureNotes])),
      ...(await renderedPages('hostile', [hostileNotes], true)),
      ...(await renderedPages('bundled', [bundledNotes])),
      { url: '/advisories/edge-cases/', html: edge },
    ];
    for (const page of pages) {
      const file = path.join(work, 'site', page.url, 'index.html');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, page.html);
    }
    indexed = pages.map((page) => indexPage(page.url, page.html));
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('has a realistic sample', () => {
    expect(pages.length).toBeGreaterThan(160);
  });

  it('agrees with the pagefind binary on words, pages, locations, weights, filters and fragments', async () => {
    const output = path.join(work, 'pagefind-cli');
    runPagefind(path.join(work, 'site'), output);
    const theirs = bundleModel(await readBundle(output));
    const ours = bundleModel(fromBundleFiles(writeSearchBundle(indexed)));
    expect(theirs.pages.size).toBeGreaterThan(160);
    expect(theirs.words.size).toBeGreaterThan(3000);
    expect(differences(theirs, ours)).toEqual([]);
  }, 120_000);

  it('writes the same data files as Pagefind given the pages in URL order', async () => {
    const output = path.join(work, 'pagefind-api');
    const { index, errors } = await createIndex({ forceLanguage: 'en' });
    try {
      if (!index) throw new Error(errors.join('; '));
      for (const page of [...pages].sort((a, b) => (a.url < b.url ? -1 : 1))) {
        const added = await index.addHTMLFile({ url: page.url, content: page.html });
        expect(added.errors).toEqual([]);
      }
      expect((await index.writeFiles({ outputPath: output })).errors).toEqual([]);
    } finally {
      await close();
    }
    const theirs = dataFiles(await readBundle(output));
    const ours = dataFiles(fromBundleFiles(writeSearchBundle(indexed)));
    // Decoded metas first: a difference there says more than a differing file name.
    const metaOf = (files: Map<string, Uint8Array>) => JSON.stringify(decodeCbor([...files].find(([name]) => name.endsWith('.pf_meta'))?.[1] ?? new Uint8Array()));
    const [theirMeta, ourMeta] = [metaOf(theirs), metaOf(ours)];
    let at = 0;
    while (at < theirMeta.length && theirMeta[at] === ourMeta[at]) at++;
    expect(ourMeta.slice(Math.max(0, at - 80), at + 200)).toBe(theirMeta.slice(Math.max(0, at - 80), at + 200));
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    const differing = [...theirs].filter(([name, data]) => Buffer.compare(Buffer.from(data), Buffer.from(ours.get(name) ?? [])) !== 0).map(([name]) => name);
    expect(differing).toEqual([]);
  }, 120_000);
});
