/**
 * The block layouts shared by the two ways a note's Markdown becomes mail
 * text (`mdast-text.ts` directly, `hast-text.ts` through sanitized HTML):
 * one implementation, so the two paths cannot drift apart.
 */
import { columnsOf, padToColumns, ruleUnder } from './columns.ts';
import { hangLines, joinBlocks, widthAfter, wrapParagraph, wrapText } from './wrap.ts';

/** Stands for `<br>` while inline text is gathered: a newline in a text node is only a soft break. */
export const hardBreak = '\u2028';

/** The heading style of sections in an OSSN mail: `### Summary ###`. */
export function sectionHeading(text: string): string {
  return `### ${text} ###`;
}

const htmlWhitespace = /[ \t\n\r\f\v\u00a0]+/g;

/** Collapses HTML whitespace; the hard breaks of `<br>` become the only newlines. */
export function normalizeInline(text: string): string {
  // Without a hard break there is one segment and no newline left to strip.
  if (!text.includes(hardBreak)) return text.replace(htmlWhitespace, ' ').trim();
  return text
    .split(hardBreak)
    .map((segment) => segment.replace(htmlWhitespace, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** A paragraph of gathered inline text, wrapped; nothing when it is only whitespace. */
export function paragraphLines(inline: string, width: number): string[] {
  // Without a hard break, normalizing changes nothing the word wrap would
  // not: it turns into single spaces only characters the wrap splits on,
  // and the wrap finds no word exactly when the text is blank. It does let
  // the wrap cut each line out of the text whole.
  if (!inline.includes(hardBreak)) return wrapParagraph(inline, width);
  return inline.trim() === '' ? [] : wrapText(normalizeInline(inline), width);
}

/** `<h1>`, `<h2>`: a section heading on one line. */
export function majorHeadingLines(inline: string): string[] {
  return [sectionHeading(normalizeInline(inline).replace(/\n/g, ' '))];
}

/** `<h3>` to `<h6>`: wrapped, underlined with `~`. */
export function minorHeadingLines(inline: string, width: number): string[] {
  const lines = wrapText(normalizeInline(inline), width);
  return [...lines, ruleUnder(lines, '~', width)];
}

/** A blockquote's lines, each behind `> `. */
export function quoteLines(lines: readonly string[]): string[] {
  return lines.map((line) => (line === '' ? '>' : `> ${line}`));
}

/**
 * A list: `count` items numbered from `start` (or bulleted), each laid out
 * by `item` in the width left after its marker.
 */
export function listLines(count: number, ordered: boolean, start: number, width: number, item: (index: number, width: number) => string[]): string[] {
  const markers = Array.from({ length: count }, (_, index) => (ordered ? `${start + index}. ` : '* '));
  const indent = Math.max(0, ...markers.map((m) => m.length));
  const rendered = markers.map((marker, index) => hangLines(marker, item(index, widthAfter(width, indent)), indent));
  // A list whose items are single paragraphs stays tight, as it was written.
  const loose = rendered.some((lines) => lines.includes(''));
  return loose ? joinBlocks(rendered) : rendered.flat();
}

/** The text of a table cell: one line. */
export function cellText(inline: string): string {
  return normalizeInline(inline).replace(/\n/g, ' ');
}

/**
 * A table as aligned columns when it fits the width; otherwise one
 * `Header: value` block per row, which always fits.
 */
export function tableLines(rows: readonly string[][], width: number): string[] {
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((row) => columnsOf(row[c] ?? ''))));
  const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (columns - 1);
  if (total <= width) {
    const line = (row: string[]) => row.map((cell, c) => padToColumns(cell, widths[c]!)).join('  ').trimEnd();
    const [head, ...body] = rows;
    return [line(head!), widths.map((w) => '='.repeat(w)).join('  '), ...body.map(line)];
  }
  const [head, ...body] = rows;
  const labelWidth = Math.max(...head!.map(columnsOf)) + 2;
  return joinBlocks(body.map((row) => row.flatMap((cell, c) => labelledLines(`${head![c] ?? ''}:`, cell, labelWidth, width))));
}

function labelledLines(label: string, value: string, labelWidth: number, width: number): string[] {
  const lines = wrapText(value, widthAfter(width, labelWidth));
  return lines.map((line, index) => (index === 0 ? padToColumns(label, labelWidth) : ' '.repeat(labelWidth)) + line);
}

/** `text <https://…>`; just the URL when the text is the URL; fragments and empty links keep their text. */
export function linkText(href: string, text: string): string {
  const label = text.trim();
  if (!href || href.startsWith('#')) return text;
  const shown = href.startsWith('mailto:') ? href.slice('mailto:'.length) : href;
  if (label === '' || label === shown || label === href) return shown;
  return `${text} <${shown}>`;
}

/**
 * An image as the HTML part shows it, a link to it: `[image: alt]
 * <https://…>`, just the URL without alt text; the alt text alone when the
 * sanitizer dropped the source.
 */
export function imageText(src: string, alt: string): string {
  const trimmed = alt.trim();
  const label = trimmed ? `[image: ${trimmed}]` : '';
  return src ? linkText(src, label) : label;
}
