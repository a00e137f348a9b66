/**
 * The persistent build cache (`.herald-cache/`, safe to delete, restorable
 * in CI with actions/cache). Every entry is keyed by the content hash of the
 * note together with a global key made of herald's own sources, templates,
 * browser assets and the config, so a change to any of them invalidates
 * exactly what it must.
 *
 * - `index.jsonl`: per note path, its size, mtime, content hash, entry key,
 *   messages, summary, digests and output hashes: all a no-change rebuild
 *   needs (JSON Lines, see `loadIndex`).
 * - `entries/<k2>/<key>.out`: one note's output files, stored raw (no
 *   compression, no JSON escaping of the contents): a small JSON header
 *   naming each file and its blob, then the blobs. Files with the same bytes
 *   (the site's downloads/ copies) share one blob. The worker that rendered
 *   the note writes it, so the main thread never encodes outputs twice.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { Advisory } from '../model/types.ts';
import { packageRoot } from '../package-root.ts';
import { version } from '../version.ts';
import { sourcesDigest, treeDigest } from './sources-digest.ts';
import type { OutputFile } from '../render/types.ts';
import type { NoteJobResult } from './note-job.ts';

/** 2: raw output entries (no gzip), no positions in the index. */
const formatVersion = 2;

export interface IndexRecord {
  size: number;
  mtimeMs: number;
  hash: string;
  key: string;
  messages: HeraldMessage[];
  summary?: Advisory;
  rendered: boolean;
  /** Each renderer's digest of the note, for aggregates. */
  digests: Record<string, unknown>;
  /** Per-note output paths and the sha256 of each. */
  outputs: { path: string; sha256: string }[];
}

export interface CacheIndex {
  format: number;
  globalKey: string;
  notes: Record<string, IndexRecord>;
}

let sourcesHash: string | undefined;

/** Hash of herald itself: its version, sources, templates and browser assets. */
function heraldHash(): string {
  if (!sourcesHash) {
    // src/'s digest is compiled in when running from dist-js/ (see sources-digest.ts).
    const hash = createHash('sha256').update(version).update(sourcesDigest());
    for (const dir of ['templates', 'site']) hash.update(treeDigest(path.join(packageRoot, dir)));
    sourcesHash = hash.digest('hex');
  }
  return sourcesHash;
}

export function globalKey(config: Config, preview: boolean): string {
  return createHash('sha256').update(`${formatVersion}\0${heraldHash()}\0${preview}\0${JSON.stringify(config)}`).digest('hex');
}

export function entryKey(globalKeyValue: string, notePath: string, contentHash: string): string {
  return createHash('sha256').update(`${globalKeyValue}\0${notePath}\0${contentHash}`).digest('hex');
}

export function emptyIndex(key: string): CacheIndex {
  return { format: formatVersion, globalKey: key, notes: {} };
}

/**
 * The index is JSON Lines: a header line with the format and global key,
 * then one `[path, record]` line per note. Read and written a chunk at a
 * time, so at 10,000 notes no 140 MB string is ever made.
 */
export function loadIndex(cacheDir: string, key: string): CacheIndex {
  let fd: number | undefined;
  try {
    fd = openSync(path.join(cacheDir, 'index.jsonl'), 'r');
    const index = emptyIndex(key);
    let header = true;
    const chunk = Buffer.alloc(4 << 20);
    let rest = '';
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      const lines = (rest + chunk.toString('utf8', 0, read)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (header) {
          const head = JSON.parse(line) as { format: number; globalKey: string };
          if (head.format !== formatVersion || head.globalKey !== key) return emptyIndex(key);
          header = false;
        } else {
          const [file, record] = JSON.parse(line) as [string, IndexRecord];
          index.notes[file] = record;
        }
      }
    }
    // A torn last line means a torn file: start afresh.
    return rest === '' && !header ? index : emptyIndex(key);
  } catch {
    // A missing or unreadable index is an empty cache.
    return emptyIndex(key);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeAtomically(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, Array.isArray(data) ? Buffer.concat(data as Uint8Array[]) : (data as string | Uint8Array));
  renameSync(temporary, file);
}

export function saveIndex(cacheDir: string, index: CacheIndex): void {
  const file = path.join(cacheDir, 'index.jsonl');
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    let pending = JSON.stringify({ format: index.format, globalKey: index.globalKey }) + '\n';
    for (const [note, record] of Object.entries(index.notes)) {
      pending += JSON.stringify([note, record]) + '\n';
      if (pending.length > 1 << 20) {
        writeSync(fd, pending);
        pending = '';
      }
    }
    writeSync(fd, pending);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function entryFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'entries', key.slice(0, 2), `${key}.out`);
}

/** The header of an entry: each file's path and blob index, and each blob's length. */
interface EntryHeader {
  files: [path: string, blob: number][];
  blobs: number[];
}

export function writeCacheEntry(cacheDir: string, key: string, result: NoteJobResult): void {
  const header: EntryHeader = { files: [], blobs: [] };
  const blobs: Uint8Array[] = [];
  const byHash = new Map<string, number>();
  for (const file of result.outputs) {
    let blob = byHash.get(file.sha256);
    if (blob === undefined) {
      blob = blobs.length;
      byHash.set(file.sha256, blob);
      const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents, 'utf8') : file.contents;
      blobs.push(bytes);
      header.blobs.push(bytes.byteLength);
    }
    header.files.push([file.path, blob]);
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.byteLength);
  writeAtomically(entryFile(cacheDir, key), [length, headerBytes, ...blobs]);
}

/**
 * The outputs stored for `key` (contents as bytes), or undefined when the
 * entry is missing, unreadable or not as long as its header says.
 */
export function readCachedOutputs(cacheDir: string, key: string): OutputFile[] | undefined {
  try {
    const data = readFileSync(entryFile(cacheDir, key));
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as EntryHeader;
    const blobs: Uint8Array[] = [];
    let offset = 4 + headerLength;
    for (const length of header.blobs) {
      blobs.push(data.subarray(offset, offset + length));
      offset += length;
    }
    if (offset !== data.byteLength) return undefined;
    return header.files.map(([file, blob]) => ({ path: file, contents: blobs[blob]! }));
  } catch {
    return undefined;
  }
}

export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}
