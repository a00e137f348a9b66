/**
 * A `#` after a space starts a YAML comment, even where it reads as part of
 * a value: `title: Heap overflow in libfoo #2 fix` is the title "Heap
 * overflow in libfoo", and nothing says so. Found in the `yaml` package's
 * concrete syntax tree: a comment token right after a plain (unquoted)
 * scalar, on its line, where the scalar is a value of a block mapping or an
 * item of a block list. One space before the `#` is the likely mistake; two
 * or more (or a tab) mark a comment written as one, and a comment after a
 * quoted value or on a line of its own is always meant.
 */
import { CST, LineCounter, Parser } from 'yaml';
import type { Position } from './types.ts';

export interface CutValue {
  /** The field whose value was cut, as `title` or `affects[0].product`. */
  field: string;
  /** The value as YAML reads it, without the comment. */
  read: string;
  /** The comment, from its `#`. */
  comment: string;
  /** The value as written, comment included, when it is on one line: what the author most likely meant. */
  meant?: string;
  /** Where the `#` is, and the end of the comment. */
  at: Position & { endLine: number; endColumn: number };
}

/** Whether any line may hold such a comment: a `#` after one space after text. False alarms only cost a parse. */
const candidate = /\S #/;

/** Plain scalars cut short by a comment on their line (`yamlText`'s line n is the file's line n). */
export function valuesCutByComments(yamlText: string): CutValue[] {
  if (!candidate.test(yamlText)) return [];
  const lineCounter = new LineCounter();
  const found: CutValue[] = [];
  for (const token of new Parser(lineCounter.addNewLine).parse(yamlText)) {
    if (token.type === 'document' && token.value) walk(token.value, [], lineCounter, found);
  }
  return found;
}

function walk(token: CST.Token, path: readonly (string | number)[], lineCounter: LineCounter, found: CutValue[]): void {
  if (token.type === 'block-map') {
    for (const item of token.items) {
      // A value under a key that is no scalar (`[a, b]: x`) is an unknown field already.
      const key = item.key && CST.isScalar(item.key) ? CST.resolveAsScalar(item.key)?.value : undefined;
      if (key !== undefined && item.value) visitValue(item.value, [...path, key], lineCounter, found);
    }
  } else if (token.type === 'block-seq') {
    token.items.forEach((item, index) => {
      if (item.value) visitValue(item.value, [...path, index], lineCounter, found);
    });
  }
}

function visitValue(value: CST.Token, path: readonly (string | number)[], lineCounter: LineCounter, found: CutValue[]): void {
  if (value.type !== 'scalar') return walk(value, path, lineCounter, found);
  const [space, comment] = value.end ?? [];
  if (space?.type !== 'space' || space.source !== ' ' || comment?.type !== 'comment') return;
  const start = lineCounter.linePos(comment.offset);
  const end = lineCounter.linePos(comment.offset + comment.source.length);
  const read = CST.resolveAsScalar(value)?.value ?? value.source;
  found.push({
    field: label(path),
    read,
    comment: comment.source,
    ...(value.source.includes('\n') ? {} : { meant: `${value.source} ${comment.source}` }),
    at: { line: start.line, column: start.col, endLine: end.line, endColumn: end.col },
  });
}

function label(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '');
}
