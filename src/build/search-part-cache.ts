/**
 * The search parts the builds made, kept in the build cache as
 * `search/v<version>/<part folder>.out` (the entry format of `cache.ts`, with each
 * blob's SHA-256 in its header). A build whose output lacks a part (a fresh
 * output beside a restored cache, as in CI) copies the part from here
 * instead of reading its pages' search records and indexing them again. A
 * part's folder name is the digest of its pages and of the build key, so
 * the entry under that name holds the files the part would be made of.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/types.ts';
import { readEntryFile, writeEntryFile } from './cache.ts';
import { removeOtherVersions, sweepUnused, versionFolder, type Retention } from './cache-retention.ts';

const partsFolder = 'search';

/** The entry of the part in `folder` (as `SearchPart.folder` names it, e.g. `000-1a2b…/`). */
function partFile(cacheDir: string, folder: string): string {
  return path.join(cacheDir, partsFolder, versionFolder, `${entryName(folder)}.out`);
}

/** The entry name of the part in `folder`: the folder's name. */
function entryName(folder: string): string {
  return folder.replace(/\/$/, '');
}

/** Keeps the files of the part in `folder` (paths as the output has them). */
export function writeCachedPart(cacheDir: string, folder: string, files: readonly (OutputFile & { sha256: string })[]): void {
  writeEntryFile(partFile(cacheDir, folder), files, { digests: true });
}

/** Whether the cache has an entry for the part in `folder` (read it to know whether it is whole). */
export function partIsCached(cacheDir: string, folder: string): boolean {
  return existsSync(partFile(cacheDir, folder));
}

/** The files kept for the part in `folder`, or undefined when there are none or they are damaged. */
export function readCachedPart(cacheDir: string, folder: string): (OutputFile & { sha256: string })[] | undefined {
  return readEntryFile(partFile(cacheDir, folder));
}

/**
 * Marks the kept parts in `keep` (folder names) used now, and removes the
 * others but for the most recently used within the room for unused
 * entries (`cache-retention.ts`, `room` the configured bytes: a branch
 * checked out again finds its parts), the parts of other herald versions,
 * and temporary files older than an hour. A build beside this one with
 * other parts (another config) at worst makes a part again. Returns what
 * the parts take and what was removed.
 */
export function sweepCachedParts(cacheDir: string, keep: ReadonlySet<string>, options: { now?: number; room?: number | undefined } = {}): Retention {
  const store = path.join(cacheDir, partsFolder);
  removeOtherVersions(store);
  return sweepUnused([path.join(store, versionFolder)], new Set([...keep].map(entryName)), options.now ?? Date.now(), { touchUsed: true, room: options.room }).retention;
}
