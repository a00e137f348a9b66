/**
 * How wide text shows in a fixed-width font, in columns: a CJK character
 * or an emoji takes two, a combining mark none (string-width). Tables and
 * the rules under headings are measured so, or a cell of Japanese text
 * pushes the columns after it out of line.
 */
import stringWidth from 'string-width';

/** Printable ASCII: one column per character, the common case, without string-width. */
const narrow = /^[\x20-\x7e]*$/;

/**
 * ASCII and characters one column wide each (Latin, Greek, Cyrillic,
 * general punctuation, currency and letterlike symbols, arrows): text as
 * wide as it is long, whose words the wrap can count in code units.
 */
const oneColumnEach = /^[\x00-\x7f\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f\u2190-\u21ff]*$/;

export function isOneColumnEach(text: string): boolean {
  return oneColumnEach.test(text);
}

/** Widths of the short strings measured so far: CJK prose is measured piece by piece, a character or two, from a few thousand distinct ones. */
const measured = new Map<string, number>();
const measuredLimit = 4096;

export function columnsOf(text: string): number {
  if (narrow.test(text)) return text.length;
  if (text.length > 8) return stringWidth(text);
  let columns = measured.get(text);
  if (columns === undefined) {
    if (measured.size >= measuredLimit) measured.clear();
    columns = stringWidth(text);
    measured.set(text, columns);
  }
  return columns;
}

/** `text` with spaces after it up to `columns` columns. */
export function padToColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - columnsOf(text)));
}

/** A rule of `char` as wide as the widest of `lines`, at most `width` columns. */
export function ruleUnder(lines: readonly string[], char: string, width: number): string {
  return char.repeat(Math.min(width, Math.max(0, ...lines.map(columnsOf))));
}
