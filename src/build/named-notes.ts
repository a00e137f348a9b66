/**
 * For the commands that act on a few notes of a large set (`herald send`,
 * `herald wiki push <ids>`, `herald wiki export <id>`, `herald
 * assign-ids`): every note is checked as `herald lint` checks it, with the
 * build cache (an unchanged note is not parsed again, and the rules across
 * notes still see every one), and only the notes the command acts on are
 * read in full. At 10,000 notes that is about a second instead of parsing
 * every note (15 s, 850 MB).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HeraldError, type HeraldMessage } from '../errors/message.ts';
import { parseNote } from '../model/load.ts';
import { summarize, type Advisory } from '../model/types.ts';
import { loadRecords, readCachedOutput, type AdvisoryCard, type HeavyRecord } from './cache.ts';
import { groupFileHash } from './manifest.ts';
import { lintWithCache, type CachedLintOptions } from './cached-lint.ts';

export interface NamedNotes {
  /** Every note's messages, sorted. */
  messages: HeraldMessage[];
  /** The errors among them. */
  errors: HeraldMessage[];
  /** Each note that could be read into an advisory, by path, in the notes' order. */
  cards: ReadonlyMap<string, AdvisoryCard>;
  /** The note whose id or slug is `id`: one without errors when two claim it. */
  fileOf(id: string): string | undefined;
  /** A note's advisory, parsed now (for a note without errors). */
  advisory(file: string): Advisory;
  /**
   * A note's summary (`summarize`, for a note without errors): the one the
   * last build recorded when the note is as that build read it, else
   * parsed now. The records are read once, at the first call.
   */
  summary(file: string): Advisory;
  /**
   * One of a note's own output files (e.g. `wiki/<ID>.wiki`) as the last
   * build made it, when the note is as that build read it and the cache
   * entry holds those very bytes; undefined otherwise (render it then).
   * Only outputs that depend on the note and the config alone, not on the
   * clock or a preview, may be taken from here.
   */
  builtFile(file: string, output: string): Buffer | undefined;
}

export async function checkNotes(paths: readonly string[], options: CachedLintOptions): Promise<NamedNotes> {
  const { messages, cards, cache } = await lintWithCache(paths, options);
  const errors = messages.filter((m) => m.severity === 'error');
  const broken = new Set(errors.map((m) => m.file));
  const byId = new Map<string, string>();
  // Sound notes first, so that an id two notes claim names the one that may be used.
  const ordered = [...cards].sort(([a], [b]) => Number(broken.has(a)) - Number(broken.has(b)));
  for (const [file, card] of ordered) {
    for (const key of [card.id, card.slug]) if (!byId.has(key)) byId.set(key, file);
  }
  const advisory = (file: string): Advisory => {
    const note = parseNote(file, readFileSync(path.resolve(options.cwd, file)), { config: options.config, now: options.now });
    // Changed since it was checked, and broken now: its errors, as the check would have given them.
    const errors = note.messages.filter((m) => m.severity === 'error');
    if (!note.advisory || errors.length > 0) throw new HeraldError(errors);
    return note.advisory;
  };
  let records: ReadonlyMap<string, HeavyRecord> | undefined;
  /** The last build's record of a note still as that build read it. */
  const recordOf = (file: string): HeavyRecord | undefined => {
    if (!cache?.current.has(file)) return undefined;
    records ??= loadRecords(cache.dir, cache.index) ?? new Map();
    const record = records.get(file);
    return record && record.key === cache.index.notes[file]?.key ? record : undefined;
  };
  return {
    messages,
    errors,
    cards,
    fileOf: (id) => byId.get(id),
    advisory,
    summary: (file) => recordOf(file)?.summary ?? summarize(advisory(file)),
    builtFile: (file, output) => {
      const record = recordOf(file);
      const expected = record && groupFileHash(record.files, output);
      return expected === undefined ? undefined : readCachedOutput(cache!.dir, record!.key, output, expected);
    },
  };
}
