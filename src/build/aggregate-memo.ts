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
 * Saved in the cache folder (`aggregates.json`) under the build's global
 * key (herald, config, preview), which the renderers' keys leave out, with
 * the build it was made by (`MemoBasis`). The copy this process saved last
 * stays in memory for `herald serve --watch`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FileMemo } from '../io/file-memo.ts';
import { writeFileAtomically } from '../io/write-file.ts';
import { wholeTable, type SplicedTable } from './spliced-table.ts';

export interface MemoEntry {
  key: string;
  sha256: string;
  /** A spliced file's parts: its literal pieces, and each keyed piece's key, length, sha256 and member. */
  spliced?: SplicedTable;
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

interface MemoFile {
  format?: number;
  globalKey: string;
  basis?: MemoBasis;
  files: Record<string, SavedEntry>;
}

/** 2: a spliced file's parts as columns (`SplicedTable`); 1 (no `format`): as a tuple per piece, and a layout. */
const memoFormat = 2;

const memoName = 'aggregates.json';

const lastSaved = new FileMemo<{ globalKey: string; memo: AggregateMemo; basis?: MemoBasis }>();

/** The memo saved under `globalKey`; empty when there is none, or it is damaged or another's. */
export function loadAggregateMemo(cacheDir: string, globalKey: string): AggregateMemo {
  return loadAggregateState(cacheDir, globalKey).memo;
}

/** The memo saved under `globalKey` and the build that made it (none with an empty memo). */
export function loadAggregateState(cacheDir: string, globalKey: string): { memo: AggregateMemo; basis?: MemoBasis } {
  const file = path.join(cacheDir, memoName);
  const known = lastSaved.recall(file);
  if (known?.globalKey === globalKey) return { memo: new Map(known.memo), ...(known.basis ? { basis: known.basis } : {}) };
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as MemoFile;
    if (data.format !== memoFormat || data.globalKey !== globalKey || typeof data.files !== 'object') return { memo: new Map() };
    const memo: AggregateMemo = new Map(
      Object.entries(data.files).map(([output, [key, sha256, spliced, files, recipe]]) => [output, { key, sha256, ...(spliced ? { spliced } : {}), ...(files ? { files } : {}), ...(recipe ? { recipe } : {}) }]),
    );
    // A damaged table would splice the wrong bytes: the memo is then not used.
    if ([...memo.values()].some((entry) => entry.spliced && !wholeTable(entry.spliced))) return { memo: new Map() };
    return { memo, ...(data.basis ? { basis: data.basis } : {}) };
  } catch {
    return { memo: new Map() };
  }
}

export function saveAggregateMemo(cacheDir: string, globalKey: string, memo: AggregateMemo, basis?: MemoBasis): void {
  const file = path.join(cacheDir, memoName);
  const saved = (entry: MemoEntry): SavedEntry => {
    const tuple: SavedEntry = [entry.key, entry.sha256, entry.spliced ?? null, entry.files ?? null, entry.recipe ?? null];
    while (tuple.length > 2 && (tuple.at(-1) === null || tuple.at(-1) === undefined)) tuple.pop();
    return tuple;
  };
  const data: MemoFile = { format: memoFormat, globalKey, ...(basis ? { basis } : {}), files: Object.fromEntries([...memo].map(([output, entry]) => [output, saved(entry)])) };
  writeFileAtomically(file, JSON.stringify(data));
  lastSaved.remember(file, { globalKey, memo: new Map(memo), ...(basis ? { basis } : {}) });
}
