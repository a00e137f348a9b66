/**
 * The search parts the builds made, kept in the build cache as
 * `search/<part folder>.out` (the entry format of `cache.ts`, with each
 * blob's SHA-256 in its header). A build whose output lacks a part (a fresh
 * output beside a restored cache, as in CI) copies the part from here
 * instead of reading its pages' search records and indexing them again. A
 * part's folder name is the digest of its pages and of the build key, so
 * the entry under that name holds the files the part would be made of.
 */
import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/types.ts';
import { readEntryFile, writeEntryFile } from './cache.ts';

const partsFolder = 'search';

/** How old a temporary file must be to count as left by a build that died (a running build's is seconds old). */
const abandonedAfterMs = 60 * 60 * 1000;

/** The entry of the part in `folder` (as `SearchPart.folder` names it, e.g. `000-1a2b…/`). */
function partFile(cacheDir: string, folder: string): string {
  return path.join(cacheDir, partsFolder, `${folder.replace(/\/$/, '')}.out`);
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
 * Removes the kept parts that are not in `keep` (folder names), and
 * temporary files older than an hour. A build beside this one with other
 * parts (another config, a preview) at worst makes a part again.
 */
export function sweepCachedParts(cacheDir: string, keep: ReadonlySet<string>, now = Date.now()): void {
  const root = path.join(cacheDir, partsFolder);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  const kept = new Set([...keep].map((folder) => `${folder.replace(/\/$/, '')}.out`));
  for (const name of names) {
    const file = path.join(root, name);
    try {
      if (name.endsWith('.out') ? kept.has(name) : !name.endsWith('.tmp') || now - statSync(file).mtimeMs < abandonedAfterMs) continue;
      unlinkSync(file);
    } catch {
      // Gone already (another build swept it).
    }
  }
}
