/**
 * Plain-text layout primitives for a 72-column mail. Prose is re-flowed;
 * code never is (a wrapped shell command is a different command), so code
 * lines are only indented.
 */

/** Columns of a mail line: what PGP-signing security teams keep to, so no client re-wraps a signed body. */
export const mailWidth = 72;

/** The narrowest column herald wraps prose into, however deep the nesting. */
const minimumWidth = 24;

/** Usable width after `indent` columns, never below a readable minimum. */
export function widthAfter(width: number, indent: number): number {
  return Math.max(minimumWidth, width - indent);
}

/**
 * Greedy word wrap of one paragraph. Whitespace runs collapse to one space;
 * a word longer than the width (a URL) gets a line of its own, unbroken.
 */
export function wrapParagraph(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Wraps text whose hard line breaks (`\n`) are kept, each segment re-flowed. */
export function wrapText(text: string, width: number): string[] {
  return text.split('\n').flatMap((segment) => {
    const wrapped = wrapParagraph(segment, width);
    return wrapped.length > 0 ? wrapped : [''];
  });
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
  return lines.map((line) => expandTabs(line).trimEnd());
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
