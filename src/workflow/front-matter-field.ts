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
  const field = fieldValue(text, key);
  return field && isScalar(field.node) ? { start: field.start, end: field.end, value: field.node.value } : undefined;
}

/** Where the value at `key`, of any kind, is written in `text`, and its node. */
function fieldValue(text: string, key: string | readonly (string | number)[]): { start: number; end: number; node: unknown } | undefined {
  const split = splitFrontMatter(text);
  if (!split.ok) return undefined;
  const { doc, lineCounter } = split.value;
  const node = typeof key === 'string' ? doc.get(key, true) : doc.getIn(key, true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  if (!range) return undefined;
  // Node ranges are offsets into the YAML text, whose line n is the file's
  // line n: go through line and column to land on the file's offset.
  const start = fileOffset(text, lineCounter.linePos(range[0]));
  let end = fileOffset(text, lineCounter.linePos(range[1]));
  // A plain scalar's range runs on over the `\r` of a CRLF line ending.
  // A block collection's runs on over its last line's end.
  const blank = isScalar(node) ? /[\r \t]/ : /[\r\n \t]/;
  while (end > start && blank.test(text[end - 1]!)) end--;
  return { start, end, node };
}

/** `text` with the value at `key`, of any kind, replaced by `written` (YAML, as given); undefined when there is none. */
export function replaceFieldValue(text: string, key: string | readonly (string | number)[], written: string): string | undefined {
  const field = fieldValue(text, key);
  return field ? text.slice(0, field.start) + written + text.slice(field.end) : undefined;
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
