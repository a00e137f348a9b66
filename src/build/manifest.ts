/**
 * The output manifest: the sha256 of every file herald wrote into an
 * output folder, so the next build writes only files whose bytes changed
 * and removes those no longer produced.
 *
 * A note's files are one group, named by the note and held as one string
 * (a `path<TAB>sha256` line per file): a build that keeps a note's files
 * as they were compares one string. The other files (aggregates, search)
 * are listed one by one.
 *
 * On disk, `.herald-manifest.json` lists the other files, the number of
 * shards and a digest of each group's string; the groups are in
 * `.herald-manifest/<shard>.json`, each group in the shard its name hashes
 * to, so that a build that changed a few notes rewrites a few shards (at
 * 10,000 notes the groups are 18 MB). A build reads the main file only
 * (`openManifest`): it tells a kept note by its group's digest, and reads
 * the shard of a note it changed when it needs that note's previous files.
 * Shards are written before the main file, and both after the output files
 * are in place: a build stopped half-way leaves a manifest that names at
 * worst older bytes, which the next build writes again.
 *
 * The main file also records each output root folder (`site`, `wiki`,
 * `mail`, ...: the folders at the top of the output) by its identity,
 * device and inode. A root removed (`rm -rf dist/site`) or replaced by
 * another folder since is told by a stat, and the build reads the
 * manifest as if nothing under it had been written (`openManifest`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileMemo } from '../io/file-memo.ts';
import { writeFileAtomically } from '../io/write-file.ts';
import { utf8Text } from '../io/utf8-text.ts';

export const manifestName = '.herald-manifest.json';
const shardFolder = '.herald-manifest';
const shardCount = 32;

export interface Manifest {
  /** Per note (by name): its files, a `path<TAB>sha256` line each. */
  groups: Record<string, string>;
  /** Every other file, by path. */
  files: Record<string, string>;
  /** `groupDigest` of each group, where already known (`writeManifest` computes the others); a group named here and not in `groups` is kept as the previous manifest has it. */
  digests?: Record<string, string>;
  /** Each output root folder's identity (`rootIdentities`), as the build that wrote the manifest left it. */
  roots?: Record<string, string>;
}

interface MainFile {
  files: Record<string, string>;
  shards?: number;
  /** `groupDigest` of every group (absent in a manifest of an earlier herald). */
  digests?: Record<string, string>;
  /** Groups kept in the main file (a manifest of an earlier herald). */
  groups?: Record<string, string>;
  roots?: Record<string, string>;
}

/** A folder's identity, `device:inode`, or undefined when it is not a folder (gone). */
function folderIdentity(dir: string): string | undefined {
  try {
    const info = statSync(dir, { bigint: true });
    return info.isDirectory() ? `${info.dev}:${info.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of each folder at the top of an output folder (its dot folders aside), by name. */
export function rootIdentities(out: string): Record<string, string> {
  const roots: Record<string, string> = {};
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const identity = folderIdentity(path.join(out, entry.name));
    if (identity) roots[entry.name] = identity;
  }
  return roots;
}

/** The output root folders of `roots` that are no longer the folders they were in `out`: removed, or replaced by another. A few stats. */
export function lostRoots(out: string, roots: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(roots ?? {})
    .filter(([name, identity]) => folderIdentity(path.join(out, name)) !== identity)
    .map(([name]) => name);
}

/** `manifest` as if nothing under the root folders `lost` had been written: the build writes those files again. */
function withoutRoots(manifest: Manifest, lost: readonly string[]): Manifest {
  const kept = (file: string) => !lost.some((name) => file.startsWith(`${name}/`));
  const groups: Record<string, string> = {};
  for (const [name, text] of Object.entries(manifest.groups)) {
    groups[name] = groupText([...groupFiles(text)].filter(([file]) => kept(file)).map(([file, sha256]) => ({ path: file, sha256 })));
  }
  return { groups, files: Object.fromEntries(Object.entries(manifest.files).filter(([file]) => kept(file))) };
}

/** What the main file lists a group by: the first 128 bits of its string's sha256, in hex. */
export function groupDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** A group's manifest string for these files. */
export function groupText(files: readonly { path: string; sha256: string }[]): string {
  // One flat string (join), not a rope of concatenations: a build keeps
  // one per note, and a rope of 19 lines costs three times its text.
  return files.map((file) => `${file.path}\t${file.sha256}`).join('\n');
}

/** The sha256 a group's manifest string gives a file, or undefined when the group has no such file. */
export function groupFileHash(text: string, file: string): string | undefined {
  const prefix = `${file}\t`;
  let start: number;
  if (text.startsWith(prefix)) start = prefix.length;
  else {
    const at = text.indexOf(`\n${prefix}`);
    if (at < 0) return undefined;
    start = at + 1 + prefix.length;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end);
}

/** How many files a group's manifest string lists. */
export function groupCount(text: string): number {
  if (text === '') return 0;
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** The files of a group's manifest string, by path. */
export function groupFiles(text: string): Map<string, string> {
  const files = new Map<string, string>();
  if (text === '') return files;
  for (const line of text.split('\n')) {
    const tab = line.lastIndexOf('\t');
    files.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return files;
}

/** Every file a manifest lists, grouped or not, by path, sorted. */
export function manifestFiles(manifest: Manifest): Record<string, string> {
  const all = new Map(Object.entries(manifest.files));
  for (const text of Object.values(manifest.groups)) for (const [file, hash] of groupFiles(text)) all.set(file, hash);
  return Object.fromEntries([...all].sort(byName));
}

/** The shard a group goes in (FNV-1a of its name). */
function shardOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shardCount;
}

const shardFile = (root: string, shard: number) => path.join(root, shardFolder, `${String(shard).padStart(2, '0')}.json`);

/** The manifest this process wrote or read last, while its main file (rewritten by every build) is as it was. */
const lastManifest = new FileMemo<Manifest>();

function remember(root: string, manifest: Manifest): void {
  lastManifest.remember(path.join(root, manifestName), manifest);
}

/** The manifest of an output folder, every group read, or undefined when it has none (or one that cannot be read whole). */
export function loadManifest(out: string): Manifest | undefined {
  const file = path.join(out, manifestName);
  const known = lastManifest.recall(file);
  if (known) return known;
  const main = readMain(file);
  if (!main) return undefined;
  try {
    const groups: Record<string, string> = main.groups ?? {};
    for (let shard = 0; shard < (main.shards ?? 0); shard++) Object.assign(groups, readShard(out, shard));
    const manifest: Manifest = { groups, files: main.files, ...(main.digests ? { digests: main.digests } : {}), ...(main.roots ? { roots: main.roots } : {}) };
    remember(out, manifest);
    return manifest;
  } catch {
    return undefined;
  }
}

function readMain(file: string): MainFile | undefined {
  try {
    const data = JSON.parse(utf8Text(readFileSync(file))) as Partial<MainFile> | null;
    if (!data || typeof data.files !== 'object' || data.files === null) return undefined;
    return {
      files: data.files,
      ...(typeof data.shards === 'number' ? { shards: data.shards } : {}),
      ...(typeof data.digests === 'object' && data.digests !== null ? { digests: data.digests } : {}),
      ...(typeof data.groups === 'object' && data.groups !== null ? { groups: data.groups } : {}),
      ...(typeof data.roots === 'object' && data.roots !== null ? { roots: data.roots } : {}),
    };
  } catch {
    return undefined;
  }
}

function readShard(root: string, shard: number): Record<string, string> {
  return (JSON.parse(utf8Text(readFileSync(shardFile(root, shard)))) as { groups: Record<string, string> }).groups;
}

/**
 * The manifest of an output folder as a build reads it, or undefined when
 * it has none (or one that cannot be read): the main file at once, each
 * shard only when one of its groups is asked for. A manifest of an earlier
 * herald (no digests in its main file) is read whole, and so is one with
 * a root folder lost since (`lostRoots`), which is then read as if no
 * file under that folder had been written.
 */
export function openManifest(out: string): ManifestView | undefined {
  const file = path.join(out, manifestName);
  const known = lastManifest.recall(file);
  if (known) {
    const lost = lostRoots(out, known.roots);
    return ManifestView.of(lost.length > 0 ? withoutRoots(known, lost) : known);
  }
  const main = readMain(file);
  if (!main) return undefined;
  const lost = lostRoots(out, main.roots);
  if (lost.length > 0) {
    const whole = loadManifest(out);
    return whole ? ManifestView.of(withoutRoots(whole, lost)) : undefined;
  }
  const shards = Array.from({ length: main.shards ?? 0 }, (_, shard) => shard);
  if (!main.digests || main.groups || shards.some((shard) => !existsSync(shardFile(out, shard)))) {
    const whole = loadManifest(out);
    return whole ? ManifestView.of(whole) : undefined;
  }
  return new ManifestView(main.files, main.digests, new Map(), (shard) => readShard(out, shard));
}

/**
 * A previous manifest: its files outside groups, each group's digest, and
 * each group's string, read from its shard the first time it is asked for.
 */
export class ManifestView {
  private readonly shardsRead = new Set<number>();

  constructor(
    readonly files: Readonly<Record<string, string>>,
    /** By group name, as the main file lists them (a record, not a Map: at 10,000 notes copying it into one was a tenth of reading the file). */
    private readonly digests: Readonly<Record<string, string>>,
    /** The groups' strings read so far. */
    private readonly texts: Map<string, string>,
    /** Reads a shard's groups; undefined when `texts` holds every group. */
    private readonly readShard?: (shard: number) => Record<string, string>,
  ) {}

  /** A view of a manifest held whole (its groups' digests computed when it has none). */
  static of(manifest: Manifest): ManifestView {
    // Kept on the manifest, which this process may remember and view again.
    manifest.digests ??= Object.fromEntries(Object.entries(manifest.groups).map(([name, text]) => [name, groupDigest(text)]));
    return new ManifestView(manifest.files, manifest.digests, new Map(Object.entries(manifest.groups)));
  }

  /** Every group's name. */
  names(): string[] {
    return Object.keys(this.digests);
  }

  digest(name: string): string | undefined {
    return Object.hasOwn(this.digests, name) ? this.digests[name] : undefined;
  }

  /** True when the group `name` is `text` (by its string when read, else by its digest). */
  holds(name: string, text: string): boolean {
    const known = this.texts.get(name);
    if (known !== undefined) return known === text;
    const digest = this.digest(name);
    return digest !== undefined && digest === groupDigest(text);
  }

  /** The group's string (its shard read now if it was not yet), or undefined when the manifest has no such group. */
  group(name: string): string | undefined {
    const shard = shardOf(name);
    if (this.readShard && Object.hasOwn(this.digests, name) && !this.shardsRead.has(shard)) {
      this.shardsRead.add(shard);
      try {
        for (const [each, text] of Object.entries(this.readShard(shard))) this.texts.set(each, text);
      } catch {
        // A shard that cannot be read: its groups' files are written again (and the shard with them).
      }
    }
    return this.texts.get(name);
  }
}

/**
 * Writes `next` into `root`: every shard when there is no `previous`
 * manifest in that folder, else the shards whose groups changed; then the
 * main file, with the identity of each root folder now in `root` (a
 * staging folder renamed into place keeps its folders' identities), unless
 * `next` has its own. A group `next` lists by its digest alone (a note
 * whose files were kept without reading them) has the previous manifest's
 * string, read from its shard only when that shard is written again.
 * Groups and files are sorted by name. Returns those identities.
 */
export function writeManifest(root: string, next: Manifest, previous?: ManifestView): Record<string, string> {
  const digests: Record<string, string> = next.digests ?? {};
  for (const [name, text] of Object.entries(next.groups)) digests[name] ??= groupDigest(text);
  next.digests = digests;
  const changed = new Set<number>();
  if (!previous) for (let shard = 0; shard < shardCount; shard++) changed.add(shard);
  else {
    for (const [name, digest] of Object.entries(digests)) if (previous.digest(name) !== digest) changed.add(shardOf(name));
    for (const name of previous.names()) if (!(name in digests)) changed.add(shardOf(name));
  }
  // A shard that is not on disk (a manifest of an earlier herald kept its groups in the main file) is written whole.
  for (let shard = 0; shard < shardCount; shard++) if (!changed.has(shard) && !existsSync(shardFile(root, shard))) changed.add(shard);
  if (changed.size > 0) {
    const shards = new Map<number, [string, string][]>([...changed].map((shard) => [shard, []]));
    for (const name of Object.keys(digests)) {
      const groups = shards.get(shardOf(name));
      if (!groups) continue;
      const text = next.groups[name] ?? previous?.group(name);
      if (text === undefined) throw new Error(`the manifest group of ${name} is known by its digest alone`);
      next.groups[name] = text;
      groups.push([name, text]);
    }
    for (const [shard, groups] of shards) writeFileAtomically(shardFile(root, shard), `${JSON.stringify({ groups: Object.fromEntries(groups.sort(byName)) })}\n`);
  }
  next.roots ??= rootIdentities(root);
  // Kept sorted, as a manifest this process remembers is the next build's `previous`.
  next.files = sortedLike(next.files, previous && Object.keys(previous.files));
  next.digests = sortedLike(digests, previous?.names());
  const main: MainFile = { shards: shardCount, files: next.files, digests: next.digests, roots: next.roots };
  writeFileAtomically(path.join(root, manifestName), `${JSON.stringify(main)}\n`);
  // Held whole only: a manifest with groups known by digest alone is read again by the next build.
  if (Object.keys(next.digests).every((name) => name in next.groups)) remember(root, next);
  else lastManifest.forget();
  return next.roots;
}

/**
 * Makes `out`'s manifest forget the bytes of `files` (in groups or
 * outside them): their hash becomes `unknown`, which no file has, so the
 * next build writes each one it makes and removes each one it does not.
 * For files a killed commit may have left half changed; returns how many
 * the manifest listed.
 */
export function forgetHashes(out: string, files: ReadonlySet<string>): number {
  const previous = loadManifest(out);
  if (!previous) return 0;
  let forgotten = 0;
  const forget = (file: string, sha256: string): string => {
    if (!files.has(file)) return sha256;
    forgotten += 1;
    return 'unknown';
  };
  const groups: Record<string, string> = {};
  for (const [name, text] of Object.entries(previous.groups)) {
    groups[name] = groupText([...groupFiles(text)].map(([file, sha256]) => ({ path: file, sha256: forget(file, sha256) })));
  }
  const outside = Object.fromEntries(Object.entries(previous.files).map(([file, sha256]) => [file, forget(file, sha256)]));
  // The roots as that build left them: a root lost since is still told.
  if (forgotten > 0) writeManifest(out, { groups, files: outside, ...(previous.roots ? { roots: previous.roots } : {}) }, ManifestView.of(previous));
  return forgotten;
}

/**
 * `record` with its names in sorted order. `order`, the previous
 * manifest's names as its main file lists them (sorted when it was
 * written), gives the order of the names both have, so that only the few
 * names a build added are sorted and merged in (at 10,000 notes, sorting
 * the 10,000 groups' and 12,000 files' names took a tenth of a one-note
 * rebuild's commit); a list that is not sorted after all is sorted whole.
 */
export function sortedLike(record: Readonly<Record<string, string>>, order?: readonly string[]): Record<string, string> {
  const kept = order?.filter((name) => Object.hasOwn(record, name));
  const sorted = kept !== undefined && kept.every((name, index) => index === 0 || kept[index - 1]! < name);
  let names: string[];
  if (!sorted) names = Object.keys(record).sort();
  else {
    const known = new Set(kept);
    const added = Object.keys(record)
      .filter((name) => !known.has(name))
      .sort();
    names = [];
    let at = 0;
    for (const name of added) {
      while (at < kept.length && kept[at]! < name) names.push(kept[at++]!);
      names.push(name);
    }
    for (; at < kept.length; at++) names.push(kept[at]!);
  }
  const result: Record<string, string> = {};
  for (const name of names) result[name] = record[name]!;
  return result;
}

const byName = <T>([a]: [string, T], [b]: [string, T]): number => (a < b ? -1 : a > b ? 1 : 0);
