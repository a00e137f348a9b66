/**
 * `herald revise` and `herald withdraw`: a new entry at the end of a note's
 * `revisions` (its next "UPDATE n"), and for a withdrawal its status and
 * reason, written into the front matter without touching any other byte,
 * and read back to make sure they say what was meant. Pure: the commands
 * find the note and write the file.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parse, type Document, type LineCounter } from 'yaml';
import { UsageError } from '../errors/message.ts';
import { isCalendarDate } from '../model/calendar-date.ts';
import { splitFrontMatter } from '../model/frontmatter.ts';
import { hasPlaceholderId } from '../model/types.ts';
import { fileOffset, scalarField, setScalarField, yamlScalar } from './front-matter-field.ts';

export interface Revised {
  text: string;
  /** The new entry's number: "UPDATE n". */
  number: number;
}

interface Revision {
  date: string;
  summary: string;
}

/**
 * `text` with `{ date, summary }` appended to its revisions. `file` names
 * the note in messages. Refuses a note that is not published (a draft has
 * no public history, a withdrawn note no further updates), a date before
 * the latest one or after `now`, a note still under embargo (nothing was
 * announced yet), and front matter it cannot edit safely.
 */
export function addRevision(text: string, file: string, revision: Revision, now: Date): Revised {
  const summary = revision.summary.trim().replace(/\s+/g, ' ');
  if (summary === '') throw new UsageError('the summary must not be empty: say what changed, in a sentence readers of the update will understand');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(summary)) throw new UsageError('the summary must be plain text: it has a control character; write it again without');
  if (!isCalendarDate(revision.date)) throw new UsageError(`--date must be a day written YYYY-MM-DD, not "${revision.date}"`);
  if (revision.date > now.toISOString().slice(0, 10)) throw new UsageError(`the update's date ${revision.date} is in the future; date it the day it is published`);
  const split = splitFrontMatter(text);
  if (!split.ok) throw new UsageError(`${file} has no front matter to add a revision to; run herald lint ${file}`);
  const { doc, lineCounter } = split.value;
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new UsageError(`${file} has front matter herald cannot read; run herald lint ${file}`);
  const data = doc.toJS() as Record<string, unknown>;
  // A blog post (no id) has no status unless it says so: it is published unless `published: false`.
  const status = data.status ?? (data.id === undefined ? (data.published === false ? 'draft' : 'published') : undefined);
  // Said first: whatever its status, a note without its number was never announced.
  if (typeof data.id === 'string' && hasPlaceholderId({ id: data.id, kind: 'note' })) {
    throw new UsageError(
      `${file} has the placeholder id ${data.id}${typeof status === 'string' ? ` (status: ${status})` : ''}: it was never announced, so it gets no updates; edit it as it is. herald assign-ids gives it its number after the merge; once it is announced, herald revise <that id> adds an update`,
    );
  }
  if (status !== 'published') {
    throw new UsageError(`${file} is ${typeof status === 'string' ? status : 'not published'}: only a published note gets updates (a draft is edited as it is; a withdrawn note stays as it was withdrawn)`);
  }
  if (typeof data.embargo === 'string' && Date.parse(data.embargo) > now.getTime()) {
    throw new UsageError(`${file} is under embargo until ${data.embargo}: nothing about it was announced yet, so edit it as it is`);
  }
  const before = Array.isArray(data.revisions) ? (data.revisions as Revision[]) : [];
  const latest = [String(data.date ?? ''), ...before.map((r) => String(r?.date ?? ''))].reduce((a, b) => (b > a ? b : a), '');
  if (revision.date < latest) throw new UsageError(`the update's date ${revision.date} is before the note's latest date ${latest}; revisions are listed oldest first`);

  // Written as the notes write their revisions (a block mapping, a long
  // summary folded); as a one-line flow mapping where the list is in flow
  // style, or where the block form would not read back as the same text.
  const expected = [...before, { date: revision.date, summary }];
  for (const style of ['block', 'flow'] as const) {
    const edited = insertEntry(text, doc, lineCounter, { date: revision.date, summary, style }, file);
    if (isDeepStrictEqual(revisionsOf(edited), expected)) return { text: edited, number: before.length + 1 };
  }
  throw new UsageError(`herald could not add the revision to ${file} without changing something else; add it by hand under revisions:`);
}

interface Entry extends Revision {
  /** `block` where the list allows it; `flow` always writes `{ date: …, summary: … }`. */
  style: 'block' | 'flow';
}

/** Columns a revision's lines fill before its summary is folded, as in the bundled notes. */
const lineWidth = 80;

/** A flow mapping on one line, for a flow list or a block list whose items are written that way. */
function flowEntry(entry: Revision): string {
  return `{ date: ${entry.date}, summary: ${JSON.stringify(entry.summary)} }`;
}

/**
 * The list item `entry` starting at `- ` (its first line's indentation is
 * the caller's; later lines get `indent`): a block mapping whose summary
 * is one line when it fits, else a folded scalar (`>-`) wrapped at
 * `lineWidth` columns.
 */
function blockItem(entry: Entry, indent: string, newline: string): string {
  if (entry.style === 'flow') return `- ${flowEntry(entry)}`;
  const keyIndent = `${indent}  `;
  const oneLine = `summary: ${yamlScalar(entry.summary)}`;
  if (keyIndent.length + oneLine.length <= lineWidth) return `- date: ${entry.date}${newline}${keyIndent}${oneLine}`;
  const textIndent = `${keyIndent}  `;
  const lines: string[] = [];
  let line = '';
  for (const word of entry.summary.split(' ')) {
    if (line !== '' && textIndent.length + line.length + 1 + word.length > lineWidth) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return `- date: ${entry.date}${newline}${keyIndent}summary: >-${lines.map((each) => `${newline}${textIndent}${each}`).join('')}`;
}

/** The revisions `text` holds as YAML reads them back, or undefined when it cannot be read. */
function revisionsOf(text: string): unknown {
  const split = splitFrontMatter(text);
  if (!split.ok) return undefined;
  try {
    return (parse(split.value.yamlText) as Record<string, unknown> | null)?.revisions;
  } catch {
    return undefined;
  }
}

function insertEntry(text: string, doc: Document.Parsed, lineCounter: LineCounter, entry: Entry, file: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const offset = (at: number) => fileOffset(text, lineCounter.linePos(at));
  const node = doc.get('revisions', true);
  if (node === undefined) {
    // No revisions yet: a new key just before the closing `---`.
    return withNewKey(text, file, `revisions:${newline}  ${blockItem(entry, '  ', newline)}`);
  }
  if (!isSeq(node) || !node.range) throw new UsageError(`${file}: revisions is not a list; write it as a list of { date, summary } entries (revisions: [] when there are none)`);
  const last = node.items.at(-1) as { range?: [number, number, number] } | undefined;
  if (node.flow) {
    if (!last?.range) {
      const source = text.slice(offset(node.range[0]), offset(node.range[1]));
      const open = offset(node.range[0]) + source.indexOf('[');
      const close = text.indexOf(']', open);
      // `revisions: []` as the template writes it: a block list, one entry a line,
      // as later updates extend it; `[]` with more on its line: the entry goes between the brackets.
      if (/^[ \t]*\r?(?:\n|$)/.test(text.slice(close + 1)) && /^[ \t]*revisions:[ \t]*$/.test(text.slice(text.lastIndexOf('\n', open) + 1, open))) {
        return `${text.slice(0, open).trimEnd()}${newline}  ${blockItem(entry, '  ', newline)}${text.slice(close + 1).replace(/^[ \t]+/, '')}`;
      }
      return `${text.slice(0, open + 1)}${flowEntry(entry)}${text.slice(open + 1)}`;
    }
    const end = offset(last.range[1]);
    return `${text.slice(0, end)}, ${flowEntry(entry)}${text.slice(end)}`;
  }
  // A block list: a new item after the last one's last line, indented as the first.
  const first = node.items[0] as { range?: [number, number, number] } | undefined;
  if (!first?.range || !last?.range) throw new UsageError(`${file}: revisions is an empty list written in a way herald cannot extend; write revisions: []`);
  const firstLineStart = text.lastIndexOf('\n', offset(first.range[0]) - 1) + 1;
  const indent = /^([ \t]*)-/.exec(text.slice(firstLineStart))?.[1];
  if (indent === undefined) throw new UsageError(`${file}: the items of revisions do not start with "- " on their line; add the revision by hand`);
  const lastValueEnd = offset(last.range[1]);
  let lineEnd = text[lastValueEnd - 1] === '\n' ? lastValueEnd - 1 : text.indexOf('\n', lastValueEnd);
  if (lineEnd === -1) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd -= 1;
  // Items written as one-line flow mappings get one more of those.
  const lastIsFlow = isMap(node.items.at(-1)) && (node.items.at(-1) as { flow?: boolean }).flow === true;
  return `${text.slice(0, lineEnd)}${newline}${indent}${blockItem(lastIsFlow ? { ...entry, style: 'flow' } : entry, indent, newline)}${text.slice(lineEnd)}`;
}

/** `text` with `lines` (a new top-level key and its value) just before the line that closes the front matter. */
function withNewKey(text: string, file: string, lines: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const closing = /^---[ \t]*\r?$/m;
  const afterOpening = text.indexOf('\n') + 1;
  const match = closing.exec(text.slice(afterOpening));
  if (!match) throw new UsageError(`${file}: the end of the front matter (a --- line) was not found`);
  const at = afterOpening + match.index;
  return `${text.slice(0, at)}${lines}${newline}${text.slice(at)}`;
}

/**
 * `text` with the top-level scalar `key` set to `value`: in place when the
 * note has it, else as a new key on the line after the scalar `after` (or
 * at the end of the front matter).
 */
function withScalar(text: string, file: string, key: string, value: string, after?: string): string {
  const set = setScalarField(text, key, value);
  if (set !== undefined) return set;
  const line = `${key}: ${yamlScalar(value)}`;
  const previous = after === undefined ? undefined : scalarField(text, after);
  if (!previous) return withNewKey(text, file, line);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  let end = text.indexOf('\n', previous.end);
  if (end === -1) end = text.length;
  if (text[end - 1] === '\r') end -= 1;
  return `${text.slice(0, end)}${newline}${line}${text.slice(end)}`;
}

export interface Withdrawn extends Revised {
  reason: string;
}

/**
 * `text` withdrawn: `status: withdrawn`, `withdrawn_reason`, and the next
 * revision ("Withdrawn: <reason>") dated `date`, each read back. Refuses what
 * `addRevision` refuses: only a published note can be withdrawn.
 */
export function withdrawNote(text: string, file: string, withdrawal: { date: string; reason: string }, now: Date): Withdrawn {
  const reason = withdrawal.reason.trim().replace(/\s+/g, ' ');
  if (reason === '') throw new UsageError('the reason must not be empty: say why the note is withdrawn and what readers should do instead');
  const revised = addRevision(text, file, { date: withdrawal.date, summary: `Withdrawn: ${reason}` }, now);
  const edited = withScalar(withScalar(revised.text, file, 'status', 'withdrawn'), file, 'withdrawn_reason', reason, 'status');
  const split = splitFrontMatter(edited);
  const data = split.ok ? (split.value.doc.toJS() as Record<string, unknown>) : undefined;
  if (data?.status !== 'withdrawn' || data.withdrawn_reason !== reason) {
    throw new UsageError(`herald could not withdraw ${file} without changing something else; set status: withdrawn and withdrawn_reason by hand`);
  }
  return { text: edited, number: revised.number, reason };
}
