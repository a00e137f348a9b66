/**
 * Plain-text layout primitives for a 72-column mail. Prose is re-flowed
 * by display columns (a CJK character takes two); code never is (a wrapped
 * shell command is a different command), so code lines are only indented.
 */
import { columnsOf, isOneColumnEach } from './columns.ts';
import { linePieces, type LinePiece } from './line-breaks.ts';

/** Columns of a mail line: what PGP-signing security teams keep to, so no client re-wraps a signed body. */
export const mailWidth = 72;

/** The narrowest column herald wraps prose into, however deep the nesting. */
const minimumWidth = 24;

/** Usable width after `indent` columns, never below a readable minimum. */
export function widthAfter(width: number, indent: number): number {
  return Math.max(minimumWidth, width - indent);
}

/** JavaScript's `\s`: what separates words (a hand-written test, since wrapping is the hottest loop of the text body). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/**
 * Greedy word wrap of one paragraph, `width` display columns wide.
 * Whitespace runs collapse to one space; a word longer than the width (a
 * URL) gets a line of its own, unbroken. Text one column a character (ASCII,
 * Latin, Cyrillic…) breaks only at spaces, counted in code units; other text
 * is measured in display columns and also breaks between CJK characters
 * (`line-breaks.ts`), Korean only between words unless a word is wider
 * than the line.
 */
export function wrapParagraph(text: string, width: number): string[] {
  if (!isOneColumnEach(text)) return wrapPieces(linePieces(text, width), width);
  // Soft line breaks are the usual irregular whitespace in prose; as spaces they separate the same words.
  const spaced = text.includes('\n') ? text.replaceAll('\n', ' ') : text;
  return isSingleSpaced(spaced) ? wrapSingleSpaced(spaced, width) : wrapWords(text, width);
}

/** The greedy wrap of pieces measured in display columns: each line takes every piece that still fits. */
function wrapPieces(pieces: readonly LinePiece[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let columns = 0;
  for (const piece of pieces) {
    const pieceColumns = columnsOf(piece.text);
    const gap = piece.spaced ? 1 : 0;
    if (line !== '' && columns + gap + pieceColumns > width) {
      lines.push(line);
      line = piece.text;
      columns = pieceColumns;
    } else {
      // Only the first piece of the paragraph starts a line without a break, and no space stands before it.
      line += piece.spaced ? ` ${piece.text}` : piece.text;
      columns += gap + pieceColumns;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Words exactly one plain space apart: no other whitespace, no runs, none at the ends. */
function isSingleSpaced(text: string): boolean {
  return !/[^\S ]/.test(text) && !text.includes('  ') && !text.startsWith(' ') && !text.endsWith(' ');
}

/**
 * The greedy wrap of words exactly one space apart, by string searches
 * rather than character by character: each line ends at the last space
 * that keeps it within the width.
 */
function wrapSingleSpaced(text: string, width: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (text.length - start > width) {
    let end = text.lastIndexOf(' ', start + width);
    // No space in reach: the first word is longer than the width and stands alone.
    if (end <= start) end = text.indexOf(' ', start);
    if (end === -1) break;
    lines.push(text.slice(start, end));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/**
 * The general wrap, character by character. A line whose words are one
 * space apart in `text` is cut out of it in one piece rather than built
 * word by word.
 */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  const length = text.length;
  let first = -1; // where the current line's first word starts in `text`
  let last = -1; // where its last word ends
  let lineLength = 0;
  let index = 0;
  while (index < length) {
    while (index < length && isSpace(text.charCodeAt(index))) index++;
    if (index === length) break;
    const start = index;
    while (index < length && !isSpace(text.charCodeAt(index))) index++;
    const wordLength = index - start;
    if (first !== -1 && lineLength + 1 + wordLength <= width) {
      lineLength += 1 + wordLength;
      last = index;
      continue;
    }
    if (first !== -1) lines.push(lineOf(text, first, last, lineLength));
    first = start;
    last = index;
    lineLength = wordLength;
  }
  if (first !== -1) lines.push(lineOf(text, first, last, lineLength));
  return lines;
}

/** The words of `text` from `first` to `last`, one space apart: `lineLength` long. */
function lineOf(text: string, first: number, last: number, lineLength: number): string {
  const slice = text.slice(first, last);
  // Words already one space apart span exactly the line's length; anything longer had other whitespace between them.
  if (slice.length === lineLength && !hasOtherSpace(slice)) return slice;
  return slice.split(/\s+/).join(' ');
}

/** Whitespace other than the plain space, which would have to become one. */
function hasOtherSpace(slice: string): boolean {
  for (let index = 0; index < slice.length; index++) {
    const code = slice.charCodeAt(index);
    if (code !== 0x20 && isSpace(code)) return true;
  }
  return false;
}

/** Wraps text whose hard line breaks (`\n`) are kept, each segment re-flowed. */
export function wrapText(text: string, width: number): string[] {
  if (!text.includes('\n')) return wrapSegment(text, width);
  const lines: string[] = [];
  for (const segment of text.split('\n')) lines.push(...wrapSegment(segment, width));
  return lines;
}

/** A segment wraps to at least one line, blank if it is. */
function wrapSegment(segment: string, width: number): string[] {
  const wrapped = wrapParagraph(segment, width);
  return wrapped.length > 0 ? wrapped : [''];
}

/** `label` then wrapped `value` with a hanging indent: `Label:     value that goes on`. */
export function hangingLines(label: string, value: string, labelWidth: number, width: number): string[] {
  const indent = Math.max(labelWidth, label.length + 1);
  const lines = wrapText(value, widthAfter(width, indent));
  return lines.map((line, index) => (index === 0 ? label.padEnd(indent) : ' '.repeat(indent)) + line);
}

/** Prefixes the first line with `marker` and indents the rest by its width. */
export function hangLines(marker: string, lines: readonly string[], indent = marker.length): string[] {
  return lines.map((line, index) => (line === '' ? '' : (index === 0 ? marker.padEnd(indent) : ' '.repeat(indent)) + line));
}

/** Indents every non-blank line. */
export function indentLines(lines: readonly string[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  return lines.map((line) => (line === '' ? '' : pad + line));
}

/** Code as written: tabs expanded to 8-column stops, trailing blanks dropped, never re-flowed. */
export function codeLines(code: string): string[] {
  const lines = code.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.map((line) => (line.includes('\t') ? expandTabs(line) : line).trimEnd());
}

function expandTabs(line: string): string {
  let out = '';
  for (const char of line) {
    if (char === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += char;
  }
  return out;
}

/** Joins blocks of lines with one blank line between them. */
export function joinBlocks(blocks: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(...block);
  }
  return out;
}
