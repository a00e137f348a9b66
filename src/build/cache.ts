/**
 * The persistent build cache (`.herald-cache/`, safe to delete, restorable
 * in CI with actions/cache). Every entry is keyed by the content hash of the
 * note together with a global key made of herald's own sources, templates,
 * browser assets and the config, so a change to any of them invalidates
 * exactly what it must.
 *
 * - `index.json`: per note path, its size, mtime, content hash, entry key,
 *   summary and output hashes: all a no-change rebuild needs.
 * - `entries/<key>.json.gz`: one note's full job result, outputs included.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { Located } from '../model/frontmatter.ts';
import type { Advisory } from '../model/types.ts';
import type { OutputFile } from '../render/types.ts';
import { version } from '../version.ts';
import type { NoteJobResult } from './note-job.ts';

const formatVersion = 1;
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface IndexRecord {
  size: number;
  mtimeMs: number;
  hash: string;
  key: string;
  messages: HeraldMessage[];
  summary?: Advisory;
  positions?: { id: Located; aliases: Located[] };
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

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    const info = statSync(full);
    if (info.isDirectory()) hashTree(hash, full);
    else {
      hash.update(path.relative(packageRoot, full));
      hash.update(readFileSync(full));
    }
  }
}

let sourcesHash: string | undefined;

/** Hash of herald itself: its version, sources, templates and browser assets. */
function heraldHash(): string {
  if (!sourcesHash) {
    const hash = createHash('sha256').update(version);
    for (const dir of ['src', 'templates', 'site']) hashTree(hash, path.join(packageRoot, dir));
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

export function loadIndex(cacheDir: string, key: string): CacheIndex {
  try {
    const index = JSON.parse(readFileSync(path.join(cacheDir, 'index.json'), 'utf8')) as CacheIndex;
    if (index.format === formatVersion && index.globalKey === key) return index;
  } catch {
    // A missing or unreadable index is an empty cache.
  }
  return emptyIndex(key);
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

export function saveIndex(cacheDir: string, index: CacheIndex): void {
  writeAtomically(path.join(cacheDir, 'index.json'), JSON.stringify(index));
}

function entryFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'entries', key.slice(0, 2), `${key}.json.gz`);
}

type StoredOutput = { path: string; text: string } | { path: string; base64: string };

export function writeCacheEntry(cacheDir: string, key: string, result: NoteJobResult): void {
  const outputs: StoredOutput[] = result.outputs.map((file) => (typeof file.contents === 'string' ? { path: file.path, text: file.contents } : { path: file.path, base64: Buffer.from(file.contents).toString('base64') }));
  writeAtomically(entryFile(cacheDir, key), gzipSync(JSON.stringify({ ...result, outputs }), { level: 1 }));
}

/** The outputs stored for `key`, or undefined when the entry is missing or unreadable. */
export function readCachedOutputs(cacheDir: string, key: string): OutputFile[] | undefined {
  try {
    const stored = JSON.parse(gunzipSync(readFileSync(entryFile(cacheDir, key))).toString('utf8')) as { outputs: StoredOutput[] };
    return stored.outputs.map((o) => ('text' in o ? { path: o.path, contents: o.text } : { path: o.path, contents: new Uint8Array(Buffer.from(o.base64, 'base64')) }));
  } catch {
    return undefined;
  }
}

export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}
