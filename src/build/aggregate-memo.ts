/**
 * What each keyed aggregate (`KeyedFile`) was last made from and what it
 * came to: its renderer's key and the sha256 of its bytes (of a spliced file, its
 * pieces' digest: see `PiecesDigest` in aggregates-stage.ts; of a keyed
 * group, under `group:<name>`, each of its files). A build that
 * finds the same key, and those bytes still in the output (by its
 * manifest), keeps the file without making it again.
 *
 * Saved in the cache folder (`aggregates.json`) under the build's global
 * key (herald, config, preview), which the renderers' keys leave out. The
 * copy this process saved last stays in memory for `herald serve --watch`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FileMemo } from '../io/file-memo.ts';
import { writeFileAtomically } from '../io/write-file.ts';

export interface MemoEntry {
  key: string;
  sha256: string;
  /** A spliced file's keyed pieces: where each one's bytes are in the file, and their sha256 (absent in a memo of an earlier herald). */
  pieces?: [key: string, offset: number, length: number, sha256?: string][];
  /** A keyed group's files and the sha256 of each (its `sha256` is then empty). */
  files?: [path: string, sha256: string][];
}

export type AggregateMemo = Map<string, MemoEntry>;

interface MemoFile {
  globalKey: string;
  files: Record<string, [key: string, sha256: string, pieces?: MemoEntry['pieces'] | null, files?: MemoEntry['files']]>;
}

const memoName = 'aggregates.json';

const lastSaved = new FileMemo<{ globalKey: string; memo: AggregateMemo }>();

/** The memo saved under `globalKey`; empty when there is none, or it is damaged or another's. */
export function loadAggregateMemo(cacheDir: string, globalKey: string): AggregateMemo {
  const file = path.join(cacheDir, memoName);
  const known = lastSaved.recall(file);
  if (known?.globalKey === globalKey) return new Map(known.memo);
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as MemoFile;
    if (data.globalKey !== globalKey || typeof data.files !== 'object') return new Map();
    return new Map(Object.entries(data.files).map(([output, [key, sha256, pieces, files]]) => [output, { key, sha256, ...(pieces ? { pieces } : {}), ...(files ? { files } : {}) }]));
  } catch {
    return new Map();
  }
}

export function saveAggregateMemo(cacheDir: string, globalKey: string, memo: AggregateMemo): void {
  const file = path.join(cacheDir, memoName);
  const data: MemoFile = { globalKey, files: Object.fromEntries([...memo].map(([output, { key, sha256, pieces, files }]) => [output, files ? [key, sha256, pieces ?? null, files] : pieces ? [key, sha256, pieces] : [key, sha256]])) };
  writeFileAtomically(file, JSON.stringify(data));
  lastSaved.remember(file, { globalKey, memo: new Map(memo) });
}
