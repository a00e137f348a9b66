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
import { findNoteFiles } from '../io/find-notes.ts';
import { lintAcrossNotes, lintNote, type IdentifiedNote } from '../lint/run.ts';
import { parseNote, type ParsedNote } from '../model/load.ts';
import { message } from '../model/validate.ts';
import { globalKey, loadIndex, sha256, type LightRecord } from './cache.ts';

export interface CachedLintOptions {
  config: Config;
  now: Date;
  cwd: string;
  /** The build cache folder, or null to lint every note afresh. */
  cacheDir: string | null;
}

export interface CachedLintResult {
  messages: HeraldMessage[];
  /** Notes checked. */
  notes: number;
  /** Of those, notes whose messages came from the cache. */
  fromCache: number;
}

/** Whether a cached record's messages still hold for the note's bytes. */
function reusable(record: LightRecord | undefined): record is LightRecord & { card: NonNullable<LightRecord['card']> } {
  return record !== undefined && record.card !== undefined && !record.messages.some((m) => m.severity === 'error');
}

function unreadable(file: string, error: unknown): ParsedNote {
  return {
    path: file,
    messages: [message(file, 'file-unreadable', `Cannot read the file: ${(error as Error).message}`, { line: 1, column: 1 })],
    locate: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }),
  };
}

export async function lintWithCache(paths: readonly string[], options: CachedLintOptions): Promise<CachedLintResult> {
  const { config, now, cwd } = options;
  const files = await findNoteFiles(paths, cwd);
  const known = options.cacheDir ? loadIndex(options.cacheDir, globalKey(config, false)).notes : {};
  const notes: IdentifiedNote[] = [];
  const messages: HeraldMessage[] = [];
  let fromCache = 0;
  const parse = (file: string, bytes: Buffer) => parseNote(file, bytes, { config, now });
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
          messages.push(...record.messages);
          let reparsed: ParsedNote | undefined;
          // Positions are needed only for a message across notes: the note is parsed then.
          notes.push({ path: file, advisory: record.card, locate: (field, key) => (reparsed ??= parse(file, readFileSync(full))).locate(field, key) });
          continue;
        }
      }
      bytes ??= readFileSync(full);
    } catch (error) {
      const note = unreadable(file, error);
      messages.push(...note.messages);
      notes.push(note);
      continue;
    }
    const note = parse(file, bytes);
    messages.push(...note.messages, ...lintNote(note, config, now));
    notes.push(note);
  }
  messages.push(...lintAcrossNotes(notes));
  return { messages: messages.sort(compareMessages), notes: files.length, fromCache };
}
