/**
 * Where a character of a one-line YAML flow scalar's value (`run: echo x`,
 * `run: "…"` with its escapes, `run: '…'` with its doubled quotes) is
 * written in the file, read from the field's own place: a command written
 * twice in a note, or one whose quoted text differs from its value
 * (`"echo \"a\""`), is placed where this entry writes it. A value that
 * comes out otherwise than the parser's is not placed (the caller then
 * tries other ways, and at last points at the field).
 */
import type { Position } from '../model/types.ts';

const escapes: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };
const hexLength: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The place of character `index` of `value`, the flow scalar that starts
 * at `at` in `text` (the front matter, whose line n is the file's line n).
 */
export function placeInFlowScalar(text: string, at: Position, value: string, index: number): Position | undefined {
  const line = text.split('\n')[at.line - 1]?.replace(/\r$/, '');
  if (line === undefined) return undefined;
  const start = at.column - 1;
  const quote = line[start];
  if (quote !== '"' && quote !== "'") {
    return line.startsWith(value, start) && !value.includes('\n') ? { line: at.line, column: at.column + index } : undefined;
  }
  const columns: number[] = [];
  let built = '';
  for (let i = start + 1; i < line.length; ) {
    const c = line[i]!;
    if (c === quote && !(quote === "'" && line[i + 1] === "'")) {
      return built === value && index < columns.length ? { line: at.line, column: columns[index]! + 1 } : undefined;
    }
    let read = c;
    let width = 1;
    if (quote === "'" && c === "'") width = 2;
    else if (quote === '"' && c === '\\') {
      const name = line[i + 1] ?? '';
      const digits = hexLength[name];
      if (digits !== undefined) {
        const hex = line.slice(i + 2, i + 2 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        read = String.fromCodePoint(parseInt(hex, 16));
        width = 2 + digits;
      } else if (name in escapes) {
        read = escapes[name]!;
        width = 2;
      } else return undefined;
    }
    for (let k = 0; k < read.length; k++) columns.push(i);
    built += read;
    i += width;
  }
  // The closing quote is on a later line: YAML folds the value, which is not placed here.
  return undefined;
}
