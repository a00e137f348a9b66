/**
 * `herald lint` with the build cache: a note whose bytes the last build
 * read, with the same herald and config, gets the messages that build
 * recorded for it (`LightRecord.messages`, which are parse and lint
 * messages only) without being parsed again; the others are parsed and
 * linted here. The rules across notes (duplicate ids and aliases) run over
 * every note, the cached ones by their cards. The cache is only read: the
 * build owns it.
 *
 * A note whose record holds an error is always linted again: the only rule
 * that depends on the clock (`date-future`) reports errors, so a message
 * that time may have made wrong is never reused.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { compareMessages, type HeraldMessage } from '../errors/message.ts';
import { findNoteFiles, isInNotesFolder, noteOutsideFolders, type NotANote } from '../io/find-notes.ts';
import { lintAcrossNotes, lintNote, parsedOnDemand, type IdentifiedNote } from '../lint/run.ts';
import { parseNote, unreadableNote } from '../model/load.ts';
import type { NoteLink } from '../model/note-links.ts';
import { cardOf, globalKey, loadIndex, sha256, type AdvisoryCard, type CacheIndex, type LightRecord } from './cache.ts';
import { jobBytes } from './job-bytes.ts';

export interface CachedLintOptions {
  config: Config;
  now: Date;
  cwd: string;
  /** The build cache folder, or null to lint every note afresh. */
  cacheDir: string | null;
  /** Worker threads for the notes to parse, when there are many (0: in this thread). */
  workers: number;
  /** From how many notes to parse the workers are used (default: `poolFrom`). */
  poolFrom?: number;
  /** Say that a folder named holds no note (`herald lint`; see `findNoteFiles`). */
  reportEmptyFolders?: boolean;
  /** The folder the build reads notes from (`--notes`, default `notes`): a linked file outside it is no note, as the build finds none there. */
  notesFolder?: string;
}

/** Below this many notes to parse, the workers cost more than they save (here, 2 cores: at 1,000 notes 3.1 s against 2.1–2.9 s in-process; at 10,000 about 10 % less). */
const poolFrom = 5000;

export interface CachedLintResult {
  messages: HeraldMessage[];
  /** The note files checked, as found. */
  files: string[];
  /** Of those, notes whose messages came from the cache. */
  fromCache: number;
  /** The card of each note that could be read into an advisory (errors or not), by path, in the notes' order. */
  cards: Map<string, AdvisoryCard>;
  /** The cache index read (absent without a cache), and the notes whose bytes are those its records were made from (and hold no error). */
  cache?: { dir: string; index: CacheIndex; current: ReadonlySet<string> };
}

/**
 * The notes the cache index knows that this lint does not check (`herald
 * lint FILE`), by their cards, while their files are as the index saw
 * them: the checked notes' ids are compared with theirs.
 */
function othersKnown(index: CacheIndex | undefined, checked: ReadonlyMap<string, number>, cwd: string): IdentifiedNote[] {
  if (!index) return [];
  const others: IdentifiedNote[] = [];
  for (const [file, record] of Object.entries(index.notes)) {
    if (checked.has(file) || !record.card) continue;
    try {
      const info = statSync(path.resolve(cwd, file));
      if (info.size !== record.size || info.mtimeMs !== record.mtimeMs) continue;
    } catch {
      continue;
    }
    others.push({ path: file, advisory: record.card, locate: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }) });
  }
  return others;
}

/** Whether a cached record's messages still hold for the note's bytes. */
function reusable(record: LightRecord | undefined): record is LightRecord & { card: NonNullable<LightRecord['card']> } {
  return record !== undefined && record.card !== undefined && !record.messages.some((m) => m.severity === 'error');
}

export async function lintWithCache(paths: readonly string[], options: CachedLintOptions): Promise<CachedLintResult> {
  const { config, now, cwd } = options;
  const messages: HeraldMessage[] = [];
  const files = await findNoteFiles(paths, cwd, options.reportEmptyFolders ? { emptyFolders: messages } : {});
  const index = options.cacheDir ? loadIndex(options.cacheDir, globalKey(config, false)) : undefined;
  const known = index?.notes ?? {};
  const current = new Set<string>();
  const notes: IdentifiedNote[] = [];
  let fromCache = 0;
  const parse = (file: string, bytes: Buffer) => parseNote(file, bytes, { config, now });
  // What the rules across notes need of a note, without holding its parse: it is parsed again only to place a message.
  const found = new Map<string, AdvisoryCard>();
  // A note whose front matter fails its schema has no card, but its links to other notes are checked all the same.
  const identified = (file: string, advisory: AdvisoryCard | undefined, noteLinks?: readonly NoteLink[]): IdentifiedNote => {
    if (advisory) found.set(file, advisory);
    const { locate, read } = parsedOnDemand(() => parse(file, readFileSync(path.resolve(cwd, file))));
    return advisory ? { path: file, advisory, locate, read } : { path: file, ...(noteLinks ? { noteLinks } : {}), locate };
  };
  const toParse: { file: string; bytes: Buffer }[] = [];
  for (const file of files) {
    const full = path.resolve(cwd, file);
    const record = known[file];
    let bytes: Buffer | undefined;
    try {
      if (reusable(record)) {
        const info = statSync(full);
        const same = (info.size === record.size && info.mtimeMs === record.mtimeMs) || record.hash === sha256((bytes = readFileSync(full)));
        if (same) {
          fromCache += 1;
          current.add(file);
          messages.push(...record.messages);
          notes.push(identified(file, record.card));
          continue;
        }
      }
      bytes ??= readFileSync(full);
    } catch (error) {
      const note = unreadableNote(file, error, full);
      messages.push(...note.messages);
      notes.push(note);
      continue;
    }
    toParse.push({ file, bytes });
  }
  if (toParse.length >= (options.poolFrom ?? poolFrom) && options.workers > 0) {
    // On workers: each note's messages and summary come back.
    const { runOnPool } = await import('./worker-pool.ts');
    const settings = { config, now: now.toISOString(), preview: false };
    const jobs = toParse.map(({ file, bytes }, id) => ({ id, path: file, bytes: jobBytes(bytes), hash: '' }));
    await runOnPool(jobs, { size: options.workers, settings, cacheDir: null, lintOnly: true, timeoutMs: 2000 }, (result) => {
      if (!('messages' in result)) return;
      messages.push(...result.messages);
      notes.push(identified(result.path, result.summary && cardOf(result.summary), result.noteLinks));
    });
  } else {
    for (const { file, bytes } of toParse) {
      const note = parse(file, bytes);
      messages.push(...note.messages, ...lintNote(note, config, now));
      notes.push(identified(file, note.advisory && cardOf(note.advisory), note.noteLinks));
    }
  }
  // In the notes' order, so a duplicate is reported on the later file, as without the cache or workers.
  const order = new Map(files.map((file, index) => [file, index]));
  notes.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  // A note linked from one of these but not among them (`herald lint FILE`): read from its file, when there is one.
  // A README, a file without front matter, or one outside the notes folder is no note, as the build finds none there: the link leads nowhere.
  const notesFolder = options.notesFolder ?? 'notes';
  const outside = (target: string): IdentifiedNote | NotANote | undefined => {
    // Not a note's name, or not where the build reads notes (said as such when it is a note's file all the same).
    if (!isInNotesFolder(target, notesFolder, cwd)) return noteOutsideFolders(target, [notesFolder], cwd);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.resolve(cwd, target));
    } catch {
      return undefined;
    }
    const note = parse(target, bytes);
    if (note.messages.some((m) => m.ruleId === 'frontmatter-missing')) return undefined;
    return { path: target, ...(note.advisory ? { advisory: note.advisory } : {}), locate: note.locate, read: () => note.advisory };
  };
  messages.push(...lintAcrossNotes(notes, now, outside, othersKnown(index, order, cwd)));
  const cards = new Map([...found].sort(([a], [b]) => order.get(a)! - order.get(b)!));
  return { messages: messages.sort(compareMessages), files, fromCache, cards, ...(options.cacheDir && index ? { cache: { dir: options.cacheDir, index, current } } : {}) };
}
