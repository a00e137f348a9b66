/**
 * Turns YAML parse errors and zod issues into located messages, pointing at
 * the exact field (nested ones too) through the YAML document's node ranges.
 * Shared by notes and the config file, so both get the same quality of errors.
 */
import type { z } from 'zod';
import type { LineCounter, YAMLError } from 'yaml';
import type { HeraldMessage } from '../errors/message.ts';
import type { RuleId } from '../errors/catalog.ts';
import { ruleInfo } from '../errors/catalog.ts';
import { locate, type FrontMatterDocument, type Located } from './frontmatter.ts';
import { absolutePathMessage, dateMessages, ghsaId } from './schema.ts';
import { meantDates } from './calendar-date.ts';
import { closest } from './suggest.ts';
import { asSingleQuoted, bracketMistake, explainStructuralError, unclosedFlowMessage } from './yaml-mistakes.ts';
import { unreadableReason } from '../io/unreadable.ts';

export function message(file: string, ruleId: RuleId, text: string, at: { line: number; column: number; endLine?: number; endColumn?: number }, hint?: string): HeraldMessage {
  const info = ruleInfo(ruleId);
  return { file, line: at.line, column: at.column, ...(at.endLine ? { endLine: at.endLine, endColumn: at.endColumn } : {}), severity: info.severity, ruleId, message: text, hint: hint ?? info.hint };
}

/** The `file-unreadable` error of a note file that could not be read (`full`: the path it was read at). */
export function unreadableMessage(file: string, error: unknown, full = file): HeraldMessage {
  return message(file, 'file-unreadable', unreadableReason(full, error), { line: 1, column: 1 });
}

/**
 * The yaml package reports an unterminated quoted scalar where the input
 * ends; the author needs the opening quote, which is the last one before.
 */
function startOfProblem(error: YAMLError, source: string): number {
  const quote = /Missing closing (["'])quote/.exec(error.message)?.[1];
  if (quote) {
    const opening = source.lastIndexOf(quote, Math.min(error.pos[0], source.length - 1));
    if (opening !== -1) return opening;
  }
  // An unclosed `[` or `{` (`title: [draft`) is found where the next line starts: point at the bracket instead.
  const closer = unclosedFlowMessage.exec(error.message)?.[1];
  if (closer) {
    const opener = closer === ']' ? '[' : '{';
    let depth = 0;
    for (let i = Math.min(error.pos[0], source.length) - 1; i >= 0; i--) {
      if (source[i] === closer) depth += 1;
      else if (source[i] === opener && depth-- === 0) return i;
    }
  }
  return error.pos[0];
}

/** Errors that say something wrong where they are, whatever YAML makes of the rest. */
const localErrors: ReadonlySet<YAMLError['code']> = new Set(['DUPLICATE_KEY', 'BAD_DQ_ESCAPE']);

/** Errors in the structure that one of the common mistakes (`yaml-mistakes.ts`) may explain better. */
const explainable: ReadonlySet<YAMLError['code']> = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR', 'BAD_INDENT', 'UNEXPECTED_TOKEN']);

/**
 * The YAML errors as messages. Once YAML's reading of the structure breaks
 * down, what it says of the lines after is the same mistake again, or
 * none: the first error in the structure is said, alone after those before
 * it, and at the mistake behind it where that is one of the common ones.
 */
export function yamlErrorMessages(file: string, errors: readonly YAMLError[], lineCounter: LineCounter, source: string, ruleId: RuleId = 'yaml-syntax'): HeraldMessage[] {
  const ordered = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const structural = ordered.findIndex((error) => !localErrors.has(error.code));
  return (structural === -1 ? ordered : ordered.slice(0, structural + 1)).map((error) => {
    const at = startOfProblem(error, source);
    const mistake = bracketMistake(error.message, source, at) ?? (explainable.has(error.code) && at === error.pos[0] ? explainStructuralError(source, at) : undefined);
    const pos = lineCounter.linePos(mistake?.at ?? at);
    const text = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const specific = mistake ?? yamlProblems[error.code]?.(source, at);
    return message(file, ruleId, `YAML: ${specific?.text ?? text}`, { line: pos.line, column: pos.col }, specific?.hint);
  });
}

/** YAML's own tags, which herald reads on values of their type (`!!str 1.10`). */
const coreTags = /^!!(?:str|int|float|bool|null|map|seq)$/;

/**
 * A tag the YAML core schema does not resolve (`!!js/function`, `!!binary`,
 * `!custom`): herald constructs and runs nothing from a tag, so the value is
 * read as plain text, which is not what the author meant by it.
 */
export function unsupportedTagMessages(file: string, front: FrontMatterDocument): HeraldMessage[] {
  return front.unsupportedTags.map(({ tag, at }) =>
    message(
      file,
      'yaml-tag-unsupported',
      coreTags.test(tag)
        ? `YAML tag "${tag}" does not fit the value after it, which was read as plain text`
        : `YAML tag "${tag}" is not supported: herald reads no tags but YAML's own, and runs nothing from a note, so the value after it was read as plain text`,
      at,
    ),
  );
}

/** What some YAML errors mean to an author, where the library's words (and the rule's hint about quoting) do not say it. */
const yamlProblems: Partial<Record<YAMLError['code'], (source: string, at: number) => { text?: string; hint: string }>> = {
  DUPLICATE_KEY: (source, at) => {
    const key = /^[^:\n]*/.exec(source.slice(at))?.[0].trim();
    return { ...(key ? { text: `the key "${key}" is written twice in one mapping` } : {}), hint: 'Keep one of the two: a mapping holds each key once.' };
  },
  TAB_AS_INDENT: () => ({ hint: 'Indent with spaces: YAML does not allow tabs in indentation.' }),
  BAD_INDENT: () => ({ hint: 'Indent each field of a mapping or list by the same number of spaces as its siblings.' }),
  BAD_DQ_ESCAPE: (source, at) => {
    const single = asSingleQuoted(source, at);
    return { hint: `In double quotes a backslash starts an escape such as \\n. Write the value in single quotes${single ? ` (${single})` : ''}, where a backslash is only a backslash, as regular expressions want it; or write each backslash twice.` };
  },
};

export function pathLabel(path: readonly PropertyKey[]): string {
  return path.reduce<string>((label, segment) => (typeof segment === 'number' ? `${label}[${segment}]` : label ? `${label}.${String(segment)}` : String(segment)), '');
}

function valueAt(front: FrontMatterDocument, path: readonly PropertyKey[]): unknown {
  let value: unknown = front.data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment as string];
  }
  return value;
}

/** `password` where `password_env` is known: a secret written into the file, not a misspelt field. */
function isSecretKey(key: string, known: readonly string[]): boolean {
  return known.includes(`${key}_env`);
}

/** A field's path as one string, to compare paths. */
function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String));
}

function describeReceived(front: FrontMatterDocument, path: readonly PropertyKey[]): string {
  const value = valueAt(front, path);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? shown.slice(0, 37) + '...' : shown}`;
}

export interface IssueOptions {
  file: string;
  front: FrontMatterDocument;
  knownKeysAt: (path: readonly PropertyKey[]) => string[];
  /** Rule id for type/value problems (notes: schema-type; config: config-invalid). */
  typeRule?: RuleId;
  requiredRule?: RuleId;
  unknownRule?: RuleId;
}

export function zodIssuesToMessages(issues: readonly z.core.$ZodIssue[], options: IssueOptions): HeraldMessage[] {
  const { file, front } = options;
  const out: HeraldMessage[] = [];
  // A required field an unknown key's "did you mean" names: renaming that key fixes both, so the field in error is said once.
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = options.knownKeysAt(issue.path);
    for (const key of issue.keys) {
      const suggestion = isSecretKey(key, known) ? undefined : closest(key, known);
      if (suggestion) suggested.add(pathKey([...issue.path, suggestion]));
    }
  }
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const known = options.knownKeysAt(path);
      const where = pathLabel(path);
      for (const key of issue.keys) {
        if (isSecretKey(key, known)) {
          out.push(
            message(
              file,
              options.unknownRule ?? 'schema-unknown-key',
              `Unknown field "${key}"${where ? ` in ${where}` : ''}: herald reads secrets only from the environment, never from a file`,
              locate(front, path, key),
              `Remove "${key}" (and change the secret if this file was ever committed or shared); set "${key}_env" to the name of an environment variable that holds it.`,
            ),
          );
          continue;
        }
        const suggestion = closest(key, known);
        out.push(
          message(
            file,
            options.unknownRule ?? 'schema-unknown-key',
            `Unknown field "${key}"${where ? ` in ${where}` : ''}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
            locate(front, path, key),
            suggestion ? `Rename "${key}" to "${suggestion}", or remove it.` : `Remove "${key}"; known fields here: ${known.join(', ')}.`,
          ),
        );
      }
      continue;
    }
    const received = describeReceived(front, path);
    const label = pathLabel(path) || 'front matter';
    if (received === 'nothing' && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      if (suggested.has(pathKey(path))) continue;
      out.push(message(file, options.requiredRule ?? 'schema-required', `Required field "${label}" is missing`, locate(front, path)));
      continue;
    }
    if (issue.code === 'invalid_union') {
      // The one alternative of the value's own kind (a mapping where a name or a mapping is allowed) says what is wrong inside it.
      const rootType = (branch: readonly z.core.$ZodIssue[]) => branch.find((inner) => inner.code === 'invalid_type' && inner.path.length === 0);
      const sameKind = issue.errors.filter((branch) => !rootType(branch));
      if (sameKind.length === 1) {
        out.push(...zodIssuesToMessages(sameKind[0]!.map((inner) => ({ ...inner, path: [...path, ...inner.path] })), options));
        continue;
      }
      const kinds = issue.errors.map((branch) => rootType(branch)).flatMap((inner) => (inner?.code === 'invalid_type' ? [typeNames[inner.expected] ?? inner.expected] : []));
      const wanted = kinds.length === issue.errors.length ? `must be ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}` : 'has an unexpected shape';
      out.push(message(file, options.typeRule ?? 'schema-type', `"${label}" ${wanted} (received ${received})`, locate(front, path)));
      continue;
    }
    const comment = received === 'null' ? commentAsValue(front, path) : undefined;
    if (comment) {
      const key = path.at(-1);
      const quoted = typeof key === 'string' ? `${key}: ${JSON.stringify(comment.text)}` : JSON.stringify(comment.text);
      out.push(message(file, options.typeRule ?? 'schema-type', `"${label}" is empty: ${JSON.stringify(comment.text)} after it is a YAML comment, as a "#" after a space starts one`, comment.at, `If that is the value, quote it: ${quoted}.`));
      continue;
    }
    const meant = issue.code === 'invalid_value' ? meantValue(valueAt(front, path), issue.values) : undefined;
    out.push(
      message(
        file,
        options.typeRule ?? 'schema-type',
        `"${label}" ${issueText(issue)} (received ${received})${meant ? `; did you mean "${meant}"?` : ''}`,
        locate(front, path),
        meant ? (typeof path.at(-1) === 'string' ? `Write ${String(path.at(-1))}: ${meant}.` : `Write "${meant}" instead.`) : valueHint(issue, path, valueAt(front, path)),
      ),
    );
  }
  return out;
}

/**
 * A value left empty because it starts with "#" (`title: #2 fix`): YAML
 * reads the rest of the line as a comment. The comment and its place.
 */
function commentAsValue(front: FrontMatterDocument, path: readonly PropertyKey[]): { text: string; at: Located } | undefined {
  const at = locate(front, path);
  // The YAML text starts after the opening `---`, on the file's first line.
  const line = front.yamlText.split('\n')[at.line - 1];
  const rest = line?.slice(at.column - 1);
  // One space before it, as after a key: a comment set further off is meant as one.
  if (!rest?.startsWith('#') || line!.slice(0, at.column - 1).search(/[^ ] $/) === -1) return undefined;
  return { text: rest.trimEnd(), at };
}

/** A hint from the value itself: one value where a list is wanted (`cve: CVE-2014-0160`) as a one-item list, a relative file path from the root. */
function valueHint(issue: z.core.$ZodIssue, path: readonly PropertyKey[], value: unknown): string | undefined {
  const key = path.at(-1);
  // A file path written from the working folder (`etc/nova/nova.conf`): the same from the root.
  if (issue.code === 'invalid_format' && issue.message === absolutePathMessage && typeof key === 'string' && typeof value === 'string' && value !== '') {
    return `Write it from the root: ${key}: /${value.replace(/^\.?\/*/, '')}.`;
  }
  // An id written other than as its database writes it (`cve-2014-0160`, `GHSA-JFH8-C2JP-5V3Q`, `ghsa jfh8 c2jp 5v3q`).
  if (issue.code === 'invalid_format' && typeof value === 'string') {
    const written = path[0] === 'cve' ? canonicalCve(value) : path[0] === 'ghsa' ? canonicalGhsa(value) : undefined;
    if (written !== undefined && written !== value) return `Write it as ${path[0] === 'cve' ? 'CVE' : 'GitHub'} writes it: ${written}.`;
    if (path[0] === 'cve') return 'A CVE id is CVE-, the year the id was assigned, -, and its number of four digits or more, as in CVE-2014-0160.';
    if (path[0] === 'ghsa') return 'Copy the id from the advisory on github.com/advisories: its address ends with it.';
  }
  const date = typeof key === 'string' ? dateHint(issue, key, value) : undefined;
  if (date) return date;
  // A number in quotes (`exit: "0"`), or nothing after the colon.
  if (issue.code === 'invalid_type' && typeof key === 'string' && issue.expected === 'number' && typeof value === 'string' && /^\d+$/.test(value.trim())) return `Write ${key}: ${value.trim()}, without quotes.`;
  if (issue.code === 'invalid_type' && typeof key === 'string' && value === null) return `Write the value of "${key}" after its colon.`;
  if (issue.code !== 'invalid_type' || issue.expected !== 'array' || typeof key !== 'string') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const item = /^[\w@+/-][\w.@+/-]*$/.test(String(value)) ? String(value) : JSON.stringify(value);
  return `Write it as a list, even of one: ${key}: [${item}].`;
}

/** A date written another way (`2026-1-5`, `5 January 2026`, `05/01/2026`), as herald reads dates. */
function dateHint(issue: z.core.$ZodIssue, key: string, value: unknown): string | undefined {
  if (!(Object.values(dateMessages) as string[]).includes(issue.message) || (typeof value !== 'string' && typeof value !== 'number')) return undefined;
  if (issue.message === dateMessages.calendar) return 'Write a day the calendar has: the month 01 to 12, the day within that month.';
  const meant = meantDates(value);
  if (meant.length === 1) return `Write ${key}: ${meant[0]}.`;
  if (meant.length === 2) return `Write ${key}: ${meant[0]} or ${key}: ${meant[1]}, whichever day was meant (YYYY-MM-DD).`;
  return `Write the date as year, month and day: ${key}: 2014-04-07.`;
}

function canonicalCve(value: string): string | undefined {
  // A number under 1000 is written with leading zeros to four digits (CVE-2016-0123).
  const match = /^\s*cve[\s_-]*(\d{4})[\s_-]+(\d+)\s*$/i.exec(value);
  return match ? `CVE-${match[1]}-${match[2]!.padStart(4, '0')}` : undefined;
}

function canonicalGhsa(value: string): string | undefined {
  const match = /^\s*(?:ghsa[\s_-]*)?(\w{4})[\s_-]*(\w{4})[\s_-]*(\w{4})\s*$/i.exec(value);
  const written = match ? `GHSA-${match.slice(1).join('-').toLowerCase()}` : undefined;
  return written !== undefined && ghsaId.test(written) ? written : undefined;
}

/** The allowed value a string most likely meant: the same but for case, a longer spelling of it ("debian"), or a typo. */
function meantValue(value: unknown, allowed: readonly unknown[]): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const names = allowed.filter((name): name is string => typeof name === 'string');
  const lower = value.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower) ?? names.find((name) => name.length >= 3 && lower.startsWith(name.toLowerCase())) ?? closest(value, names);
}

/** The YAML words for zod's types. */
const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
};

/**
 * What is wrong, in herald's words: zod's own wording of the common issues
 * ("Too small: expected string to have >=1 characters") is said plainly;
 * a message the schema gives is kept as it is.
 */
function issueText(issue: z.core.$ZodIssue): string {
  const text = issue.message.replace(/^Invalid input: /, '');
  const own = !/^(Too small|Too big|Invalid option|Invalid input: expected \w+, received)/.test(issue.message);
  if (own) return text;
  if (issue.code === 'invalid_type') return `must be ${typeNames[issue.expected] ?? `of type ${issue.expected}`}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const small = issue.code === 'too_small';
    const bound = Number(small ? issue.minimum : issue.maximum);
    const most = small ? 'at least' : 'at most';
    if (issue.origin === 'string') return small && bound === 1 ? 'must not be empty' : `must be ${most} ${bound} character${bound === 1 ? '' : 's'} long`;
    if (issue.origin === 'array' || issue.origin === 'set') return small && bound === 1 ? 'must list at least one item' : `must list ${most} ${bound} item${bound === 1 ? '' : 's'}`;
    const strict = issue.inclusive === false;
    return `must be ${small ? (strict ? 'more than' : 'at least') : strict ? 'less than' : 'at most'} ${bound}`;
  }
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((value) => JSON.stringify(value));
    return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  }
  return text;
}
