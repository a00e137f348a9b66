/**
 * Writes a build's output tree. The manifest (`.herald-manifest.json` in the
 * output folder) records the sha256 of every file herald wrote, so the next
 * build writes only files whose bytes changed and removes those no longer
 * produced.
 *
 * Without a manifest (first build, `--clean`, or a folder herald did not
 * write) the tree goes into a staging folder that replaces the output in one
 * rename. With one, changed files are written beside their targets and
 * renamed into place only at `commit()`, after everything rendered.
 *
 * Files are written as they come (the build streams each note's outputs as
 * its job finishes), synchronously: one `writeFileSync` per file into a
 * folder created once is several times cheaper than a promise per file. In
 * a cold build on worker threads, each worker writes its notes' files into
 * the staging folder itself (`writeStagedNote`) and the writer only records
 * them (`adoptNote`), so the outputs never cross between threads.
 *
 * In a staging folder, a note's file whose bytes equal another of the same
 * note's files (the site's downloads/ copies of checklists, wiki, OSV and
 * mail files) is a hard link to it. herald never writes into an output file
 * in place (an incremental build renames a new file over the old, which
 * leaves the other link as it was), and a copy of the folder holds the same
 * bytes either way.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/types.ts';
import { checkOutputPath, swapIn } from '../io/write-tree.ts';
import { sha256 } from './cache.ts';

export const manifestName = '.herald-manifest.json';

export interface Manifest {
  files: Record<string, string>;
}

/**
 * The manifest this process wrote or read last, with the size and mtime
 * its file had then: `herald serve --watch` builds again and again, and
 * need not parse back (at 10,000 notes) 192,000 entries it just wrote.
 */
let lastManifest: { file: string; size: number; mtimeMs: number; manifest: Manifest } | undefined;

function remember(file: string, manifest: Manifest): void {
  try {
    const info = statSync(file);
    lastManifest = { file, size: info.size, mtimeMs: info.mtimeMs, manifest };
  } catch {
    lastManifest = undefined;
  }
}

export function loadManifest(out: string): Manifest | undefined {
  const file = path.join(out, manifestName);
  try {
    const info = statSync(file);
    if (lastManifest && lastManifest.file === file && lastManifest.size === info.size && lastManifest.mtimeMs === info.mtimeMs) return lastManifest.manifest;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (!manifest || typeof manifest.files !== 'object') return undefined;
    remember(file, manifest);
    return manifest;
  } catch {
    return undefined;
  }
}

function pendingName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.herald-pending`);
}

export class OutputWriter {
  private readonly desired = new Map<string, string>();
  private readonly changed = new Set<string>();
  private readonly dirs = new Set<string>();

  private constructor(
    private readonly out: string,
    /** Where files are written now: the staging folder, or the output itself. */
    readonly root: string,
    private readonly manifest: Manifest | undefined,
  ) {}

  static open(out: string, manifest: Manifest | undefined): OutputWriter {
    if (manifest) return new OutputWriter(out, out, manifest);
    const staging = `${out.replace(/[\\/]+$/, '')}.staging-${process.pid}-${Date.now()}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    return new OutputWriter(out, staging, undefined);
  }

  /** True when the previous output is updated in place (it has a manifest). */
  get incremental(): boolean {
    return this.manifest !== undefined;
  }

  /** True when some of these outputs must be written (their bytes are needed). */
  needs(outputs: readonly { path: string; sha256: string }[]): boolean {
    if (!this.manifest) return true;
    return outputs.some((o) => this.manifest!.files[o.path] !== o.sha256);
  }

  /** Records outputs that stay as they are (already checked with `needs`). */
  keep(outputs: readonly { path: string; sha256: string }[]): void {
    for (const o of outputs) this.claim(o.path, o.sha256);
  }

  /**
   * Keeps every file of the previous output in the folders `parent` +
   * name (each name ending in `/`) as it is; returns the names that had
   * files (none in a cold build). One pass over the manifest.
   */
  keepFolders(parent: string, names: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    if (!this.manifest) return found;
    for (const [file, hash] of Object.entries(this.manifest.files)) {
      if (!file.startsWith(parent)) continue;
      const slash = file.indexOf('/', parent.length);
      const name = slash < 0 ? '' : file.slice(parent.length, slash + 1);
      if (!names.has(name)) continue;
      this.claim(file, hash);
      found.add(name);
    }
    return found;
  }

  /** Where an output file's bytes are in this build (written or kept), or undefined when it has none. */
  locate(file: string): string | undefined {
    if (!this.desired.has(file)) return undefined;
    const target = path.join(this.root, file);
    return this.manifest && this.changed.has(file) ? pendingName(target) : target;
  }

  /** The bytes an output file has in this build (written or kept), or undefined when it has none. */
  read(file: string): Buffer | undefined {
    const where = this.locate(file);
    try {
      return where === undefined ? undefined : readFileSync(where);
    } catch {
      return undefined;
    }
  }

  /** Writes one file (`hash`: the sha256 of its bytes, when already known). */
  write(file: OutputFile, hash: string = sha256(file.contents)): void {
    this.writeOne(file, hash);
  }

  /** Writes one note's files; in a staging folder, files with equal bytes become hard links. */
  writeNote(files: readonly (OutputFile & { sha256: string })[]): void {
    if (!this.manifest) {
      for (const file of files) this.claim(file.path, file.sha256);
      writeStagedNote(this.root, files, this.dirs);
      for (const file of files) this.changed.add(file.path);
      return;
    }
    for (const file of files) this.writeOne(file, file.sha256);
  }

  /**
   * The staging folder a worker may write a note's files into itself
   * (`writeStagedNote`), or undefined when this build updates the output
   * in place.
   */
  get stagingDir(): string | undefined {
    return this.manifest ? undefined : this.root;
  }

  /** Records a note's files that a worker wrote into the staging folder. */
  adoptNote(files: readonly { path: string; sha256: string }[]): void {
    for (const file of files) {
      this.claim(file.path, file.sha256);
      this.changed.add(file.path);
    }
  }

  private writeOne(file: OutputFile, hash: string): void {
    this.claim(file.path, hash);
    if (this.manifest && this.manifest.files[file.path] === hash) return;
    const target = path.join(this.root, file.path);
    makeDir(path.dirname(target), this.dirs);
    writeFileSync(this.manifest ? pendingName(target) : target, file.contents);
    this.changed.add(file.path);
  }

  /** Takes back files written or kept in this build (a note that is not published after all). */
  forget(paths: readonly string[]): void {
    for (const file of paths) {
      this.desired.delete(file);
      if (!this.changed.delete(file)) continue;
      const target = path.join(this.root, file);
      rmSync(this.manifest ? pendingName(target) : target, { force: true });
    }
  }

  private claim(file: string, hash: string): void {
    checkOutputPath(file);
    if (this.desired.has(file)) throw new Error(`two outputs share the path ${file}`);
    this.desired.set(file, hash);
  }

  async commit(): Promise<{ files: number; written: number; removed: number }> {
    const files = Object.fromEntries([...this.desired].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const manifestText = JSON.stringify({ files } satisfies Manifest) + '\n';
    if (!this.manifest) {
      writeFileSync(path.join(this.root, manifestName), manifestText);
      await swapIn(this.root, this.out);
      remember(path.join(this.out, manifestName), { files });
      return { files: this.desired.size, written: this.changed.size, removed: 0 };
    }
    for (const file of this.changed) {
      const target = path.join(this.out, file);
      renameSync(pendingName(target), target);
    }
    let removed = 0;
    for (const file of Object.keys(this.manifest.files)) {
      if (this.desired.has(file)) continue;
      rmSync(path.join(this.out, file), { force: true });
      removeEmptyParents(path.dirname(path.join(this.out, file)), this.out);
      removed += 1;
    }
    writeFileSync(path.join(this.out, manifestName), manifestText);
    remember(path.join(this.out, manifestName), { files });
    return { files: this.desired.size, written: this.changed.size, removed };
  }

  async abort(): Promise<void> {
    if (!this.manifest) return rmSync(this.root, { recursive: true, force: true });
    for (const file of this.changed) rmSync(pendingName(path.join(this.out, file)), { force: true });
  }
}

function makeDir(dir: string, known: Set<string>): void {
  if (known.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  known.add(dir);
}

/**
 * Writes one note's files into a staging folder, a file whose bytes equal
 * an earlier one's as a hard link to it. Run by the output writer, or by
 * a build worker straight into the writer's staging folder; `dirs` holds
 * the folders known to exist. A note tried again writes the same bytes.
 */
export function writeStagedNote(root: string, files: readonly (OutputFile & { sha256: string })[], dirs: Set<string>): void {
  const written = new Map<string, string>();
  for (const file of files) {
    checkOutputPath(file.path);
    const target = path.join(root, file.path);
    makeDir(path.dirname(target), dirs);
    const twin = written.get(file.sha256);
    if (twin) {
      rmSync(target, { force: true });
      linkSync(twin, target);
    } else {
      writeFileSync(target, file.contents);
      written.set(file.sha256, target);
    }
  }
}

function removeEmptyParents(dir: string, stop: string): void {
  for (let current = dir; current.startsWith(stop) && current !== stop; current = path.dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
  }
}
