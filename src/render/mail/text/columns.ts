/**
 * How wide text shows in a fixed-width font, in columns: a CJK character
 * or an emoji takes two, a combining mark none (string-width). Tables and
 * the rules under headings are measured so, or a cell of Japanese text
 * pushes the columns after it out of line.
 */
import stringWidth from 'string-width';

/** Printable ASCII: one column per character, the common case, without string-width. */
const narrow = /^[\x20-\x7e]*$/;

export function columnsOf(text: string): number {
  return narrow.test(text) ? text.length : stringWidth(text);
}

/** `text` with spaces after it up to `columns` columns. */
export function padToColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - columnsOf(text)));
}

/** A rule of `char` as wide as the widest of `lines`, at most `width` columns. */
export function ruleUnder(lines: readonly string[], char: string, width: number): string {
  return char.repeat(Math.min(width, Math.max(0, ...lines.map(columnsOf))));
}
