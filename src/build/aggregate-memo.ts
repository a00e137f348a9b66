/**
 * What each keyed aggregate (`KeyedFile`) was last made from and what it
 * came to: its renderer's key and the sha256 of its bytes (of a spliced file, its
 * pieces' digest: see `PiecesDigest` in aggregates-stage.ts; of a keyed
 * group, under `group:<name>`, each of its files). A build that
 * finds the same key, and those bytes still in the output (by its
 * manifest), keeps the file without making it again.
 *
 * A file with a recipe (a listing page, a feed) keeps it too, with its
 * members by slug, and a spliced file its parts (`SplicedTable`): what
 * `aggregate-patch.ts` makes them again from after an edit to the text of
 * a few notes. A file
 * `renderAll` yields as it is (robots.txt, the CVE index) is listed with
 * an empty key, so that such a build keeps it.
 *
 * Saved in the cache folder (`aggregates.jsonl`) under the build's global
 * key (herald, config, preview), which the renderers' keys leave out, with
 * the build it was made by (`MemoBasis`): a header, a line per entry, and
 * a commit line. A build that changed a few entries and kept the others
 * appends their lines and a commit instead of writing the whole memo again
 * (4.6 MB at 10,000 notes); a spliced file patched by the edit gets a line
 * of its changed pieces alone (`PieceChange`), not its columns. A read
 * stops at the last commit (a killed build's torn append is dropped); the
 * file is written whole again once the appends make it a quarter longer
 * than its last whole write, or an entry is gone. The copy this process
 * saved or read last stays in memory for `herald serve --watch`.
 */
import { isAscii } from 'node:buffer';
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { asciiJson } from '../io/ascii-json.ts';
import { FileMemo } from '../io/file-memo.ts';
import { writeFileAtomically } from '../io/write-file.ts';
import { wholeTable, withPieces, type PieceChange, type SplicedTable } from './spliced-table.ts';

export interface MemoEntry {
  key: string;
  sha256: string;
  /** A spliced file's parts: its literal pieces, and each keyed piece's key, length, sha256 and member. */
  spliced?: SplicedTable;
  /** In memory only: `spliced` is the table `from` with these pieces made again (what a save appends of it). */
  pieces?: { from: SplicedTable; changes: readonly PieceChange[] };
  /** A keyed group's files and the sha256 of each (its `sha256` is then empty). */
  files?: [path: string, sha256: string][];
  /** A keyed file's recipe (`Recipe`): its renderer, its data, and its members by slug. */
  recipe?: { renderer: string; data: unknown; members: string[] };
}

export type AggregateMemo = Map<string, MemoEntry>;

/** The build a memo was made by: its `CompletedBuild` key, its day (feeds keep the entries of the last days), and the slugs it published, in order, as a digest. */
export interface MemoBasis {
  completed: string;
  day: string;
  shown: string;
}

type SavedEntry = [key: string, sha256: string, spliced?: SplicedTable | null, files?: MemoEntry['files'] | null, recipe?: MemoEntry['recipe'] | null];

/** A spliced file's changed pieces, as `[index, key, length, sha256]` each, with the file's new key and digest. */
interface SavedPieces {
  key: string;
  sha256: string;
  pieces: [index: number, key: string, length: number, sha256: string][];
}

/** The first line. */
interface Header {
  format: number;
  globalKey: string;
}

/** The line that ends each save: the basis, and the length of the last whole write (what the appends are measured against). */
interface Commit {
  basis?: MemoBasis;
  whole: number;
}

/** 3: JSON Lines, appended to (`aggregates.jsonl`); 2: one JSON object, a spliced file's parts as columns (`aggregates.json`); 1: as a tuple per piece. */
const memoFormat = 3;

const memoName = 'aggregates.jsonl';
/** The memo of an earlier herald: never read (its global key is another), removed by the first save. */
const earlierName = 'aggregates.json';

/** What this process saved or read last, with where its last commit ends. */
interface Known {
  globalKey: string;
  memo: AggregateMemo;
  basis?: MemoBasis;
  length: number;
  whole: number;
}

const lastSaved = new FileMemo<Known>();

/** Makes the next `loadAggregateState` read the disk (tests of what is on disk). */
export function forgetAggregateMemo(): void {
  lastSaved.forget();
}

/** The memo saved under `globalKey`; empty when there is none, or it is damaged or another's. */
export function loadAggregateMemo(cacheDir: string, globalKey: string): AggregateMemo {
  return loadAggregateState(cacheDir, globalKey).memo;
}

/** The memo saved under `globalKey` and the build that made it (none with an empty memo). */
export function loadAggregateState(cacheDir: string, globalKey: string): { memo: AggregateMemo; basis?: MemoBasis } {
  const file = path.join(cacheDir, memoName);
  let known = lastSaved.recall(file);
  if (!known) {
    known = readMemo(file);
    if (known) lastSaved.remember(file, known);
  }
  if (known?.globalKey !== globalKey) return { memo: new Map() };
  return { memo: new Map(known.memo), ...(known.basis ? { basis: known.basis } : {}) };
}

/** The memo as its last commit left it; undefined when it is missing, another format, or damaged before that commit. */
function readMemo(file: string): Known | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  // Written in ASCII (`asciiJson`): anything else is damage.
  if (!isAscii(bytes)) return undefined;
  try {
    const first = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.toString('latin1', 0, first)) as Header;
    if (header.format !== memoFormat || typeof header.globalKey !== 'string') return undefined;
    const memo: AggregateMemo = new Map();
    // Each spliced file's pieces changed since its table's line, by place: the last change of a piece wins.
    const changes = new Map<string, Map<number, PieceChange>>();
    // The lines since the last commit: kept only once a commit follows them.
    let pending: [string, SavedEntry | SavedPieces][] = [];
    let committed: { length: number; commit: Commit } | undefined;
    for (let start = first + 1, end = bytes.indexOf(0x0a, start); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) {
      const line = bytes.toString('latin1', start, end);
      if (!line.startsWith('{')) {
        pending.push(JSON.parse(line) as [string, SavedEntry | SavedPieces]);
        continue;
      }
      for (const [name, saved] of pending) {
        if (Array.isArray(saved)) {
          memo.set(name, entryOf(saved));
          changes.delete(name);
        } else {
          const entry = memo.get(name);
          if (!entry?.spliced) return undefined;
          memo.set(name, { ...entry, key: saved.key, sha256: saved.sha256 });
          const byPlace = changes.get(name) ?? new Map<number, PieceChange>();
          for (const [index, key, length, sha256] of saved.pieces) byPlace.set(index, { index, key, length, sha256 });
          changes.set(name, byPlace);
        }
      }
      pending = [];
      committed = { length: end + 1, commit: JSON.parse(line) as Commit };
    }
    if (!committed) return undefined;
    for (const [name, byPlace] of changes) {
      const entry = memo.get(name)!;
      const pieces = [...byPlace.values()].sort((a, b) => a.index - b.index);
      if (!pieces.every((piece) => validPiece(piece, entry.spliced!.lengths.length))) return undefined;
      memo.set(name, { ...entry, spliced: withPieces(entry.spliced!, pieces) });
    }
    // A damaged table would splice the wrong bytes: the memo is then not used.
    if ([...memo.values()].some((entry) => entry.spliced && !wholeTable(entry.spliced))) return undefined;
    const { basis, whole } = committed.commit;
    return { globalKey: header.globalKey, memo, ...(basis ? { basis } : {}), length: committed.length, whole: typeof whole === 'number' && whole > 0 ? whole : committed.length };
  } catch {
    return undefined;
  }
}

function entryOf([key, sha256, spliced, files, recipe]: SavedEntry): MemoEntry {
  return { key, sha256, ...(spliced ? { spliced } : {}), ...(files ? { files } : {}), ...(recipe ? { recipe } : {}) };
}

function validPiece(piece: PieceChange, count: number): boolean {
  return Number.isInteger(piece.index) && piece.index >= 0 && piece.index < count && Number.isInteger(piece.length) && piece.length >= 0 && /^[0-9a-f]{64}$/.test(piece.sha256) && typeof piece.key === 'string' && !piece.key.includes('\n');
}

/**
 * Saves `memo`: appends the entries that are not the objects the memo
 * this process read or saved last holds (a spliced file patched from its
 * table there, as its changed pieces alone), then a commit; or writes it
 * whole (see the top of this file for when).
 */
export function saveAggregateMemo(cacheDir: string, globalKey: string, memo: AggregateMemo, basis?: MemoBasis): void {
  const file = path.join(cacheDir, memoName);
  const known = lastSaved.recall(file);
  const appended = known && known.globalKey === globalKey ? appendMemo(file, known, memo, basis) : undefined;
  const { length, whole } = appended !== undefined ? { length: appended, whole: known!.whole } : writeWhole(file, globalKey, memo, basis);
  lastSaved.remember(file, { globalKey, memo: new Map(memo), ...(basis ? { basis } : {}), length, whole });
}

/** The file's length after appending the changed entries and a commit; undefined (nothing written) when it must be written whole. */
function appendMemo(file: string, known: Known, memo: AggregateMemo, basis: MemoBasis | undefined): number | undefined {
  if (known.memo.size !== memo.size) return undefined;
  const lines: string[] = [];
  for (const [name, entry] of memo) {
    const before = known.memo.get(name);
    if (!before) return undefined;
    if (before === entry) continue;
    const pieces = entry.pieces && before.spliced && entry.pieces.from === before.spliced ? entry.pieces.changes : undefined;
    const saved: SavedEntry | SavedPieces = pieces ? { key: entry.key, sha256: entry.sha256, pieces: pieces.map((piece) => [piece.index, piece.key, piece.length, piece.sha256]) } : savedEntry(entry);
    lines.push(asciiJson([name, saved]) + '\n');
  }
  lines.push(asciiJson({ ...(basis ? { basis } : {}), whole: known.whole } satisfies Commit) + '\n');
  const text = lines.join('');
  if (known.length + text.length > known.whole * 1.25) return undefined;
  const fd = openSync(file, 'r+');
  try {
    // Bytes past the last commit are a torn append of a build that did not finish.
    ftruncateSync(fd, known.length);
    writeSync(fd, text, known.length, 'latin1');
  } finally {
    closeSync(fd);
  }
  return known.length + text.length;
}

/** Writes the memo whole (a complete copy renamed over it); returns its length, and `whole`: the length of its lines but the commit. */
function writeWhole(file: string, globalKey: string, memo: AggregateMemo, basis: MemoBasis | undefined): { length: number; whole: number } {
  const lines = [asciiJson({ format: memoFormat, globalKey } satisfies Header) + '\n'];
  for (const [name, entry] of memo) lines.push(asciiJson([name, savedEntry(entry)]) + '\n');
  const whole = lines.reduce((sum, line) => sum + line.length, 0);
  lines.push(asciiJson({ ...(basis ? { basis } : {}), whole } satisfies Commit) + '\n');
  const text = lines.join('');
  writeFileAtomically(file, Buffer.from(text, 'latin1'));
  rmSync(path.join(path.dirname(file), earlierName), { force: true });
  return { length: text.length, whole };
}

function savedEntry(entry: MemoEntry): SavedEntry {
  const tuple: SavedEntry = [entry.key, entry.sha256, entry.spliced ?? null, entry.files ?? null, entry.recipe ?? null];
  while (tuple.length > 2 && (tuple.at(-1) === null || tuple.at(-1) === undefined)) tuple.pop();
  return tuple;
}
