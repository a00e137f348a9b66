/**
 * Writes an output tree atomically: everything goes into a fresh sibling
 * folder, which replaces the previous output in one rename at the end. A
 * failed build leaves the previous output exactly as it was.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/types.ts';

/** Writes `files` under a new temporary folder next to `out` and returns its path. */
export async function writeStaging(out: string, files: readonly OutputFile[]): Promise<string> {
  const staging = `${out.replace(/[\\/]+$/, '')}.staging-${process.pid}-${Date.now()}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const dirs = new Set(files.map((f) => path.dirname(path.join(staging, f.path))));
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
  // Bounded parallelism: enough to keep the disk busy without exhausting file handles.
  const queue = [...files];
  const workers = Array.from({ length: 16 }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) await writeFile(path.join(staging, file.path), file.contents);
  });
  await Promise.all(workers);
  return staging;
}

/** Replaces `out` with `staging` (two renames; the old tree is removed afterwards). */
export async function swapIn(staging: string, out: string): Promise<void> {
  const old = `${out.replace(/[\\/]+$/, '')}.old-${process.pid}-${Date.now()}`;
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

/** Rejects output paths that would escape the output folder or collide. */
export function checkOutputPaths(files: readonly OutputFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    const normalized = path.posix.normalize(file.path);
    if (normalized.startsWith('../') || path.posix.isAbsolute(normalized) || normalized !== file.path) {
      throw new Error(`renderer produced an unsafe output path: ${file.path}`);
    }
    if (seen.has(normalized)) throw new Error(`two outputs share the path ${file.path}`);
    seen.add(normalized);
  }
}
