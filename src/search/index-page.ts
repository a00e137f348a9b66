/**
 * `indexPage`: one rendered page → what Pagefind would record for it (its
 * `parse_digest` and per-page indexing): every indexed word with its
 * locations already packed the way the `.pf_index` chunks store them, the
 * page's fragment JSON, filters and sort keys. Pure, so the build can run it
 * in a worker when it renders the page and cache the result with the page.
 */
import { createHash } from 'node:crypto';
import { fossickHtml } from './fossick.ts';
import { compressPagefindFile } from './pagefind-file.ts';
import { encodeWord, type PageWord } from './page-words.ts';
import { normaliseContent } from './text.ts';
import { indexableWords, metaIndexableWords, splitWhitespace } from './words.ts';


/**
 * What herald keeps of an indexed page (JSON-serialisable, so it can live in
 * the build cache). `writeSearchBundle` needs nothing else.
 */
export interface IndexedPage {
  /** The page's URL, as the search results link to it. */
  url: string;
  /**
   * The page's `.pf_fragment` file, base64: the fragment JSON (byte for
   * byte what Pagefind writes: URL, text, word count, filters, meta,
   * anchors) compressed here, in the build's workers, not by the writer.
   */
  fragmentFile: string;
  /** SHA-1 of the fragment JSON, in Pagefind's unpadded hex (it names the fragment file). */
  hash: string;
  /** Pagefind's word count: one more than the last word position. */
  wordCount: number;
  /** Words, sorted by stem, with their packed locations (`page-words.ts` format). */
  words: string;
  /** The meta field names `metaLocs` number, in order (sorted). */
  metaFields: string[];
  /** Filter name → values, as in the fragment. */
  filters: Record<string, string[]>;
  /** Sort key → value (`data-pagefind-sort`). */
  sort: Record<string, string>;
  /** Whether the page had a `data-pagefind-body` element (Pagefind drops pages without one when any page has one). */
  body: boolean;
}

interface Position {
  position: number;
  weight: number;
  original: string | undefined;
}

interface MetaPosition {
  field: number;
  position: number;
  original: string | undefined;
}

const weightMultiplier = 24;
const weightMax = 10;
const privateMarker = /___PAGEFIND_\S+\s?/gu;
const anchorMarker = '___PAGEFIND_ANCHOR___';
const weightMarker = '___PAGEFIND_WEIGHT___';
const autoWeightMarker = '___PAGEFIND_AUTO_WEIGHT___';
const endWeightMarker = '___END_PAGEFIND_WEIGHT___';

/** Rust's `str::parse::<f32>` for the forms a weight attribute takes; NaN when it fails. */
function parseWeight(text: string): number {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$/i.test(text)) return Number.NaN;
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower.endsWith('nan')) return Number.NaN;
  return Math.fround(Number(text));
}

/** Rust's saturating `f32 as u8`. */
function toU8(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(0, Math.min(255, Math.trunc(value)));
}

const clampWeight = (w: number): number => (Number.isNaN(w) ? w : Math.min(Math.max(w, 0), weightMax));

/** Packs a page's body locations: runs of equal weight, position deltas inside a run. */
export function packLocations(positions: Position[]): number[] {
  // Pagefind's sort key: (weight, position), with weight 25 sorting as 0.
  positions.sort((a, b) => (a.weight === 25 ? 0 : a.weight) - (b.weight === 25 ? 0 : b.weight) || a.position - b.position);
  const out: number[] = [];
  let currentWeight = 25;
  let last = 0;
  for (const { position, weight } of positions) {
    if (weight !== currentWeight) {
      out.push(-weight - 1, position);
      currentWeight = weight;
    } else {
      out.push(position - last);
    }
    last = position;
  }
  return out;
}

/**
 * `packLocations` over flat [position, weight, ...] pairs in position
 * order, as `page-words.ts` text (numbers joined by commas), written
 * straight into the text in the common case of one weight.
 */
function packedPairsText(pairs: number[] | undefined): string {
  if (!pairs) return '';
  const first = pairs[1] as number;
  let uniform = first !== 25;
  for (let i = 3; uniform && i < pairs.length; i += 2) uniform = pairs[i] === first;
  if (!uniform) {
    const positions: Position[] = [];
    for (let i = 0; i < pairs.length; i += 2) positions.push({ position: pairs[i] as number, weight: pairs[i + 1] as number, original: undefined });
    return packLocations(positions).join(',');
  }
  let text = `${-first - 1},${pairs[0] as number}`;
  for (let i = 2; i < pairs.length; i += 2) text += `,${(pairs[i] as number) - (pairs[i - 2] as number)}`;
  return text;
}

function variantEntry(variants: Map<string, { locs: Position[]; meta: MetaPosition[] }>, form: string): { locs: Position[]; meta: MetaPosition[] } {
  let entry = variants.get(form);
  if (!entry) variants.set(form, (entry = { locs: [], meta: [] }));
  return entry;
}

/** Packs meta locations: a field marker (-(field+1)) then position deltas. */
export function packMetaLocations(positions: { field: number; position: number }[]): number[] {
  positions.sort((a, b) => a.field - b.field || a.position - b.position);
  const out: number[] = [];
  let field = -1;
  let last = 0;
  for (const p of positions) {
    if (p.field !== field) {
      out.push(-(p.field + 1));
      field = p.field;
      last = 0;
    }
    out.push(p.position - last);
    last = p.position;
  }
  return out;
}

/** Code-point order, as Rust compares strings (JavaScript's `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral characters) sort above the rest of the BMP in code-point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Pagefind's `full_hash`: SHA-1 with each byte in hex without zero padding. */
export function pagefindHash(data: string | Uint8Array): string {
  const digest = createHash('sha1').update(data).digest();
  let out = '';
  for (const byte of digest) out += byte.toString(16);
  return out;
}

interface Anchor {
  element: string;
  id: string;
  text: string;
  title?: string;
  location: number;
}

/**
 * Indexes the rendered HTML of one page, as Pagefind 1.6 with
 * `--force-language en` would. Pure: the same arguments give the same result.
 */
export function indexPage(url: string, html: string): IndexedPage {
  const dom = fossickHtml(html);
  // Per stem, body occurrences as flat [position, weight, ...] pairs (no object per word: this loop is the hot path);
  // occurrences of forms with diacritics go to `variantsOf`.
  const byWord = new Map<string, number[]>();
  const variantsOf = new Map<string, Position[]>();
  const anchors: Anchor[] = [];
  const content: string[] = [];
  const weights: number[] = [weightMultiplier];
  let wordIndex = 0;
  let maxWordIndex = 0;

  for (const word of splitWhitespace(dom.digest)) {
    if (word.charCodeAt(0) === 0x5f /* _ */) {
      if (word.startsWith(anchorMarker)) {
        const rest = word.split(anchorMarker).join('');
        const colon = rest.indexOf(':');
        if (colon !== -1) {
          const element = rest.slice(0, colon);
          const anchorId = rest.slice(colon + 1);
          const text = normaliseContent(dom.anchorContent.get(anchorId) ?? '');
          const title = dom.anchorTitles.get(anchorId);
          const idColon = anchorId.indexOf(':');
          if (idColon !== -1) {
            // Key order is Pagefind's (serde field order): title, when present, comes before location.
            const id = anchorId.slice(idColon + 1);
            const anchor: Anchor = title === undefined ? { element, id, text: normaliseContent(text), location: wordIndex } : { element, id, text: normaliseContent(text), title, location: wordIndex };
            anchors.push(anchor);
          }
        }
        continue;
      }
      if (word.startsWith(weightMarker)) {
        const weight = parseWeight(word.split(weightMarker).join(''));
        const value = Number.isNaN(weight) && !/nan/i.test(word) ? 1 : weight;
        weights.push(value <= 0 ? 0 : Math.max(1, toU8(clampWeight(value) * weightMultiplier)));
        continue;
      }
      if (word.startsWith(autoWeightMarker)) {
        if (weights.length === 1) {
          const weight = parseWeight(word.split(autoWeightMarker).join(''));
          const value = Number.isNaN(weight) && !/nan/i.test(word) ? 1 : weight;
          weights.push(toU8(clampWeight(value) * weightMultiplier));
        } else {
          weights.push(weights[weights.length - 1] ?? 0);
        }
        continue;
      }
      if (word.startsWith(endWeightMarker)) {
        weights.pop();
        continue;
      }
    }
    const base = word.includes('\u200b') ? word.split('\u200b').join('') : word;
    if (base === '') continue;
    content.push(base);
    const weight = weights[weights.length - 1] ?? 1;
    const entries = indexableWords(base);
    let compoundCount = 0;
    for (const entry of entries) if (entry.compoundPart) compoundCount++;
    const partialWeight = compoundCount > 0 && weight > 0 ? Math.max(1, Math.floor(weight / Math.min(compoundCount, 255))) : 0;
    for (const entry of entries) {
      const entryWeight = entry.compoundPart ? partialWeight : weight;
      if (entry.original !== undefined) {
        const item: Position = { position: wordIndex, weight: entryWeight, original: entry.original };
        const list = variantsOf.get(entry.stemmed);
        if (list) list.push(item);
        else variantsOf.set(entry.stemmed, [item]);
        continue;
      }
      const list = byWord.get(entry.stemmed);
      if (list) list.push(wordIndex, entryWeight);
      else byWord.set(entry.stemmed, [wordIndex, entryWeight]);
    }
    maxWordIndex = wordIndex;
    wordIndex++;
  }

  // Filters and meta lose any marker that leaked into them.
  const filters: Record<string, string[]> = {};
  for (const key of [...dom.filters.keys()].sort(compareStrings)) filters[key] = (dom.filters.get(key) ?? []).map((v) => v.replace(privateMarker, ''));
  const metaFields = [...dom.meta.keys()].sort(compareStrings);
  const meta: Record<string, string> = {};
  for (const key of metaFields) meta[key] = (dom.meta.get(key) ?? '').replace(privateMarker, '');
  const sort: Record<string, string> = {};
  for (const key of [...dom.sort.keys()].sort(compareStrings)) sort[key] = dom.sort.get(key) ?? '';

  const byMetaWord = new Map<string, MetaPosition[]>();
  metaFields.forEach((field, fieldId) => {
    splitWhitespace(meta[field] ?? '').forEach((word, position) => {
      for (const entry of metaIndexableWords(word)) {
        const list = byMetaWord.get(entry.stemmed);
        const item: MetaPosition = { field: fieldId, position, original: entry.original };
        if (list) list.push(item);
        else byMetaWord.set(entry.stemmed, [item]);
      }
    });
  });

  const wordCount = maxWordIndex + 1;
  const fragment = JSON.stringify({ url, content: content.join(' '), word_count: wordCount, filters, meta, anchors });

  const stems = [...byWord.keys()];
  for (const stem of variantsOf.keys()) if (!byWord.has(stem)) stems.push(stem);
  for (const stem of byMetaWord.keys()) if (!byWord.has(stem) && !variantsOf.has(stem)) stems.push(stem);
  // UTF-16 order (the default sort's) equals code-point order unless a surrogate pair is involved.
  if (stems.some((stem) => /[\ud800-\udfff]/.test(stem))) stems.sort(compareStrings);
  else stems.sort();
  // Pagefind drops a page without body words (meta words alone do not keep it): an empty `words` says so.
  const hasBodyWords = byWord.size > 0 || variantsOf.size > 0;
  // The words in `page-words.ts` text, each line written as it is packed (no arrays of numbers in between).
  let encoded = '';
  for (let i = 0; hasBodyWords && i < stems.length; i++) {
    const stem = stems[i] as string;
    const variantLocs = variantsOf.get(stem);
    const metaLocs = byMetaWord.get(stem);
    const locs = packedPairsText(byWord.get(stem));
    if (variantLocs === undefined && metaLocs === undefined) {
      encoded += i === 0 ? `${stem} ${locs} ` : `\n${stem} ${locs} `;
      continue;
    }
    const plainMeta: MetaPosition[] = [];
    let variants: Map<string, { locs: Position[]; meta: MetaPosition[] }> | undefined;
    for (const p of variantLocs ?? []) variantEntry((variants ??= new Map()), p.original as string).locs.push(p);
    for (const p of metaLocs ?? []) {
      if (p.original === undefined) plainMeta.push(p);
      else variantEntry((variants ??= new Map()), p.original).meta.push(p);
    }
    const entry: PageWord = [stem, [], packMetaLocations(plainMeta)];
    if (variants) {
      const found = variants;
      entry[3] = [...found.keys()].sort(compareStrings).map((form) => {
        const v = found.get(form) as { locs: Position[]; meta: MetaPosition[] };
        return [form, packLocations(v.locs), packMetaLocations(v.meta)];
      });
    }
    encoded += (i === 0 ? '' : '\n') + encodeWord(entry, locs);
  }

  const fragmentFile = Buffer.from(compressPagefindFile(fragment)).toString('base64');
  return { url, fragmentFile, hash: pagefindHash(fragment), wordCount, words: encoded, metaFields, filters, sort, body: dom.hasCustomBody };
}
