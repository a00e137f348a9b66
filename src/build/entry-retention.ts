/**
 * The bound on the note entries (`entries/v<version>/<k2>/<key>.out`),
 * enforced at the end of every build that saves the cache index, without
 * listing the entries. `retention.json` in the cache keeps the running
 * totals: the bytes of the entries the index names, and each unused
 * entry's size and time of last use, for the records' generation it was
 * saved with (`cache.ts`). A build that appended to the records (a few
 * notes changed) updates them from the notes whose entry changed, a stat
 * each, and removes at once the unused entries past the room
 * (`cache-retention.ts`). A build that rewrote the records whole, or that
 * finds the totals missing, another herald version's or not those of the
 * records it appended to, sweeps the folders (one stat per entry) and
 * writes the totals afresh; that sweep also removes the entries of other
 * herald versions. A build with nothing to do saves no index and touches
 * none of this.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileMemo } from '../io/file-memo.ts';
import { writeFileAtomically } from '../io/write-file.ts';
import { version } from '../version.ts';
import { namesIn, overRoom, removeEntries, removeOtherVersions, retireEntries, sweepUnused, totalSize, unusedRoom, versionFolder, type Retention, type UnusedEntry } from './cache-retention.ts';

const ledgerFile = 'retention.json';

/** The running totals of the note entries, as `retention.json` holds them. */
interface Ledger {
  version: string;
  /** The records' generation they were saved with (`CacheIndex.generation`). */
  generation: string;
  usedBytes: number;
  /** Each unused entry kept: key → [size, time of last use]. */
  unused: Record<string, [size: number, usedAt: number]>;
}

/** The totals this process saved or read last (`serve --watch` saves after every edit). */
const lastLedger = new FileMemo<Ledger>();

/** The entry file of the note entry `key`. */
export function entryFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'entries', versionFolder, key.slice(0, 2), `${key}.out`);
}

function readLedger(cacheDir: string): Ledger | undefined {
  const file = path.join(cacheDir, ledgerFile);
  const known = lastLedger.recall(file);
  if (known) return known;
  try {
    const ledger = JSON.parse(readFileSync(file, 'utf8')) as Ledger;
    lastLedger.remember(file, ledger);
    return ledger;
  } catch {
    return undefined;
  }
}

function saveLedger(cacheDir: string, ledger: Ledger): void {
  const file = path.join(cacheDir, ledgerFile);
  writeFileAtomically(file, JSON.stringify(ledger));
  lastLedger.remember(file, ledger);
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

export interface EntryChange {
  /** The index the build read (each note's entry key before). */
  before: Readonly<Record<string, { key: string }>> | undefined;
  /** Each note's entry key now. */
  after: ReadonlyMap<string, { key: string }>;
  /** The generation of the records saved with the index. */
  generation: string;
  /** Whether the records were appended to (their generation is the one the build read); otherwise they were rewritten whole. */
  appended: boolean;
  /** The configured room for unused entries, in bytes (`cache.unused_mib`); default: `unusedRoom`'s. */
  room?: number | undefined;
}

/**
 * Marks the entries of `before` that no note of `after` uses any more as
 * used until now, then keeps the unused entries within the room: from the
 * running totals when the records were appended to and the totals are
 * theirs, else by sweeping the entry folders. Returns what the entries
 * take and what was removed.
 */
export function boundEntries(cacheDir: string, change: EntryChange, now = Date.now()): Retention {
  const retired = change.before ? retiredKeys(change.before, change.after) : [];
  retireEntries(
    retired.map((key) => entryFile(cacheDir, key)),
    now,
  );
  const ledger = change.appended ? readLedger(cacheDir) : undefined;
  if (ledger && change.before && ledger.version === version && ledger.generation === change.generation) return updateLedger(cacheDir, ledger, retired, addedKeys(change.before, change.after), now, change.room);
  return sweepEntries(cacheDir, new Set([...change.after.values()].map((record) => record.key)), change.generation, now, change.room);
}

/** The running totals moved by the entries retired and added, the unused ones past the room removed. */
function updateLedger(cacheDir: string, ledger: Ledger, retired: readonly string[], added: readonly string[], now: number, configured: number | undefined): Retention {
  const unused = { ...ledger.unused };
  let usedBytes = ledger.usedBytes;
  for (const key of retired) {
    const size = sizeOf(entryFile(cacheDir, key));
    if (size === undefined) continue;
    usedBytes -= size;
    unused[key] = [size, now];
  }
  for (const key of added) {
    usedBytes += sizeOf(entryFile(cacheDir, key)) ?? 0;
    delete unused[key];
  }
  usedBytes = Math.max(usedBytes, 0);
  const entries: UnusedEntry[] = Object.entries(unused).map(([name, [size, usedAt]]) => ({ name, size, usedAt }));
  const { kept, removed } = overRoom(entries, unusedRoom(usedBytes, configured));
  for (const entry of removed) delete unused[entry.name];
  const swept = removeEntries(removed, (entry) => entryFile(cacheDir, entry.name));
  if (retired.length > 0 || added.length > 0 || removed.length > 0) saveLedger(cacheDir, { ...ledger, usedBytes, unused });
  return { usedBytes, unusedBytes: totalSize(kept), ...swept };
}

/**
 * Removes the note entries no key in `keep` names, but for the most
 * recently used of them within the room, the entries of other herald
 * versions, and temporary files a killed build left; saves the totals
 * found for the records' `generation`.
 */
export function sweepEntries(cacheDir: string, keep: ReadonlySet<string>, generation: string, now = Date.now(), room?: number): Retention {
  const store = path.join(cacheDir, 'entries');
  removeOtherVersions(store);
  const root = path.join(store, versionFolder);
  const { retention, kept } = sweepUnused(
    namesIn(root).map((folder) => path.join(root, folder)),
    keep,
    now,
    { room },
  );
  saveLedger(cacheDir, { version, generation, usedBytes: retention.usedBytes, unused: Object.fromEntries(kept.map((entry) => [entry.name, [entry.size, entry.usedAt]])) });
  return retention;
}

/** The entry keys of `before` that `after` no longer names for their note. */
function retiredKeys(before: Readonly<Record<string, { key: string }>>, after: ReadonlyMap<string, { key: string }>): string[] {
  const retired: string[] = [];
  for (const notePath in before) {
    const { key } = before[notePath]!;
    if (key && after.get(notePath)?.key !== key) retired.push(key);
  }
  return retired;
}

/** The entry keys of `after` that `before` did not name for their note. */
function addedKeys(before: Readonly<Record<string, { key: string }>>, after: ReadonlyMap<string, { key: string }>): string[] {
  const added: string[] = [];
  for (const [notePath, { key }] of after) if (key && before[notePath]?.key !== key) added.push(key);
  return added;
}
