/**
 * The boundary of `herald check` and `herald export`: finds a checklist by
 * advisory id or path, and validates it against the checklist schema once,
 * with every problem located at its line and column in the JSON file; or
 * makes it from a note, checked as the build checks it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { previewOut } from '../build/cache-dir.ts';
import { previewIdsFor } from '../build/select.ts';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ruleInfo } from '../errors/catalog.ts';
import { HeraldError, UsageError, type HeraldMessage } from '../errors/message.ts';
import { meantId } from '../model/suggest.ts';
import { checklistFormat, checklistSchema, commandVerifySchema, fileVerifySchema, type Checklist } from '../render/checklists/schema.ts';
import type { Config } from '../config/schema.ts';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A target that ends in `.json` or has a slash is a file; anything else an advisory id. */
export function namesAFile(target: string): boolean {
  return target.endsWith('.json') || target.includes('/');
}

/** A target that ends in `.md` is a note, whose checklist is made from it as the build would. */
export function namesANote(target: string): boolean {
  return target.toLowerCase().endsWith('.md');
}

export interface ChecklistTargetOptions {
  cwd: string;
  dist: string;
  /** The config and the clock a note is read with (only a note target needs them). */
  config: () => Promise<Config>;
  now: Date;
}

/**
 * The checklist a command-line target names (`herald check`, `herald
 * export`): an advisory id (its checklist in `<dist>/checklists/`), a
 * checklist .json file, or a note, read and checked as `herald lint`
 * would (an error stops it), its checklist made as the build makes it
 * (a draft's or an embargoed note's marked as a private preview).
 */
export async function checklistForTarget(target: string, options: ChecklistTargetOptions): Promise<Checklist> {
  if (namesANote(target)) return checklistOfNote(target, options);
  const file = checklistPathFor(target, options);
  return readChecklist(file, path.relative(options.cwd, file) || file, namesAFile(target) ? undefined : target);
}

async function checklistOfNote(target: string, options: ChecklistTargetOptions): Promise<Checklist> {
  const file = path.resolve(options.cwd, target);
  const shown = path.relative(options.cwd, file) || file;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `no note at ${shown}` : `cannot read ${shown}: ${(error as Error).message}`);
  }
  const [{ parseNote }, { buildChecklist }, { isPublic }] = await Promise.all([import('../model/load.ts'), import('../render/checklists/model.ts'), import('../build/select.ts')]);
  const parsed = parseNote(shown, bytes, { config: await options.config(), now: options.now });
  const errors = parsed.messages.filter((message) => message.severity === 'error');
  if (errors.length > 0 || !parsed.advisory) throw new HeraldError(errors);
  return buildChecklist(parsed.advisory, { preview: !isPublic(parsed.advisory, options.now) });
}

/**
 * The checklist file a command-line target names: a path when it ends in
 * `.json` or contains a slash, else an advisory id looked up in
 * `<dist>/checklists/<ID>.json`.
 */
export function checklistPathFor(target: string, options: { cwd: string; dist: string }): string {
  if (namesAFile(target)) return path.resolve(options.cwd, target);
  if (!idPattern.test(target)) throw new UsageError(`"${target}" is neither an advisory id (e.g. OSSN-0007) nor the path of a checklist .json file`);
  return path.resolve(options.cwd, options.dist, 'checklists', `${target}.json`);
}

/** Why an advisory id has no checklist: no build in that folder yet, or no such advisory there (with the id meant, when one is close). */
async function noChecklistFor(id: string, dir: string, shownDir: string): Promise<string> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return `no checklists in ${shownDir}: run \`herald build\` first (or give --dist the folder it built), or give the path of a checklist .json file`;
  }
  const ids = checklistIds(names);
  const meant = meantId(id, ids);
  const byFileName = previewIdsFor(id, ids);
  // A draft's or an embargoed note's checklist is in the preview build beside this one.
  const previewDir = path.resolve(dir, '..', '..', previewOut);
  const previewIds = previewDir !== path.resolve(dir, '..') ? await readdir(path.join(previewDir, 'checklists')).then(checklistIds, () => []) : [];
  const inPreview = previewIds.includes(id) ? [id] : previewIdsFor(id, previewIds);
  const shownPreview = path.join(path.dirname(path.dirname(shownDir)), previewOut);
  const why =
    inPreview.length > 0
      ? `; the preview build has ${inPreview.length === 1 && inPreview[0] === id ? 'it' : inPreview.join(', ')} (a draft, a note under embargo or without its id): add --dist ${shownPreview}`
      : byFileName.length > 0
        ? `; a note without its id goes by its file name: ${byFileName.join(', ')}`
        : meant
          ? `; did you mean ${meant}?`
          : ' (a draft or a note under embargo has none)';
  return `no advisory ${id} among the ${ids.length} checklist${ids.length === 1 ? '' : 's'} in ${shownDir}${why}`;
}

/** The advisory ids of the checklists among a folder's file names. */
function checklistIds(names: readonly string[]): string[] {
  return names.filter((name) => name.endsWith('.json') && name !== 'schema.json').map((name) => name.slice(0, -'.json'.length)).sort();
}

function located(file: string, lineCounter: LineCounter, offset: number | undefined, text: string): HeraldMessage {
  const { line, col } = offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
  const info = ruleInfo('checklist-invalid');
  return { file, line, column: col, severity: info.severity, ruleId: 'checklist-invalid', message: text, hint: info.hint };
}

function offsetOf(doc: Document, fieldPath: readonly PropertyKey[]): number | undefined {
  for (let length = fieldPath.length; length >= 0; length -= 1) {
    const node = doc.getIn(fieldPath.slice(0, length) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

function label(fieldPath: readonly PropertyKey[]): string {
  return fieldPath.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${String(segment)}`)).join('') || 'checklist';
}

/**
 * Zod reports a verify entry that fits neither shape as one vague union
 * issue; checking it again against the shape it meant (by `run` or `file`)
 * names the actual field.
 */
function explain(issues: readonly z.core.$ZodIssue[], data: unknown): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) => {
    const [head, index] = issue.path;
    if (issue.code === 'invalid_union' && issue.path.length === 2 && head === 'verify' && typeof index === 'number') {
      const entry = (data as { verify: unknown[] }).verify[index];
      const schema = entry !== null && typeof entry === 'object' && 'file' in entry ? fileVerifySchema : commandVerifySchema;
      const again = schema.safeParse(entry);
      if (!again.success) return explain(again.error.issues, entry).map((inner) => ({ path: [...issue.path, ...inner.path], message: inner.message }));
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...issue.path, key], message: `unknown field "${key}"` }));
    }
    return [{ path: [...issue.path], message: issue.message }];
  });
}

/**
 * Reads and validates a checklist file; `shownPath` is how messages name it,
 * `id` the advisory id it was found by (absent for a path).
 */
export async function readChecklist(file: string, shownPath: string, id?: string): Promise<Checklist> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(id === undefined ? `no checklist at ${shownPath}` : await noChecklistFor(id, path.dirname(file), path.dirname(shownPath)));
    throw new UsageError(`cannot read ${shownPath}: ${(error as Error).message}`);
  }
  const lineCounter = new LineCounter();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // JSON is YAML 1.2, and the yaml parser says where a syntax error is.
    const doc = parseDocument(text, { lineCounter });
    const offset = doc.errors[0]?.pos[0];
    throw new HeraldError([located(shownPath, lineCounter, offset, `not valid JSON: ${(error as Error).message}`)]);
  }
  const doc = () => parseDocument(text, { lineCounter });
  const foreign = notAChecklist(data);
  if (foreign) throw new HeraldError([located(shownPath, lineCounter, foreign === 'format' ? offsetOf(doc(), ['format']) : undefined, notAChecklistText(data))]);
  const parsed = checklistSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const parsedDoc = doc();
  const problems = explain(parsed.error.issues, data);
  throw new HeraldError(problems.map((problem) => located(shownPath, lineCounter, offsetOf(parsedDoc, problem.path), `${label(problem.path)}: ${problem.message}`)));
}

/**
 * Why JSON is no herald checklist at all (another tool's file, a list):
 * said once, rather than as every field of a checklist it lacks. `format`:
 * its "format" names another format, and is where the message points.
 */
function notAChecklist(data: unknown): 'shape' | 'format' | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'shape';
  if (!('format' in data)) return 'shape';
  return (data as { format: unknown }).format === checklistFormat ? undefined : 'format';
}

function notAChecklistText(data: unknown): string {
  const expected = `a herald checklist is a JSON object with "format": "${checklistFormat}"`;
  if (Array.isArray(data)) return `not a herald checklist: the file holds a JSON array; ${expected}`;
  if (data === null || typeof data !== 'object') return `not a herald checklist: the file holds ${data === null ? 'null' : `a JSON ${typeof data}`}; ${expected}`;
  if (!('format' in data)) return `not a herald checklist: the object has no "format" field; ${expected}`;
  return `not a herald checklist: "format" is ${JSON.stringify((data as { format: unknown }).format)}; ${expected}`;
}
