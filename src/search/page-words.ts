/**
 * The compact text form of a page's words inside `IndexedPage` (kept in the
 * build cache, 10,000 at a time in memory): one line per word,
 * `stem locs metaLocs [form locs metaLocs]…`, fields separated by a space,
 * numbers by commas. Stems and forms never hold whitespace (words are split
 * on it). About half the size of the same data as JSON arrays.
 */

import type { CborWriter } from './cbor.ts';

/** One word of a page: its stem, packed body and meta locations, and diacritic variants. */
export type PageWord = [word: string, locs: number[], metaLocs: number[], variants?: [form: string, locs: number[], metaLocs: number[]][]];

/** Encodes words (already sorted) as text. */
export function encodeWords(words: readonly PageWord[]): string {
  const lines: string[] = [];
  for (const [stem, locs, metaLocs, variants] of words) {
    let line = `${stem} ${locs.join(',')} ${metaLocs.join(',')}`;
    for (const [form, vLocs, vMeta] of variants ?? []) line += ` ${form} ${vLocs.join(',')} ${vMeta.join(',')}`;
    lines.push(line);
  }
  return lines.join('\n');
}

/** Calls `emit` with each integer of a non-empty comma-separated list (by hand: the writer reads millions of them). */
function eachNumber(text: string, emit: (value: number) => void): void {
  let value = 0;
  let negative = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 44 : text.charCodeAt(i);
    if (c === 44 /* , */) {
      emit(negative ? -value : value);
      value = 0;
      negative = false;
    } else if (c === 45 /* - */) {
      negative = true;
    } else {
      value = value * 10 + (c - 48);
    }
  }
}

/** Parses a comma-separated list of integers. */
export function numbers(text: string): number[] {
  const out: number[] = [];
  if (text !== '') eachNumber(text, (value) => out.push(value));
  return out;
}

/**
 * Writes a comma-separated list of integers as a CBOR array straight from
 * its text (no intermediate array), and returns how many it held.
 */
export function writeNumberList(writer: CborWriter, text: string): number {
  if (text === '') {
    writer.head(4, 0);
    return 0;
  }
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  writer.head(4, count);
  eachNumber(text, (value) => writer.int(value));
  return count;
}

