/**
 * The atomic part of writing an output tree: a fresh staging folder next to
 * the output replaces it in one rename at the end, so a failed build leaves
 * the previous output exactly as it was. And the check every output path
 * passes before anything is written for it.
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The start of the name `swapIn` gives the previous output while it moves the new one in; the process id and the time follow. */
export function previousOutputPrefix(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}.old-`;
}

/** Replaces `out` with `staging` (two renames; the old tree is removed afterwards). */
export async function swapIn(staging: string, out: string): Promise<void> {
  const old = `${previousOutputPrefix(out)}${process.pid}-${Date.now()}`;
  let moved = false;
  try {
    await rename(out, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(staging, out);
  } catch (error) {
    if (moved) await rename(old, out);
    throw error;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/** Rejects an output path that would escape the output folder or is not in normal form. */
export function checkOutputPath(file: string): void {
  if (!isSafeOutputPath(file)) throw new Error(`renderer produced an unsafe output path: ${file}`);
}

/**
 * True for a path relative to the output folder, in normal form, that
 * stays inside it: not empty, not absolute, no `..` out of it, and no
 * backslash (a separator on Windows).
 */
export function isSafeOutputPath(file: string): boolean {
  return typeof file === 'string' && file !== '' && file !== '..' && !file.startsWith('../') && !path.posix.isAbsolute(file) && !file.includes('\\') && path.posix.normalize(file) === file;
}
