/**
 * The digest of a folder of herald's own files (path and bytes of each), for
 * the build cache key: a change to herald's sources, templates or browser
 * assets must invalidate the cache.
 *
 * Hashing src/ means reading every source file at each start. The compiled
 * code in `dist-js/` carries the digest of the sources it was compiled from
 * instead (scripts/compile.ts sets `HERALD_COMPILED_SOURCES_DIGEST` with
 * esbuild's `define`); bin/compiled.js runs that code only while src/ is
 * unchanged, so the constant is the digest `treeDigest` would compute.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.ts';

declare const HERALD_COMPILED_SOURCES_DIGEST: string | undefined;

/** sha256 of every file under `dir` (its path relative to the package root, then its bytes), in a fixed order. */
export function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(packageRoot, full));
        hash.update(readFileSync(full));
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Whether this is the compiled code in dist-js/ (else the sources, through tsx). */
export const runsCompiled = typeof HERALD_COMPILED_SOURCES_DIGEST === 'string';

/** The digest of src/: the compiled-in constant when running compiled, else computed. */
export function sourcesDigest(): string {
  return typeof HERALD_COMPILED_SOURCES_DIGEST === 'string' ? HERALD_COMPILED_SOURCES_DIGEST : treeDigest(path.join(packageRoot, 'src'));
}
