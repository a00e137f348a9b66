/**
 * Where a character of a YAML block scalar's value (`run: |` or `run: >`,
 * with an indentation indicator and chomping or not) is written in the
 * file. The value is built again from the lines under the header, literal
 * or folded as YAML 1.2 folds them, with each character's place; a value
 * that comes out otherwise than the parser's is not placed (the caller then
 * points at the field).
 */
import type { Position } from '../model/types.ts';

const header = /^([|>])(?:([1-9])[+-]?|[+-]([1-9])?)?(?=[ \t]|$)/;

/**
 * The place of character `index` of `value`, the block scalar whose
 * header (`|`, `>-`, `|2`, …) is at `at` in `text` (the front matter, whose
 * line n is the file's line n; CRLF or LF).
 */
export function placeInBlockScalar(text: string, at: Position, value: string, index: number): Position | undefined {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const headerLine = lines[at.line - 1];
  const written = headerLine === undefined ? null : header.exec(headerLine.slice(at.column - 1));
  if (!headerLine || !written) return undefined;
  const indicator = Number(written[2] ?? written[3] ?? 0);
  // The indentation indicator counts from the mapping that holds the key: its column, past any `- ` of a sequence.
  const parent = /^(?:[ \t]*-[ \t]+)*[ \t]*/.exec(headerLine)![0].length;
  const body = lines.slice(at.line);
  const firstText = body.find((line) => line.trim() !== '');
  const indent = indicator > 0 ? parent + indicator : (firstText ?? '').search(/\S/);
  if (indent <= parent) return undefined;
  const content: string[] = [];
  for (const line of body) {
    if (line.trim() !== '' && line.search(/\S/) < indent) break;
    content.push(line.slice(indent));
  }
  const built = written[1] === '|' ? literal(content, at.line, indent) : folded(content, at.line, indent);
  if (built.value.replace(/\n+$/, '') !== value.replace(/\n+$/, '')) return undefined;
  return built.places[index];
}

interface Built {
  value: string;
  /** `places[n]`: where character n of `value` is written; a line break made by folding is where the line ends. */
  places: Position[];
}

function literal(content: readonly string[], headerLine: number, indent: number): Built {
  const out = builder();
  content.forEach((line, k) => {
    if (k > 0) out.add('\n', headerLine + k, indent + content[k - 1]!.length);
    out.line(line, headerLine + 1 + k, indent);
  });
  return out.built;
}

/** YAML 1.2 folding: a break between two lines of text is a space, k empty lines between them are k breaks; breaks around a more-indented line stay. */
function folded(content: readonly string[], headerLine: number, indent: number): Built {
  const out = builder();
  let previous = -1;
  let empty = 0;
  content.forEach((line, k) => {
    if (line === '' || line.trim() === '') {
      if (previous === -1) out.add('\n', headerLine + 1 + k, indent);
      else empty += 1;
      return;
    }
    if (previous !== -1) {
      const spaced = /^[ \t]/.test(line) || /^[ \t]/.test(content[previous]!);
      const end = indent + content[previous]!.length;
      const breaks = spaced ? empty + 1 : empty;
      if (breaks === 0) out.add(' ', headerLine + 1 + previous, end);
      for (let b = 0; b < breaks; b += 1) out.add('\n', headerLine + 1 + previous + b, b === 0 ? end : indent);
    }
    out.line(line, headerLine + 1 + k, indent);
    previous = k;
    empty = 0;
  });
  return out.built;
}

function builder() {
  const built: Built = { value: '', places: [] };
  return {
    built,
    /** One character made by the block's form (a break, a folding space), placed at 0-based column `column`. */
    add(char: string, line: number, column: number) {
      built.value += char;
      built.places.push({ line, column: column + 1 });
    },
    /** A line's text as written from 0-based column `indent`. */
    line(text: string, line: number, indent: number) {
      built.value += text;
      for (let c = 0; c < text.length; c += 1) built.places.push({ line, column: indent + c + 1 });
    },
  };
}
