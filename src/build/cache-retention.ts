/**
 * How long the build cache keeps an entry that no current note uses (a
 * note's entry, `entries/<k2>/<key>.out`, or a search part's,
 * `search/<part>.out`): an author or a reviewer switching between branches
 * comes back to notes a build rendered before, and a kept entry makes them
 * a cache hit instead of a render.
 *
 * The bound is by size: the unused entries, most recently used first, are
 * kept while they take no more room than the entries in use, or than
 * 64 MiB when that is more (a small repository keeps many branches): the
 * cache stays under twice the size of one build's entries, or that plus
 * 64 MiB. An entry's time of last use is its file's mtime: set when it is
 * written, and again when it stops being used (`retireEntries` for note
 * entries, which are many; `touchUsed` for search parts, which are few).
 */
import { readdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';

/** Room the unused entries may always take, however small the entries in use are. */
export const minimumUnusedBytes = 64 * 1024 * 1024;

/** How old a temporary entry file must be to count as left by a build that died (a running build's is seconds old). */
const abandonedAfterMs = 60 * 60 * 1000;

/** The names in a folder; none when it is missing or cannot be read. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes a file; false when it was gone already (another build swept it). */
function remove(file: string): boolean {
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
 * Sweeps the entry files (`<name>.out`) of `dirs`: those named in `keep`
 * are in use; of the others, the most recently used are kept while their
 * total size is at most that of the ones in use (or `minimum`, when that
 * is more), and the rest removed.
 * Temporary files older than an hour (a killed build's) are removed too.
 * With `touchUsed`, the entries in use are marked used now. Only a build
 * reads an entry, under the key its note's content names, so nothing
 * removed here is missed: a build beside this one at worst renders a note
 * again. Returns how many entries were removed.
 */
export function sweepUnused(dirs: readonly string[], keep: ReadonlySet<string>, now: number, options: { touchUsed?: boolean; minimum?: number } = {}): number {
  let used = 0;
  const unused: { file: string; size: number; mtimeMs: number }[] = [];
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
        if (!keep.has(name.slice(0, -'.out'.length))) unused.push({ file, size: info.size, mtimeMs: info.mtimeMs });
        else {
          used += info.size;
          if (options.touchUsed) touched.push(file);
        }
      } else if (name.endsWith('.tmp') && now - info.mtimeMs >= abandonedAfterMs) remove(file);
    }
  }
  retireEntries(touched, now);
  unused.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const room = Math.max(used, options.minimum ?? minimumUnusedBytes);
  let kept = 0;
  let full = false;
  let removed = 0;
  for (const entry of unused) {
    // Once one does not fit, every older one goes too: the most recently used are the ones kept.
    full ||= kept + entry.size > room;
    if (!full) kept += entry.size;
    else if (remove(entry.file)) removed += 1;
  }
  return removed;
}
