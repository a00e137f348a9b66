/**
 * A stray `---` line inside the front matter ends it early: the fields after
 * it become body text (a `lists:` line over a `---` even becomes a heading),
 * and the note reads without them, with no YAML error to say so. A line of
 * the body, above its first heading and outside code, that starts like a
 * front-matter field is taken for that. Read by lint, and by the loader when
 * the front matter fails its schema (a required field may be among those
 * cut off).
 */
import { knownKeysAt } from './schema.ts';
import type { Position } from './types.ts';

const fieldLine = /^([a-z_]+):(?:\s|$)/;
let noteFields: ReadonlySet<string> | undefined;

/** The first body line (of `text`, whose body starts on line `bodyLine`) that starts like a note's front-matter field, with its field; undefined when none. */
export function fieldAfterFrontMatter(text: string, bodyLine: number): { field: string; at: Position; closedAt: number } | undefined {
  const fields = (noteFields ??= new Set(knownKeysAt([])));
  let start = 0;
  for (let line = 1; line < bodyLine && start !== -1; line++) start = text.indexOf('\n', start) + 1 || -1;
  if (start <= 0) return undefined;
  let fenced = false;
  for (let line = bodyLine; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const content = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    if (/^ {0,3}(```|~~~)/.test(content)) fenced = !fenced;
    else if (!fenced && /^ {0,3}#/.test(content)) return undefined;
    const field = fenced ? null : fieldLine.exec(content);
    if (field && fields.has(field[1]!)) return { field: field[1]!, at: { line, column: 1 }, closedAt: bodyLine - 1 };
    if (end === -1) return undefined;
    start = end + 1;
  }
  return undefined;
}

/** The message's text and hint for `fieldAfterFrontMatter`'s finding. */
export function closedEarlyText(found: { field: string; closedAt: number }): { text: string; hint: string } {
  return {
    text: `"${found.field}:" is a front-matter field, but it is body text: the front matter ended at the "---" of line ${found.closedAt}`,
    hint: `If the "---" of line ${found.closedAt} was not meant to end the front matter, remove it; the fields after it then count.`,
  };
}
