/**
 * Edits one top-level scalar of a note's front matter and nothing else: the
 * rest of the file stays byte for byte as written (quoting, comments, key
 * order, line endings), so a bot's diff, or a new note made from a
 * template, changes only the values it means to.
 */
import { isScalar, stringify } from 'yaml';
import { splitFrontMatter } from '../model/frontmatter.ts';

/** Where the scalar value at `key` (a top-level key, or a path such as `['authors', 0, 'name']`) is written in `text`, or undefined when there is none. */
export function scalarField(text: string, key: string | readonly (string | number)[]): { start: number; end: number; value: unknown } | undefined {
  const split = splitFrontMatter(text);
  if (!split.ok) return undefined;
  const { doc, lineCounter } = split.value;
  const node = typeof key === 'string' ? doc.get(key, true) : doc.getIn(key, true);
  if (!isScalar(node) || !node.range) return undefined;
  // Node ranges are offsets into the YAML text, whose line n is the file's
  // line n: go through line and column to land on the file's offset.
  const start = fileOffset(text, lineCounter.linePos(node.range[0]));
  let end = fileOffset(text, lineCounter.linePos(node.range[1]));
  // A plain scalar's range runs on over the `\r` of a CRLF line ending.
  while (end > start && (text[end - 1] === '\r' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return { start, end, value: node.value };
}

/**
 * `text` with the scalar value of `key` replaced by `value`, written plain
 * where YAML reads it back as the same string (in a flow collection too)
 * and quoted otherwise; or
 * undefined when the front matter has no such scalar.
 */
export function setScalarField(text: string, key: string | readonly (string | number)[], value: string): string | undefined {
  const field = scalarField(text, key);
  if (!field) return undefined;
  const plain = yamlScalar(value);
  // A plain scalar inside `{ … }` or `[ … ]` ends at `,` and brackets: quote those.
  const written = /^[^"'].*[,[\]{}]/.test(plain) ? JSON.stringify(value) : plain;
  return text.slice(0, field.start) + written + text.slice(field.end);
}

/** `value` as a YAML scalar on one line: plain where YAML reads it back as the same string, quoted otherwise. */
export function yamlScalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** The offset in the file of a line and column of its front matter (whose line n is the file's line n). */
export function fileOffset(text: string, position: { line: number; col: number }): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + position.col - 1;
}
