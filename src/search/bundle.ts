/**
 * `writeSearchBundle`: indexed pages → the data files of one Pagefind 1.6
 * bundle (entry, meta, word-index chunks, filters, fragments), laid out,
 * encoded, chunked and named as Pagefind's own indexer does, so Pagefind's
 * pagefind.js and WebAssembly read them unchanged. Pages are numbered in URL
 * order and every file is gzipped at a fixed level, so the same pages give
 * the same bytes whatever order they arrive in.
 */
import { CborWriter, encodeCbor, writeCbor, type CborValue } from './cbor.ts';
import { compressPagefindFile as compress } from './pagefind-file.ts';
import { numbers, pushNumberList } from './page-words.ts';
import { compareStrings, packMetaLocations, pagefindHash, type IndexedPage } from './index-page.ts';
import { includeCharacters } from './words.ts';

/** The Pagefind release whose format this writes (and whose browser code must serve it). */
export const pagefindVersion = '1.6.0';

/** One file of a bundle, its path relative to the bundle folder. */
export interface BundleFile {
  path: string;
  contents: Uint8Array | string;
}

const language = 'en';
// Pagefind's default chunk size, in location entries per `.pf_index` file.
const indexChunkSize = 20000;
/** A short name from a full hash: `en_` + 7 hex digits, longer while it collides. */
function shortName(full: string, taken: Set<string>): string {
  const prefixed = `${language}_${full}`;
  let length = language.length + 8;
  let name = prefixed.slice(0, length);
  while (taken.has(name) && length < prefixed.length) name = prefixed.slice(0, ++length);
  taken.add(name);
  return name;
}

interface PageEntry {
  page: number;
  locs: number[];
  metaLocs: number[];
}

interface WordEntry {
  word: string;
  /**
   * The word's page entries so far, as the integers of their CBOR: per
   * page, its delta from the previous one, then the count and values of
   * its locations and of its meta locations.
   */
  entries: number[];
  /** How many page entries `entries` holds. */
  pages: number;
  /** Pagefind's chunk-size measure: locations + meta locations + 1, per page entry of the word and of each variant. */
  size: number;
  lastPage: number;
  variants: { form: string; pages: PageEntry[] }[];
}

/** Decodes packed meta locations into (field, position) pairs. */
function unpackMeta(locs: readonly number[]): { field: number; position: number }[] {
  const out: { field: number; position: number }[] = [];
  let field = 0;
  let last = 0;
  for (const value of locs) {
    if (value < 0) {
      field = -value - 1;
      last = 0;
    } else {
      last += value;
      out.push({ field, position: last });
    }
  }
  return out;
}

/** Re-numbers a page's meta fields into the bundle's field list (identity in the usual case). */
function remapMeta(locs: number[], mapping: number[] | undefined): number[] {
  if (!mapping || locs.length === 0) return locs;
  const positions = unpackMeta(locs).map((p) => ({ field: mapping[p.field] ?? p.field, position: p.position }));
  return packMetaLocations(positions);
}

/** Pagefind's chunk boundaries: the shortest prefixes that still separate neighbouring chunks. */
function prefixes(a: string, b: string): [string, string] {
  const ac = Array.from(a);
  const bc = Array.from(b);
  let common = 0;
  while (common < ac.length && common < bc.length && ac[common] === bc[common]) common++;
  return [ac.slice(0, common + 1).join(''), bc.slice(0, common + 1).join('')];
}

/** Writes a word's page entries (`WordEntry.entries`) as CBOR arrays `[delta, locs, metaLocs]`. */
function writeEntries(writer: CborWriter, entries: readonly number[]): void {
  for (let i = 0; i < entries.length; ) {
    writer.head(4, 3);
    writer.int(entries[i++]!);
    for (let list = 0; list < 2; list++) {
      const count = entries[i++]!;
      writer.head(4, count);
      for (const end = i + count; i < end; i++) writer.int(entries[i]!);
    }
  }
}

function packedPages(pages: PageEntry[]): CborValue[] {
  let last = 0;
  return pages.map((p) => {
    const delta = p.page - last;
    last = p.page;
    return [delta, p.locs, p.metaLocs];
  });
}

/**
 * The data files of one Pagefind bundle over `pages` (pagefind-entry.json,
 * the `.pf_meta`, and the `index/`, `filter/` and `fragment/` files), with
 * paths relative to the bundle folder. Pages are numbered in URL order;
 * pages Pagefind would skip (no words; no `data-pagefind-body` while other
 * pages have one) are left out. Pure: the output depends only on the set of
 * pages, not their order.
 */
export function writeSearchBundle(pages: readonly IndexedPage[]): BundleFile[] {
  const anyBody = pages.some((page) => page.body);
  const kept = pages.filter((page) => page.words !== '' && (!anyBody || page.body));
  const sorted = [...kept].sort((a, b) => compareStrings(a.url, b.url) || compareStrings(a.hash, b.hash));

  const metaFields = [...new Set(sorted.flatMap((page) => page.metaFields))].sort(compareStrings);
  const files: BundleFile[] = [];

  // Fragments, and the meta's page list.
  const fragmentNames = new Set<string>();
  const metaPages: CborValue[] = [];
  sorted.forEach((page) => {
    const name = shortName(page.hash, fragmentNames);
    // Pagefind 1.6.0 writes a third, string field per page (not in its published source);
    // it is empty for every page we have seen it index, so we write it empty too.
    metaPages.push([name, page.wordCount, '']);
    files.push({ path: `fragment/${name}.pf_fragment`, contents: new Uint8Array(Buffer.from(page.fragmentFile, 'base64')) });
  });

  // The inverted index, built word by word in page order: each word's page
  // entries are kept as the integers of their CBOR as they come (page
  // deltas need only the previous page), read straight from the pages'
  // text, so no object per (word, page) pair is ever made. Variants (forms
  // with diacritics) are rare and take the plain route.
  const words = new Map<string, WordEntry>();
  sorted.forEach((page, number) => {
    const fieldMap = page.metaFields.map((field) => metaFields.indexOf(field));
    const mapping = fieldMap.every((to, from) => to === from) ? undefined : fieldMap;
    const text = page.words;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      // `stem locs meta [form locs meta]…` (page-words.ts)
      const afterStem = text.indexOf(' ', start);
      const afterLocs = text.indexOf(' ', afterStem + 1);
      let afterMeta = text.indexOf(' ', afterLocs + 1);
      if (afterMeta === -1 || afterMeta > end) afterMeta = end;
      const stem = text.slice(start, afterStem);
      let entry = words.get(stem);
      if (!entry) words.set(stem, (entry = { word: stem, entries: [], pages: 0, size: 0, lastPage: 0, variants: [] }));
      if (afterLocs > afterStem + 1 || afterMeta > afterLocs + 1) {
        const { entries } = entry;
        entries.push(number - entry.lastPage);
        entry.lastPage = number;
        const locs = pushNumberList(entries, text, afterStem + 1, afterLocs);
        let meta: number;
        if (mapping && afterMeta > afterLocs + 1) {
          const remapped = remapMeta(numbers(text.slice(afterLocs + 1, afterMeta)), mapping);
          entries.push(remapped.length, ...remapped);
          meta = remapped.length;
        } else meta = pushNumberList(entries, text, afterLocs + 1, afterMeta);
        entry.size += locs + meta + 1;
        entry.pages++;
      }
      if (afterMeta < end) {
        const fields = text.slice(afterMeta + 1, end).split(' ');
        for (let i = 0; i + 2 < fields.length; i += 3) {
          const form = fields[i] ?? '';
          let variant = entry.variants.find((v) => v.form === form);
          if (!variant) entry.variants.push((variant = { form, pages: [] }));
          const located = { page: number, locs: numbers(fields[i + 1] ?? ''), metaLocs: remapMeta(numbers(fields[i + 2] ?? ''), mapping) };
          variant.pages.push(located);
          // Pagefind 1.6 counts a variant's page entries towards the chunk size as it counts the word's own.
          entry.size += located.locs.length + located.metaLocs.length + 1;
        }
      }
      start = end + 1;
    }
  });
  const ordered = [...words.values()].sort((a, b) => compareStrings(a.word, b.word));

  const chunks: WordEntry[][] = [];
  let chunk: WordEntry[] = [];
  let size = 0;
  for (const word of ordered) {
    size += word.size;
    chunk.push(word);
    if (size >= indexChunkSize) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);

  const bounds = chunks.map((c) => ({ from: c[0]?.word ?? '', to: c[c.length - 1]?.word ?? '' }));
  for (let i = 0; i + 1 < bounds.length; i++) {
    const left = bounds[i] as { from: string; to: string };
    const right = bounds[i + 1] as { from: string; to: string };
    const [a, b] = prefixes(left.to, right.from);
    if (compareStrings(a, left.from) >= 0) left.to = a;
    right.from = b;
  }

  const indexNames = new Set<string>();
  const indexChunks: CborValue[] = chunks.map((c, i) => {
    const writer = new CborWriter(64 * 1024);
    writer.head(4, 1);
    writer.head(4, c.length);
    for (const w of c) {
      writer.head(4, 3);
      writer.text(w.word);
      writer.head(4, w.pages);
      writeEntries(writer, w.entries);
      if (w.variants.length === 0) writer.head(4, 0);
      else writeCbor(writer, w.variants.map((v) => [v.form, packedPages(v.pages)]));
    }
    const data = writer.view();
    const name = shortName(pagefindHash(data), indexNames);
    files.push({ path: `index/${name}.pf_index`, contents: compress(data) });
    const bound = bounds[i] as { from: string; to: string };
    return [bound.from, bound.to, name];
  });

  // Filters: one file per filter, values sorted, page numbers ascending.
  const filterValues = new Map<string, Map<string, number[]>>();
  sorted.forEach((page, number) => {
    for (const [filter, values] of Object.entries(page.filters)) {
      let byValue = filterValues.get(filter);
      if (!byValue) filterValues.set(filter, (byValue = new Map()));
      for (const value of values) {
        const list = byValue.get(value);
        if (list) list.push(number);
        else byValue.set(value, [number]);
      }
    }
  });
  const filterNames = new Set<string>();
  const metaFilters: CborValue[] = [...filterValues.keys()].sort(compareStrings).map((filter) => {
    const byValue = filterValues.get(filter) as Map<string, number[]>;
    const values = [...byValue.keys()].sort(compareStrings).map((value) => [value, byValue.get(value) as number[]]);
    const data = encodeCbor([filter, values]);
    const name = shortName(pagefindHash(data), filterNames);
    files.push({ path: `filter/${name}.pf_filter`, contents: compress(data) });
    return [filter, name];
  });

  const metaSorts: CborValue[] = sortOrders(sorted);

  const meta = encodeCbor([pagefindVersion, metaPages, indexChunks, metaFilters, metaSorts, metaFields]);
  const metaName = `${language}_${pagefindHash(meta).slice(0, language.length + 8)}`;
  files.push({ path: `pagefind.${metaName}.pf_meta`, contents: compress(meta) });

  const entry = {
    version: pagefindVersion,
    languages: { [language]: { hash: metaName, wasm: language, page_count: sorted.length } },
    include_characters: includeCharacters,
  };
  files.push({ path: 'pagefind-entry.json', contents: JSON.stringify(entry) });
  return files.sort((a, b) => compareStrings(a.path, b.path));
}

/** Pre-sorted page orders for `data-pagefind-sort` keys: numeric when every value is a number. */
function sortOrders(pages: readonly IndexedPage[]): CborValue[] {
  const keys = [...new Set(pages.flatMap((page) => Object.keys(page.sort)))].sort(compareStrings);
  const number = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  return keys.map((key) => {
    const values: [string, number][] = [];
    pages.forEach((page, index) => {
      const value = page.sort[key];
      if (value !== undefined) values.push([value, index]);
    });
    if (values.every(([value]) => number.test(value))) values.sort((a, b) => Math.fround(Number(a[0])) - Math.fround(Number(b[0])));
    else values.sort((a, b) => compareStrings(a[0], b[0]));
    return [key, values.map(([, index]) => index)];
  });
}
