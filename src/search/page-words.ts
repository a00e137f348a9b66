/**
 * The compact text form of a page's words inside `IndexedPage` (kept in the
 * build cache, 10,000 at a time in memory): one line per word,
 * `stem locs metaLocs [form locs metaLocs]…`, fields separated by a space,
 * numbers by commas. Stems and forms never hold whitespace (words are split
 * on it). About half the size of the same data as JSON arrays.
 */

/** One word of a page: its stem, packed body and meta locations, and diacritic variants. */
export type PageWord = [word: string, locs: number[], metaLocs: number[], variants?: [form: string, locs: number[], metaLocs: number[]][]];

/**
 * One word's line of text; `locsText`, when given, stands for its body
 * locations already joined (the indexer writes them so, without an array).
 * A page's words are its words' lines, sorted by stem, joined by '\n'.
 */
export function encodeWord([stem, locs, metaLocs, variants]: PageWord, locsText = locs.join(',')): string {
  let line = `${stem} ${locsText} ${metaLocs.join(',')}`;
  for (const [form, vLocs, vMeta] of variants ?? []) line += ` ${form} ${vLocs.join(',')} ${vMeta.join(',')}`;
  return line;
}

/** Parses a comma-separated list of integers. */
export function numbers(text: string): number[] {
  const out: number[] = [];
  pushNumberList(out, text, 0, text.length);
  return out.slice(1);
}

/**
 * Appends the integers of the comma-separated list `text[start, end)`
 * to `out`, after their count (no string or array per list: the bundle
 * writer reads millions of them), and returns the count.
 */
export function pushNumberList(out: number[], text: string, start: number, end: number): number {
  const at = out.length;
  out.push(0);
  if (start === end) return 0;
  let count = 0;
  let value = 0;
  let negative = false;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 44 : text.charCodeAt(i);
    if (c === 44 /* , */) {
      out.push(negative ? -value : value);
      count++;
      value = 0;
      negative = false;
    } else if (c === 45 /* - */) {
      negative = true;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  out[at] = count;
  return count;
}
