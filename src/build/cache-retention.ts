/**
 * How long the build cache keeps an entry that no current note uses (a
 * note's entry, `entries/v<version>/<k2>/<key>.out`, or a search part's,
 * `search/v<version>/<part>.out`): an author or a reviewer switching
 * between branches comes back to notes a build rendered before, and a kept
 * entry makes them a cache hit instead of a render.
 *
 * Each store keeps the entries of this herald version in a folder of its
 * own (`v<version>/`): herald's version is part of every key, so no build
 * of this version can name an entry another version made, and a sweep
 * removes the other versions' folders whole (and the files of a herald
 * that kept no such folder) at the first build of a new version.
 *
 * The bound is by size: the unused entries, most recently used first, are
 * kept while they fit in the room for unused entries (`unusedRoom`): the
 * config's `cache.unused_mib` when set, else as much room as the entries
 * in use take, or 64 MiB when that is more (a small repository keeps many
 * branches). An entry's time of last use is its file's mtime: set when it
 * is written, and again when it stops being used (`retireEntries` for note
 * entries, which are many; `touchUsed` for search parts, which are few).
 */
import { readdirSync, rmSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { version } from '../version.ts';

/** Room the unused entries may always take by default, however small the entries in use are. */
export const minimumUnusedBytes = 64 * 1024 * 1024;

/** The folder of each store that holds this herald version's entries. */
export const versionFolder = `v${version.replace(/[^A-Za-z0-9._+-]/g, '_')}`;

/** How old a temporary entry file must be to count as left by a build that died (a running build's is seconds old). */
const abandonedAfterMs = 60 * 60 * 1000;

/** What a store holds after a sweep, and what the sweep removed. */
export interface Retention {
  /** Bytes of the entries the build uses. */
  usedBytes: number;
  /** Bytes of the unused entries kept. */
  unusedBytes: number;
  /** Entries removed, and their bytes. */
  removed: number;
  removedBytes: number;
}

/** An entry no build uses now: its name (key), size and time of last use. */
export interface UnusedEntry {
  name: string;
  size: number;
  usedAt: number;
}

/** The room for unused entries: `configured` bytes when the config sets it, else as much as the entries in use take, at least the minimum. */
export function unusedRoom(usedBytes: number, configured: number | undefined): number {
  return configured ?? Math.max(usedBytes, minimumUnusedBytes);
}

/** The configured room for unused entries in bytes (`cache.unused_mib`), or undefined for the default. */
export function unusedRoomOf(config: Pick<Config, 'cache'>): number | undefined {
  const mib = config.cache.unused_mib;
  return mib === undefined ? undefined : mib * 1024 * 1024;
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/** The build's line about its cache: what it holds, and what was swept. */
export function retentionLine(retention: Retention, where: string): string {
  const swept = retention.removed > 0 ? `, ${retention.removed} unused entr${retention.removed === 1 ? 'y' : 'ies'} swept (${mib(retention.removedBytes)})` : '';
  return `herald: build cache ${where}: ${mib(retention.usedBytes + retention.unusedBytes)} (${mib(retention.unusedBytes)} of it unused)${swept}`;
}

/** Two stores' retention as one (the note entries and the search parts). */
export function addRetention(a: Retention, b: Retention | undefined): Retention {
  if (!b) return a;
  return { usedBytes: a.usedBytes + b.usedBytes, unusedBytes: a.unusedBytes + b.unusedBytes, removed: a.removed + b.removed, removedBytes: a.removedBytes + b.removedBytes };
}

/** The names in a folder; none when it is missing or cannot be read. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes what a store (`entries/`, `search/`) holds besides this version's folder: another herald version's entries, or a herald's that kept no version folder. */
export function removeOtherVersions(store: string): void {
  for (const name of namesIn(store)) if (name !== versionFolder) rmSync(path.join(store, name), { recursive: true, force: true });
}

/** Removes a file; false when it was gone already (another build swept it). */
function removeFile(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Marks entry files as used until `now`: their note moved on to another entry, or a search part was used by this build. */
export function retireEntries(files: Iterable<string>, now = Date.now()): void {
  const when = new Date(now);
  for (const file of files) {
    try {
      utimesSync(file, when, when);
    } catch {
      // Gone already: nothing to keep.
    }
  }
}

/**
 * Splits `unused` into the most recently used, kept while their total size
 * fits in `room`, and the rest: once one does not fit, every older one
 * goes too.
 */
export function overRoom<T extends UnusedEntry>(unused: readonly T[], room: number): { kept: T[]; removed: T[] } {
  // Within the room (the usual case after an edit): no sort.
  if (totalSize(unused) <= room) return { kept: [...unused], removed: [] };
  const sorted = [...unused].sort((a, b) => b.usedAt - a.usedAt);
  const kept: T[] = [];
  const removed: T[] = [];
  let total = 0;
  for (const entry of sorted) {
    if (removed.length === 0 && total + entry.size <= room) {
      total += entry.size;
      kept.push(entry);
    } else removed.push(entry);
  }
  return { kept, removed };
}

/**
 * Sweeps the entry files (`<name>.out`) of `dirs`: those named in `keep`
 * are in use; of the others, the most recently used are kept within the
 * room (`unusedRoom`, with `room` as the configured bytes), and the rest
 * removed. Temporary files older than an hour (a killed build's) are
 * removed too. With `touchUsed`, the entries in use are marked used now.
 * Only a build reads an entry, under the key its note's content names, so
 * nothing removed here is missed: a build beside this one at worst renders
 * a note again. Returns what the store holds and the unused entries kept.
 */
export function sweepUnused(dirs: readonly string[], keep: ReadonlySet<string>, now: number, options: { touchUsed?: boolean; room?: number | undefined } = {}): { retention: Retention; kept: UnusedEntry[] } {
  let usedBytes = 0;
  const unused: (UnusedEntry & { file: string })[] = [];
  const touched: string[] = [];
  for (const dir of dirs) {
    for (const name of namesIn(dir)) {
      const file = path.join(dir, name);
      let info;
      try {
        info = statSync(file);
      } catch {
        continue;
      }
      if (name.endsWith('.out')) {
        const entry = name.slice(0, -'.out'.length);
        if (!keep.has(entry)) unused.push({ file, name: entry, size: info.size, usedAt: info.mtimeMs });
        else {
          usedBytes += info.size;
          if (options.touchUsed) touched.push(file);
        }
      } else if (name.endsWith('.tmp') && now - info.mtimeMs >= abandonedAfterMs) removeFile(file);
    }
  }
  retireEntries(touched, now);
  const { kept, removed } = overRoom(unused, unusedRoom(usedBytes, options.room));
  return { retention: { usedBytes, unusedBytes: totalSize(kept), ...removeEntries(removed, (entry) => entry.file) }, kept: kept.map(({ name, size, usedAt }) => ({ name, size, usedAt })) };
}

/** The bytes `entries` take together. */
export const totalSize = (entries: readonly { size: number }[]): number => entries.reduce((sum, entry) => sum + entry.size, 0);

/** Removes the files of `entries`: how many were still there, and their bytes. */
export function removeEntries<T extends UnusedEntry>(entries: readonly T[], fileOf: (entry: T) => string): Pick<Retention, 'removed' | 'removedBytes'> {
  let removed = 0;
  let removedBytes = 0;
  for (const entry of entries) {
    if (!removeFile(fileOf(entry))) continue;
    removed += 1;
    removedBytes += entry.size;
  }
  return { removed, removedBytes };
}
