// Chooses what bin/herald.js and the thread entries (bin/note-worker.js,
// bin/serve-worker.js) run: the compiled JavaScript in dist-js/ (written
// by scripts/compile.ts on `npm ci`/`npm install`), which starts in a
// fraction of the time, or the TypeScript sources through tsx. dist-js/ runs only while it is up to date: its
// stamp.json lists every file under src/ and templates/ (herald's own
// templates are precompiled into it), the compile script and the
// package.json of each package bundled in, with the size, modification and
// change times each had when compiled; one differing, added or removed file
// sends the run to the sources. So a developer who edits src/ never runs
// stale code; `npm run compile` makes it fast again.
// HERALD_FROM_SOURCE=1 always runs the sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const packageRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const compiledDir = path.join(packageRoot, 'dist-js');
export const stampFile = path.join(compiledDir, 'stamp.json');

/** Compiled besides src/: a change to these makes dist-js/ stale too. */
const alsoCompiledFrom = ['scripts/compile.ts', 'tsconfig.json'];

/**
 * `[path, size, mtimeMs, ctimeMs]` of each existing file of `relatives`
 * (paths relative to the package root). The change time is the kernel's:
 * an installed package keeps its tarball's modification times, not its
 * change times.
 * @param {string[]} relatives
 * @returns {[string, number, number, number][]}
 */
export function statFiles(relatives) {
  /** @type {[string, number, number, number][]} */
  const files = [];
  for (const relative of relatives) {
    const info = statSync(path.join(packageRoot, relative), { throwIfNoEntry: false });
    if (info) files.push([relative, info.size, info.mtimeMs, info.ctimeMs]);
  }
  return files;
}

/** `statFiles` of every file under src/ and templates/ (walked in name order) and of the compile script. */
export function sourceFingerprint() {
  /** @type {string[]} */
  const relatives = [];
  /** @param {string} relative */
  const walk = (relative) => {
    const entries = readdirSync(path.join(packageRoot, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else relatives.push(child);
    }
  };
  walk('src');
  walk('templates');
  return statFiles([...relatives, ...alsoCompiledFrom]);
}

/** True when dist-js/ exists and was compiled from the sources as they are now. */
export function compiledIsFresh() {
  if (process.env.HERALD_FROM_SOURCE === '1') return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  let now;
  try {
    now = [...sourceFingerprint(), ...statFiles(stamp.packages ?? [])];
  } catch {
    return false;
  }
  const then = stamp.fingerprint;
  if (!Array.isArray(then) || then.length !== now.length) return false;
  return now.every((entry, i) => Array.isArray(then[i]) && entry.every((value, j) => then[i][j] === value));
}

/**
 * Imports an entry point: `dist-js/<compiledName>` when fresh, else
 * `<sourcePath>` (TypeScript, relative to the package root) through tsx.
 * A thread started by compiled code (`compiled`: its `workerData` says so)
 * runs the compiled code without checking again: it is the code that
 * started it, and the check stats every source file (tens of
 * milliseconds on each worker's start).
 * @param {string} compiledName
 * @param {string} sourcePath
 * @param {boolean} [compiled]
 */
export async function importEntry(compiledName, sourcePath, compiled = false) {
  if (compiled || compiledIsFresh()) {
    // Node 22.1 and later can also keep V8's compiled code on disk; Node 20 has no such cache.
    /** @type {{ enableCompileCache?: () => unknown }} */ (module).enableCompileCache?.();
    return import(pathToFileURL(path.join(compiledDir, compiledName)).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(packageRoot, sourcePath)).href);
}
