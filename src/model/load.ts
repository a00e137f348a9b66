/**
 * The boundary: bytes of a note in, a validated `Advisory` (or located
 * messages) out. Nothing past this file re-checks what is checked here.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'mdast';
import type { Config } from '../config/schema.ts';
import { compareMessages, type HeraldMessage } from '../errors/message.ts';
import { findNoteFiles } from '../io/find-notes.ts';
import { lintAcrossNotes, lintNote } from '../lint/run.ts';
import { parseMarkdownDetailed, parseMarkdownWithPositions } from '../markdown/parse.ts';
import { readSections, readSteps, type PositionMapper } from './body.ts';
import { readCvss, type Cvss } from './cvss.ts';
import { decodeText } from './decode.ts';
import { resolveNoteLinks, type NoteLink } from './note-links.ts';
// The site's URL scheme, in one place: a link to another note becomes that advisory's page.
import { absoluteUrl, advisoryPath } from '../render/site/urls.ts';
import { recognizePackageQuery, schemeOfManager } from './package-query.ts';
import { splitFrontMatter, locate, type FrontMatterDocument, type Located } from './frontmatter.ts';
import { checkNesting, treeDepthExceeds, maxNestingDepth, maxSlugLength } from './limits.ts';
import { closedEarlyText, fieldAfterFrontMatter } from './front-matter-end.ts';
import { controlCharsInValues } from './control-chars.ts';
import { affectedShape, knownKeysAt, noteInputSchema, postInputSchema, postSlugPattern, reservedSlugs, type AdvisoryInput, type PostInput } from './schema.ts';
import { ecosystems, isVersionScheme, type Advisory, type ComparisonOperator, type Expectation, type VerifyEntry, type VersionScheme } from './types.ts';
import { message, unreadableMessage, unsupportedTagMessages, yamlErrorMessages, zodIssuesToMessages } from './validate.ts';
import { noteStem } from '../io/note-file.ts';

export interface LoadOptions {
  config: Config;
  now: Date;
  /**
   * Internal: the note is a stand-in made by `standInFindings`, whose
   * front-matter fields are located by this function, in the real note,
   * and whose rules that read the front matter as written read the real one.
   */
  standIn?: { locate: (fieldPath: readonly PropertyKey[], key?: string) => Located; frontMatterText: string };
}

/** A note as parsed: the advisory (when its front matter is valid) and what was found wrong. */
export interface ParsedNote {
  path: string;
  advisory?: Advisory;
  messages: HeraldMessage[];
  /** Points at a front-matter field, for rules that report on one. */
  locate: (fieldPath: readonly PropertyKey[], key?: string) => Located;
  /** The `id` of each raw `verify` entry, by index, to locate entries by id. */
  verifyIds?: readonly unknown[];
  /** The front matter's YAML as written (its line n is the file's line n), for the rules that read it as written. */
  frontMatterText?: string;
  /** Without an advisory (its front matter fails its schema): the body's links to other notes, checked all the same. */
  noteLinks?: NoteLink[];
}

const jekyllName = /^(\d{4}-\d{2}-\d{2})-(.+)\.(md|markdown)$/i;


function isPost(data: Record<string, unknown>, file: string): boolean {
  return data.id === undefined && (data.layout !== undefined || jekyllName.test(path.basename(file)));
}

const operatorPattern = /^\s*(<=|>=|<<|>>|!=|==|=|<|>)?\s*([^\s<>=!]\S*)\s*$/;

/** What is wrong with a version expectation that is no comparison, and the one it most likely means. */
function notAComparison(written: string): string {
  const meant = meantExpectation(written);
  return `Version expectation "${written}" is not "<operator> <version>"${meant ? `; did you mean "${meant}"?` : ''}`;
}

/** The comparison a version expectation written otherwise most likely means: `=> 1.0` and `1.0 >=` as `>= 1.0`. */
function meantExpectation(text: string): string | undefined {
  const swapped = /^\s*(=>|=<)\s*([^\s<>=!]\S*)\s*$/.exec(text);
  if (swapped) return `${swapped[1] === '=>' ? '>=' : '<='} ${swapped[2]}`;
  const after = /^\s*([^\s<>=!]\S*)\s*(<=|>=|<<|>>|!=|==|=|<|>)\s*$/.exec(text);
  return after ? `${after[2]} ${after[1]}` : undefined;
}

/** Parses `>= 1.0.1e-2+deb7u6` into operator and version (`<<`/`>>` as dpkg spells them). */
export function parseVersionExpectation(text: string): { operator: ComparisonOperator; version: string } | undefined {
  const match = operatorPattern.exec(text);
  if (!match) return undefined;
  const raw = match[1] ?? '>=';
  const operator = ({ '<<': '<', '>>': '>', '==': '=' } as Record<string, ComparisonOperator>)[raw] ?? (raw as ComparisonOperator);
  return { operator, version: match[2]! };
}

/** The note's CVSS vectors, scored; each one that cannot be read is reported instead, as is a second vector of one version. */
function toCvss(input: string | string[] | undefined, report: (fieldPath: PropertyKey[], text: string, hint: string) => void): Cvss[] {
  if (input === undefined) return [];
  const listed = Array.isArray(input);
  const read: Cvss[] = [];
  (listed ? input : [input]).forEach((vector, index) => {
    const fieldPath = listed ? ['cvss', index] : ['cvss'];
    const reading = readCvss(vector);
    if (!reading.ok) return report(fieldPath, reading.problem, reading.hint);
    if (read.some((other) => other.version === reading.cvss.version)) return report(fieldPath, `A second CVSS ${reading.cvss.version} vector`, 'Give one vector per CVSS version: the one that scores the advisory as a whole.');
    read.push(reading.cvss);
  });
  return read;
}

function toVerifyEntries(input: AdvisoryInput['verify'], defaultScheme: VersionScheme | undefined, report: (fieldPath: PropertyKey[], rule: 'verify-no-expectation' | 'verify-no-target' | 'verify-invalid-version' | 'verify-not-installed-query' | 'schema-type', text: string) => void): VerifyEntry[] {
  const entries: VerifyEntry[] = [];
  input.forEach((raw, index) => {
    const expect = raw.expect ?? {};
    const kinds = (['version', 'absent', 'present', 'stdout', 'exit'] as const).filter((k) => expect[k] !== undefined);
    if ((raw.run === undefined) === (raw.file === undefined)) {
      report(['verify', index], 'verify-no-target', `Verify entry "${raw.id}" needs exactly one of "run" or "file"`);
      return;
    }
    if (kinds.length === 0) {
      report(['verify', index], 'verify-no-expectation', `Verify entry "${raw.id}" has no expectation`);
      return;
    }
    if (kinds.length > 1) {
      report(['verify', index, 'expect'], 'schema-type', `Verify entry "${raw.id}" has several expectations (${kinds.join(', ')}); give exactly one`);
      return;
    }
    if (raw.file !== undefined && (kinds[0] === 'stdout' || kinds[0] === 'exit' || kinds[0] === 'version')) {
      report(['verify', index, 'expect'], 'schema-type', `Verify entry "${raw.id}" reads a file, so its expectation must be "present" or "absent"`);
      return;
    }
    if (raw.run !== undefined && (kinds[0] === 'present' || kinds[0] === 'absent')) {
      report(['verify', index, 'expect'], 'schema-type', `Verify entry "${raw.id}" runs a command, so its expectation must be "stdout", "exit" or "version"`);
      return;
    }
    const query = kinds[0] === 'version' && raw.run !== undefined ? recognizePackageQuery(raw.run) : undefined;
    let expectation: Expectation;
    switch (kinds[0]!) {
      case 'version': {
        const parsed = parseVersionExpectation(expect.version!);
        // A plain dpkg or rpm query prints a version in its manager's scheme, whatever the note's first affects entry is.
        const scheme = expect.scheme ?? (query ? schemeOfManager[query.manager] : defaultScheme);
        if (!parsed || !scheme) {
          report(['verify', index, 'expect', 'version'], 'verify-invalid-version', !parsed ? notAComparison(expect.version!) : `Version expectation of "${raw.id}" needs a scheme (deb, rpm, semver or pypi)`);
          return;
        }
        expectation = { kind: 'version', ...parsed, scheme };
        break;
      }
      case 'exit':
        expectation = { kind: 'exit', code: expect.exit! };
        break;
      default: {
        const kind = kinds[0] as 'absent' | 'present' | 'stdout';
        expectation = { kind, pattern: expect[kind]! };
      }
    }
    const notInstalled = raw.not_installed === 'error' ? undefined : raw.not_installed;
    if (notInstalled !== undefined && !query) {
      report(['verify', index, 'not_installed'], 'verify-not-installed-query', `Verify entry "${raw.id}" says what a host without the package counts as, but ${expectation.kind !== 'version' ? `its expectation is "${expectation.kind}", not "version"` : 'its command is not a plain package query herald can read'}: herald could not tell a package that is not installed from a command that failed`);
      return;
    }
    entries.push({ id: raw.id, title: raw.title ?? raw.id, ...(raw.run !== undefined ? { run: raw.run } : { file: raw.file! }), expect: expectation, ...(query ? { package: query } : {}), ...(notInstalled ? { notInstalled } : {}) });
  });
  return entries;
}

function postDate(input: PostInput, file: string): string | undefined {
  const fromName = jekyllName.exec(path.basename(file))?.[1];
  if (input.date instanceof Date) return input.date.toISOString().slice(0, 10);
  const fromField = typeof input.date === 'string' ? /^\d{4}-\d{2}-\d{2}/.exec(input.date)?.[0] : undefined;
  return fromField ?? fromName;
}

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/[\s,]+/).filter(Boolean);
}

/**
 * Parses one note. Never throws for bad input: every problem is a message.
 */
export function parseNote(file: string, bytes: Uint8Array | string, options: LoadOptions): ParsedNote {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const noLocation = () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 });
  const fail = (messages: HeraldMessage[]): ParsedNote => ({ path: file, messages, locate: noLocation });
  const decoded = decodeText(file, data);
  if (decoded.error) return fail([decoded.error]);
  const text = decoded.text!;

  const split = splitFrontMatter(text);
  if (!split.ok) {
    if (split.reason === 'language') {
      return fail([message(file, 'frontmatter-engine', `Front matter declared as "${split.language}" is refused: herald only reads YAML and never executes front matter`, { line: split.line, column: split.column })]);
    }
    if (split.reason === 'inline') {
      return fail([message(file, 'frontmatter-inline', `The front matter is written on its opening \`---\` line ("${split.text}"): herald reads the fields from the lines between a \`---\` line and the next`, { line: split.line, column: split.column })]);
    }
    if (split.reason === 'unclosed' && split.trailing) {
      const { line } = split.trailing;
      return fail([message(file, 'frontmatter-unclosed', `The front matter opened on line 1 is never closed: the \`---\` at the end of line ${line} closes nothing, since the closing \`---\` must be a line of its own`, split.trailing)]);
    }
    if (split.reason === 'unclosed') {
      return fail([message(file, 'frontmatter-unclosed', 'The front matter opened on line 1 is never closed: no `---` line follows it, so the whole file would be read as YAML', { line: 1, column: 1 })]);
    }
    return fail([message(file, 'frontmatter-missing', 'The note does not start with YAML front matter between `---` lines', { line: 1, column: 1 })]);
  }
  const front: FrontMatterDocument = split.value;
  const at = options.standIn?.locate ?? ((fieldPath: readonly PropertyKey[], key?: string) => locate(front, fieldPath, key));
  if (front.data === undefined) return { path: file, messages: yamlErrorMessages(file, front.doc.errors, front.lineCounter, front.yamlText), locate: at };

  const nestingError = checkNesting(front.body, front.bodyLine);
  if (nestingError) return { path: file, messages: [message(file, 'nesting-too-deep', nestingError.text, nestingError)], locate: at };

  // A tag's value was read as plain text: an error whatever the schema says of it.
  const messages: HeraldMessage[] = unsupportedTagMessages(file, front);
  const raw = (front.data ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { path: file, messages: [...messages, message(file, 'schema-type', 'Front matter must be a mapping of fields', { line: 2, column: 1 })], locate: at };
  }
  const post = isPost(raw, file);
  const parsed = post ? postInputSchema.safeParse(raw) : noteInputSchema.safeParse(raw);
  if (!parsed.success) {
    messages.push(...zodIssuesToMessages(parsed.error.issues, { file, front, knownKeysAt }));
    // A required field may be missing only because a stray `---` cut it off: say so too.
    const cut = fieldAfterFrontMatter(text, front.bodyLine);
    if (cut) {
      const { text: said, hint } = closedEarlyText(cut);
      messages.push(message(file, 'frontmatter-closed-early', said, cut.at, hint));
    }
    if (options.standIn) return { path: file, messages, locate: at };
    const said = new Set(messages.map((m) => `${m.ruleId} ${m.line}:${m.column}`));
    const standIn = standInFindings(file, raw, parsed.error.issues, front, text.slice(text.length - front.body.length), post, options);
    messages.push(...standIn.findings.filter((m) => !said.has(`${m.ruleId} ${m.line}:${m.column}`)));
    return { path: file, messages, locate: at, ...(standIn.noteLinks.length > 0 ? { noteLinks: standIn.noteLinks } : {}) };
  }

  const { tree: body, inlinePositions } = parseMarkdownDetailed(front.body);
  if (treeDepthExceeds(body, maxNestingDepth)) {
    return { path: file, messages: [message(file, 'nesting-too-deep', `Lists and quotes are nested more than ${maxNestingDepth} levels deep`, { line: front.bodyLine, column: 1 })], locate: at };
  }
  shiftPositions(body, front.bodyLine - 1, text.length - front.body.length);
  const mapper: PositionMapper = (node) => ({ line: node.position?.start.line ?? front.bodyLine, column: node.position?.start.column ?? 1 });
  const bodyOffset = text.length - front.body.length;
  const pageUrl = (slug: string) => absoluteUrl(options.config, advisoryPath(slug));
  const readBody = (tree: Root) => {
    const noteLinks = resolveNoteLinks(tree, file, pageUrl, text, bodyOffset);
    return { body: tree, noteLinks, sections: readSections(tree, mapper), steps: readSteps(tree, text, mapper) };
  };

  const input = parsed.data as AdvisoryInput & PostInput;
  messages.push(...controlCharsInValues(file, raw, at));
  const defaultScheme = input.affects.map((a) => a.ecosystem).find(isVersionScheme);
  const cvss = toCvss(input.cvss, (fieldPath, text, hint) => messages.push(message(file, 'cvss-invalid', text, at(fieldPath), hint)));
  const verify = toVerifyEntries(input.verify, defaultScheme, (fieldPath, rule, text) => messages.push(message(file, rule, text, at(fieldPath))));

  let id: string;
  let date: string | undefined;
  let status = input.status ?? 'published';
  let slug: string;
  if (post) {
    const base = noteStem(file);
    slug = input.slug ?? (jekyllName.exec(path.basename(file))?.[2] ?? base);
    id = slug;
    date = postDate(input, file);
    if (input.published === false) status = 'draft';
    if (!date) messages.push(message(file, 'schema-required', 'Blog post has no date: add `date:` or name the file YYYY-MM-DD-slug.md', at([])));
    // The slug names the post's folder and files (with suffixes such as `.json.sha512`): file systems refuse names over 255 bytes.
    if (slug.length > maxSlugLength) {
      const from = input.slug ? '`slug:`' : 'the file name';
      messages.push(message(file, 'schema-type', `Blog post slug (from ${from}) is ${slug.length} characters long; the limit is ${maxSlugLength}: set a shorter \`slug:\``, at(input.slug ? ['slug'] : [])));
    }
    // `slug:` is checked by the schema; a slug from the file name is checked here, as strictly.
    if (input.slug === undefined && !postSlugPattern.test(slug)) {
      messages.push(message(file, 'schema-type', `Blog post slug ${JSON.stringify(slug)} (from the file name) must be letters, digits and dashes: it names the post's page, files and wiki page`, { line: 1, column: 1 }, 'Rename the file (YYYY-MM-DD-slug.md), or set `slug:` in the front matter.'));
    } else if (reservedSlugs.has(slug.toLowerCase())) {
      messages.push(message(file, 'schema-type', `Blog post slug "${slug}" names a file herald makes from every advisory (wiki/index.wiki, osv/all.json, checklists/schema.json)`, at(input.slug ? ['slug'] : []), 'Set another `slug:`.'));
    }
  } else {
    id = (input as AdvisoryInput).id;
    slug = id;
    date = (input as AdvisoryInput).date;
  }

  const advisory: Advisory = {
    id,
    slug,
    kind: post ? 'post' : 'note',
    title: input.title,
    date: date ?? '1970-01-01',
    status,
    ...(input.withdrawn_reason ? { withdrawnReason: input.withdrawn_reason } : {}),
    ...(input.severity ? { severity: input.severity } : {}),
    ...(cvss.length > 0 ? { cvss } : {}),
    cve: input.cve,
    ghsa: input.ghsa,
    cwe: input.cwe,
    references: input.references.map((r) => ({ url: r.url, type: r.type, ...('title' in r && r.title ? { title: r.title } : {}) })),
    authors: [...input.authors, ...(post && input.author !== undefined ? (Array.isArray(input.author) ? input.author : [input.author]).map((name) => ({ name })) : [])],
    ...(input.credits.length > 0 ? { credits: input.credits.map((c) => ({ ...c })) } : {}),
    affects: input.affects.map((a) => ({ ...a })),
    verify,
    revisions: input.revisions.map((r, index) => ({ number: index + 1, date: r.date, summary: r.summary })),
    lists: input.lists,
    tags: post ? [...new Set([...listOf(input.tags as string | string[] | undefined), ...listOf(input.categories)])] : input.tags,
    aliases: input.aliases,
    ...(input.embargo ? { embargo: input.embargo } : {}),
    ...(input.message_id ? { messageId: input.message_id } : {}),
    ...readBody(body),
    source: { path: file, text, hash: createHash('sha256').update(data).digest('hex'), bodyLine: front.bodyLine },
  };
  const note: ParsedNote = { path: file, advisory, messages, locate: at, verifyIds: input.verify.map((v) => v.id), frontMatterText: options.standIn?.frontMatterText ?? front.yamlText };
  // The fast parse gives inline nodes no position. A clean note never needs
  // one; when lint finds something in the body, parse again by micromark so
  // that every message points at its exact line and column.
  if (!inlinePositions && lintNote(note, options.config, options.now).some((m) => m.line >= front.bodyLine)) {
    const exact = parseMarkdownWithPositions(front.body);
    shiftPositions(exact, front.bodyLine - 1, text.length - front.body.length);
    note.advisory = { ...advisory, ...readBody(exact) };
  }
  return note;
}

/**
 * A front matter that fails its schema leaves no advisory to lint, but the
 * rest of the note can still be read: what is wrong in the body and in the
 * fields that are right is said in the same run, not after the front
 * matter is fixed. The note is read again as a stand-in: the front matter
 * without the fields in error (as one line of JSON, padded so the body
 * keeps its lines), placeholders for the required ones. Its findings in the
 * body are kept, and those on a field it kept, located in the real front
 * matter (rules that read the front matter as written, such as a verify
 * command's syntax, read the real one); nothing is said about a field in
 * error or a placeholder. The body's links to other notes come with them,
 * for the checks across notes (the body keeps its lines and columns).
 */
function standInFindings(file: string, raw: Record<string, unknown>, issues: readonly { code: string; path: PropertyKey[]; keys?: string[] }[], front: FrontMatterDocument, body: string, post: boolean, options: LoadOptions): { findings: HeraldMessage[]; noteLinks: NoteLink[] } {
  const { bodyLine } = front;
  const broken = new Set<PropertyKey>();
  for (const issue of issues) {
    if (issue.path.length > 0) broken.add(issue.path[0]!);
    else for (const key of issue.keys ?? []) broken.add(key);
  }
  const kept: Record<string, unknown> = Object.fromEntries(Object.entries(raw).filter(([key]) => !broken.has(key)));
  // The verify entries lean on `affects` (its packages, the default version scheme): a stand-in without it would make them wrong.
  const affects = broken.has('affects') ? affectsStandIn(raw.affects) : undefined;
  const stand: Record<string, unknown> = post
    ? { title: 'Stand-in', date: '1970-01-01', ...kept, ...(affects ? { affects } : {}) }
    : { id: `${options.config.ids.prefix}-XXXX`, title: 'Stand-in', date: '1970-01-01', status: 'draft', ...kept, ...(affects ? { affects } : {}) };
  // The fences and the JSON take three lines; a front matter of fewer gives the body no room, and is left at that.
  if (bodyLine < 4) return { findings: [], noteLinks: [] };
  // A finding on a field the stand-in kept is located in the real note; one on a field in error or a placeholder is not said.
  const located = new Set<string>();
  const nowhere: Located = { line: 0, column: 0, endLine: 0, endColumn: 0 };
  const fieldAt = (fieldPath: readonly PropertyKey[], key?: string): Located => {
    const first = fieldPath[0];
    if (first === undefined || !Object.hasOwn(kept, first)) return nowhere;
    const place = locate(front, fieldPath, key);
    located.add(`${place.line}:${place.column}`);
    return place;
  };
  const lines = ['---', JSON.stringify(stand), ...Array.from({ length: bodyLine - 4 }, () => ''), '---'];
  const again = parseNote(file, `${lines.join('\n')}\n${body}`, { ...options, standIn: { locate: fieldAt, frontMatterText: front.yamlText } });
  if (!again.advisory) return { findings: [], noteLinks: [] };
  // A copy of the advisory: lint remembers its last result per advisory, and this one must use `fieldAt`.
  const findings = [...again.messages, ...lintNote({ ...again, advisory: { ...again.advisory }, locate: fieldAt }, options.config, options.now)];
  // The body's Verify: lines name the checks of a `verify` the stand-in does not have when it is in error.
  const dependsOnBroken = (m: HeraldMessage) => m.ruleId === 'verify-unknown-ref' && broken.has('verify');
  // A rule that reads the front matter as written places its finding itself: it is said when it lies in a field the stand-in kept.
  const keptRanges = Object.keys(kept).map((key) => locate(front, [key]));
  const inKeptField = (m: HeraldMessage) => keptRanges.some((r) => isAtOrAfter(m, r.line, r.column) && !isAtOrAfter(m, r.endLine, r.endColumn + 1));
  const worthSaying = (m: HeraldMessage) => (m.line >= bodyLine ? !dependsOnBroken(m) : m.line > 0 && (located.has(`${m.line}:${m.column}`) || inKeptField(m)));
  return { findings: findings.filter(worthSaying), noteLinks: again.advisory.noteLinks };
}

/** Whether a message is at or after line:column. */
function isAtOrAfter(m: HeraldMessage, line: number, column: number): boolean {
  return m.line > line || (m.line === line && m.column >= column);
}

/**
 * What the verify rules need of an `affects` in error, as a stand-in: each
 * entry's package and ecosystem where they are right, so that a check of a
 * package an entry names is not said to name none (`verify-package-unknown`),
 * nor a version check to lack the scheme the first entry gives it.
 */
function affectsStandIn(written: unknown): Record<string, string>[] | undefined {
  if (!Array.isArray(written)) return undefined;
  return written.flatMap((entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return [];
    const { ecosystem, package: name } = entry as Record<string, unknown>;
    const known = (ecosystems as readonly unknown[]).includes(ecosystem) ? (ecosystem as string) : 'generic';
    return [{ product: 'Stand-in', ecosystem: known, ...(typeof name === 'string' && affectedShape.package.safeParse(name).success ? { package: name } : {}) }];
  });
}

/** Moves every node's line and offset so that body positions are positions in the whole file. */
function shiftPositions(root: Root, lines: number, offsetShift: number): void {
  if (lines === 0 && offsetShift === 0) return;
  const stack: { position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } }; children?: unknown[] }[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.position) {
      node.position.start.line += lines;
      node.position.end.line += lines;
      if (node.position.start.offset !== undefined) node.position.start.offset += offsetShift;
      if (node.position.end.offset !== undefined) node.position.end.offset += offsetShift;
    }
    if (node.children) stack.push(...(node.children as typeof stack));
  }
}

/** A note file that could not be read (`full`: its path to read): its one `file-unreadable` error. */
export function unreadableNote(file: string, error: unknown, full = file): ParsedNote {
  return { path: file, messages: [unreadableMessage(file, error, full)], locate: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }) };
}

/** Reads, parses and lints notes. Returns the advisories of notes without errors, and every message. */
export async function loadNotes(paths: readonly string[], options: LoadOptions & { cwd?: string }): Promise<{ advisories: Advisory[]; messages: HeraldMessage[]; notes: ParsedNote[] }> {
  const cwd = options.cwd ?? process.cwd();
  const files = await findNoteFiles(paths, cwd);
  const notes = await Promise.all(
    files.map(async (file) => {
      try {
        const bytes = await readFile(path.resolve(cwd, file));
        return parseNote(file, bytes, options);
      } catch (error) {
        return unreadableNote(file, error, path.resolve(cwd, file));
      }
    }),
  );
  const messages: HeraldMessage[] = [];
  for (const note of notes) {
    note.messages.push(...lintNote(note, options.config, options.now));
  }
  const across = lintAcrossNotes(notes.map((note) => ({ ...note, read: () => note.advisory })), options.now);
  for (const m of across) notes.find((n) => n.path === m.file)?.messages.push(m);
  for (const note of notes) messages.push(...note.messages);
  const advisories = notes.filter((n) => n.advisory && !n.messages.some((m) => m.severity === 'error')).map((n) => n.advisory!);
  return { advisories, messages: messages.sort(compareMessages), notes };
}
