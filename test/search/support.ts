/**
 * Reading Pagefind bundles back for the differential tests: gunzip, check
 * and drop the `pagefind_dcd` signature, decode CBOR, and turn page numbers
 * into URLs so a bundle written by the real Pagefind (pages in its own
 * order) and one written by herald (pages in URL order) compare directly.
 */
import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeCbor, type CborValue } from '../../src/search/cbor.ts';
import type { BundleFile } from '../../src/search/bundle.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const pagefindBinary = path.join(repoRoot, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended');

/** A bundle's files by relative path. */
export type FileMap = Map<string, Uint8Array>;

export async function readBundle(dir: string): Promise<FileMap> {
  const files: FileMap = new Map();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), new Uint8Array(await readFile(full)));
  }
  return files;
}

export function fromBundleFiles(files: readonly BundleFile[]): FileMap {
  return new Map(files.map((f) => [f.path, typeof f.contents === 'string' ? new TextEncoder().encode(f.contents) : f.contents]));
}

/** The data inside a Pagefind compressed file, without its signature. */
export function unpack(data: Uint8Array): Uint8Array {
  const raw = gunzipSync(data);
  const signature = new TextDecoder().decode(raw.subarray(0, 12));
  if (signature !== 'pagefind_dcd') throw new Error(`no pagefind_dcd signature: ${signature}`);
  return new Uint8Array(raw.subarray(12));
}

/** The data files (not browser code) of a bundle, uncompressed. */
export function dataFiles(files: FileMap): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of files) {
    if (/\.pf_(meta|index|filter|fragment)$/.test(name)) out.set(name, unpack(data));
    else if (name === 'pagefind-entry.json') out.set(name, data);
  }
  return out;
}

interface Located {
  url: string;
  locs: number[];
  metaLocs: number[];
}

/** A bundle's content with pages named by URL: what the browser can observe. */
export interface BundleModel {
  version: string;
  metaFields: string[];
  /** URL → [word count, fragment JSON text]. */
  pages: Map<string, [number, string]>;
  /** word → pages (sorted by URL), plus variants. */
  words: Map<string, { pages: Located[]; variants: Map<string, Located[]> }>;
  /** filter → value → URLs (sorted). */
  filters: Map<string, Map<string, string[]>>;
  /** Chunk boundaries [from, to]. */
  chunks: [string, string][];
  entry: unknown;
}

const asArray = (value: CborValue): CborValue[] => {
  if (!Array.isArray(value)) throw new Error(`expected a CBOR array, got ${JSON.stringify(value)}`);
  return value;
};

function located(raw: CborValue, urls: string[]): Located[] {
  let page = 0;
  return asArray(raw).map((entry) => {
    const [delta, locs, metaLocs] = asArray(entry);
    page += delta as number;
    const url = urls[page];
    if (url === undefined) throw new Error(`page ${page} out of range`);
    return { url, locs: locs as number[], metaLocs: metaLocs as number[] };
  });
}

const byUrl = (a: Located, b: Located): number => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

export function bundleModel(files: FileMap): BundleModel {
  const data = dataFiles(files);
  const entryText = new TextDecoder().decode(data.get('pagefind-entry.json'));
  const entry = JSON.parse(entryText) as { languages: { en: { hash: string } } };
  const metaBytes = data.get(`pagefind.${entry.languages.en.hash}.pf_meta`);
  if (!metaBytes) throw new Error('no pf_meta for the entry hash');
  const [version, pages, chunks, filters, , metaFields] = asArray(decodeCbor(metaBytes));
  const urls: string[] = [];
  const pageMap = new Map<string, [number, string]>();
  for (const page of asArray(pages as CborValue)) {
    const [hash, wordCount] = asArray(page);
    const fragment = data.get(`fragment/${hash as string}.pf_fragment`);
    if (!fragment) throw new Error(`missing fragment ${hash as string}`);
    const text = new TextDecoder().decode(fragment);
    const url = (JSON.parse(text) as { url: string }).url;
    urls.push(url);
    pageMap.set(url, [wordCount as number, text]);
  }
  const words: BundleModel['words'] = new Map();
  const chunkBounds: [string, string][] = [];
  for (const chunk of asArray(chunks as CborValue)) {
    const [from, to, hash] = asArray(chunk);
    chunkBounds.push([from as string, to as string]);
    const index = data.get(`index/${hash as string}.pf_index`);
    if (!index) throw new Error(`missing index chunk ${hash as string}`);
    for (const word of asArray(asArray(decodeCbor(index))[0] as CborValue)) {
      const [stem, wordPages, variants] = asArray(word);
      const variantMap = new Map<string, Located[]>();
      for (const variant of asArray(variants as CborValue)) {
        const [form, variantPages] = asArray(variant);
        variantMap.set(form as string, located(variantPages as CborValue, urls).sort(byUrl));
      }
      words.set(stem as string, { pages: located(wordPages as CborValue, urls).sort(byUrl), variants: variantMap });
    }
  }
  const filterMap: BundleModel['filters'] = new Map();
  for (const filter of asArray(filters as CborValue)) {
    const [name, hash] = asArray(filter);
    const bytes = data.get(`filter/${hash as string}.pf_filter`);
    if (!bytes) throw new Error(`missing filter ${hash as string}`);
    const [filterName, values] = asArray(decodeCbor(bytes));
    if (filterName !== name) throw new Error(`filter file names ${filterName as string}, meta says ${name as string}`);
    const valueMap = new Map<string, string[]>();
    for (const value of asArray(values as CborValue)) {
      const [text, pageNumbers] = asArray(value);
      valueMap.set(text as string, (pageNumbers as number[]).map((n) => urls[n] ?? `#${n}`).sort());
    }
    filterMap.set(name as string, valueMap);
  }
  return { version: version as string, metaFields: metaFields as string[], pages: pageMap, words, filters: filterMap, chunks: chunkBounds, entry: JSON.parse(entryText) };
}

/** Runs the Pagefind binary on a site folder; throws with its output on failure. */
export function runPagefind(site: string, output: string, glob = 'advisories/*/index.html'): void {
  const result = spawnSync(pagefindBinary, ['--site', site, '--glob', glob, '--output-path', output, '--force-language', 'en', '--quiet'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pagefind failed (${result.status}): ${result.stderr}${result.stdout}`);
}

