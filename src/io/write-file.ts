/**
 * One file written whole or not at all: into a temporary file beside it,
 * then renamed over it (its folder is made when missing).
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writevSync } from 'node:fs';
import path from 'node:path';

/**
 * Folders this process made or found: a cold build writes 10,000 cache
 * entries into 256 folders, and asking for each folder again costs two
 * system calls per file. A folder removed since (someone emptied the
 * cache) is made again when a write into it fails.
 */
const knownDirs = new Set<string>();

export function writeFileAtomically(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  if (!knownDirs.has(dir)) {
    makeFolders(dir);
    knownDirs.add(dir);
  }
  try {
    writeTemporary(temporary, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    makeFolders(dir);
    writeTemporary(temporary, data);
  }
  renameSync(temporary, file);
}

/** Writes `data`; pieces go out in one `writev` rather than being copied into one buffer first. */
function writeTemporary(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  if (!Array.isArray(data)) return writeFileSync(file, data as string | Uint8Array);
  const pieces = data as readonly Uint8Array[];
  const fd = openSync(file, 'w');
  try {
    const total = pieces.reduce((sum, piece) => sum + piece.byteLength, 0);
    const written = writevSync(fd, pieces as Uint8Array[]);
    // A short write (rare on a regular file): the rest in one go.
    if (written < total) writeFileSync(fd, Buffer.concat(pieces as Uint8Array[]).subarray(written));
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw error;
  }
  closeSync(fd);
}

/**
 * Makes a folder and its missing parents, one level at a time: Node's
 * recursive `mkdir` never returns where `mkdir` answers ENOENT under a
 * folder that exists (/proc, /sys), and this throws that error instead.
 * `mode` is each new folder's (before the umask), as mkdir's.
 */
export function makeFolders(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !existsSync(current); current = path.dirname(current)) {
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
