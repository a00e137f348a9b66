/**
 * Writes a build's output tree, and its manifest (`manifest.ts`: the
 * sha256 of every file herald wrote, a note's files as one group), so the
 * next build writes only files whose bytes changed and removes those no
 * longer produced.
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
 * them (`adoptNote`), so the outputs never cross between threads; in an
 * incremental one, each writes its notes' changed files as pending files
 * (`writePendingNote`, `adoptPending`).
 *
 * In a staging folder, a note's file whose bytes equal another of the same
 * note's files (the site's downloads/ copies of checklists, wiki, OSV and
 * mail files) is a hard link to it. herald never writes into an output file
 * in place (an incremental build renames a new file over the old, which
 * leaves the other link as it was), and a copy of the folder holds the same
 * bytes either way.
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, writeSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { OutputFile } from '../render/types.ts';
import { checkOutputPath, swapIn } from '../io/write-tree.ts';
import { sha256 } from './cache.ts';
import { forgetHashes, groupCount, groupDigest, groupFiles, groupText, writeManifest, type Manifest, type ManifestView } from './manifest.ts';
import { writeFileAtomically } from '../io/write-file.ts';

/** The start of the name of a staging folder of `out`, beside it; the process id and the time follow. */
export function stagingPrefix(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}.staging-`;
}

/**
 * The files a commit is changing, written into the output before its
 * first rename and removed once the manifest lists the new bytes. Found
 * later, it means the commit was killed half way: those files' bytes may
 * be the old or the new ones, whatever the manifest says.
 */
const journalName = '.herald-commit';

/**
 * Puts an output folder back as its last finished build left it, after a
 * build was killed (its lock was found with its process gone): each file
 * that build had put in place early gets its previous bytes back, and its
 * pending files are removed. A build killed while it put its files in
 * place (its journal is there) has the files it had set aside put back,
 * and the manifest forgets the bytes of every file it was changing, so the
 * next build writes them again (or removes them); one killed after its
 * journal was removed had committed, and what it had set aside is deleted.
 * Returns how many files it found.
 */
export function recoverOutput(out: string): number {
  let found = 0;
  const journal = path.join(out, journalName);
  let listed: string[] = [];
  try {
    listed = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
  } catch {
    // No commit was under way.
  }
  if (listed.length > 0) found += forgetHashes(out, new Set(listed));
  // A commit under way had set these aside; one past its journal had committed, and they are only old bytes.
  const committing = existsSync(journal);
  rmSync(journal, { force: true });
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (!entry.name.startsWith('.')) continue;
      else if (entry.name.endsWith(previousSuffix)) {
        renameSync(full, path.join(dir, entry.name.slice(1, -previousSuffix.length)));
        found += 1;
      } else if (entry.name.endsWith(pendingSuffix)) {
        rmSync(full, { force: true });
        found += 1;
      } else if (entry.name.endsWith(replacedSuffix)) {
        if (committing) renameSync(full, path.join(dir, entry.name.slice(1, -replacedSuffix.length)));
        else rmSync(full, { force: true });
        found += 1;
      }
    }
  };
  visit(out);
  return found;
}

const pendingSuffix = '.herald-pending';
const previousSuffix = '.herald-previous';
const replacedSuffix = '.herald-replaced';

function pendingName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${pendingSuffix}`);
}

/** Where a file placed ahead of the commit (`placeGroup`) keeps the previous output's bytes until then. */
function previousName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${previousSuffix}`);
}

/** Where `commit` keeps the previous bytes of a file it replaces or removes, until the manifest lists the new ones. */
function replacedName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${replacedSuffix}`);
}

/**
 * Undoes a commit's renames, last first: each file set aside gets its old
 * bytes back, each new file is removed. Returns false when one of them
 * could not be undone (the rest still are).
 */
function putBack(replaced: readonly string[], added: readonly string[]): boolean {
  let whole = true;
  const attempt = (undo: () => void) => {
    try {
      undo();
    } catch {
      whole = false;
    }
  };
  for (const target of added) attempt(() => rmSync(target, { force: true }));
  for (const target of [...replaced].reverse()) attempt(() => renameSync(replacedName(target), target));
  return whole;
}

/** A note's output whose path another note's output has already claimed (two advisories with one id). */
export class OutputCollision extends Error {
  constructor(readonly output: string) {
    super(`two outputs share the path ${output}`);
    this.name = 'OutputCollision';
  }
}

export class OutputWriter {
  /** Groups of this build: name to manifest string and file count, and the digest of a group kept from the previous manifest (its string then unknown when kept by `keepHeldGroup`). */
  private readonly groups = new Map<string, { text?: string; count: number; digest?: string }>();
  /** Files outside groups, by path. */
  private readonly files = new Map<string, string>();
  /**
   * Paths claimed by the files and by the groups written in this build. A
   * kept group's paths are not listed: they were unique when it was
   * written, and have not changed since.
   */
  private readonly claimed = new Set<string>();
  private readonly changed = new Set<string>();
  /** Changed files already in place (`placeGroup`), each with whether the previous output had it (kept aside until commit). */
  private readonly placed = new Map<string, boolean>();
  private readonly dirs = new Set<string>();
  /** Groups `groupNeeds` found as the previous output holds them: name to string. */
  private readonly held = new Map<string, string>();

  private constructor(
    private readonly out: string,
    /** Where files are written now: the staging folder, or the output itself. */
    readonly root: string,
    private readonly manifest: ManifestView | undefined,
  ) {}

  static open(out: string, manifest: ManifestView | undefined): OutputWriter {
    if (manifest) return new OutputWriter(out, out, manifest);
    const staging = `${stagingPrefix(out)}${process.pid}-${Date.now()}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    return new OutputWriter(out, staging, undefined);
  }

  /** True when the previous output is updated in place (it has a manifest). */
  get incremental(): boolean {
    return this.manifest !== undefined;
  }

  /** True when some of a note's files (`groupText`) must be written: the previous output does not hold them as they are. */
  groupNeeds(name: string, text: string): boolean {
    const held = this.manifest?.holds(name, text) ?? false;
    if (held) this.held.set(name, text);
    return !held;
  }

  /** Records a note's files (`groupText`) that stay as they are (already checked with `groupNeeds`). */
  keepGroup(name: string, text: string): void {
    // The previous manifest's digest, when `groupNeeds` found it the digest of this very string.
    this.addGroup(name, text, groupCount(text), this.held.get(name) === text ? this.manifest?.digest(name) : undefined);
  }

  /** The digest (`groupDigest`) the previous manifest lists a note's files by; undefined when it has no such group. */
  previousDigest(name: string): string | undefined {
    return this.manifest?.digest(name);
  }

  /**
   * Keeps a note's files as the previous output has them, known by the
   * digest of their manifest string and their number alone (as the cache's
   * light index records them: `StoredRecord`), already checked to be the
   * previous manifest's (`previousDigest`).
   */
  keepHeldGroup(name: string, digest: string, count: number): void {
    this.addGroup(name, undefined, count, digest);
  }

  /** True when some of these files (outside groups) must be written. */
  needs(outputs: readonly { path: string; sha256: string }[]): boolean {
    if (!this.manifest) return true;
    return outputs.some((o) => this.manifest!.files[o.path] !== o.sha256);
  }

  /** Records files (outside groups) that stay as they are (already checked with `needs`). */
  keep(outputs: readonly { path: string; sha256: string }[]): void {
    for (const o of outputs) this.claim(o.path, o.sha256);
  }

  /**
   * Keeps every file of the previous output in the folders `parent` +
   * name (each name ending in `/`) as it is; returns the names that had
   * files (none in a cold build). One pass over the files outside groups.
   */
  keepFolders(parent: string, names: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    for (const [file, hash, name] of this.previousFolderFiles(parent, names)) {
      this.claim(file, hash);
      found.add(name);
    }
    return found;
  }

  /** The names among `names` whose folders under `parent` the previous output has files in, as `keepFolders` finds them, keeping nothing. */
  heldFolders(parent: string, names: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    for (const [, , name] of this.previousFolderFiles(parent, names)) found.add(name);
    return found;
  }

  /** Each file of the previous output (outside groups) in the folders `parent` + a name of `names`: its path, its sha256 and the name. */
  private *previousFolderFiles(parent: string, names: ReadonlySet<string>): Generator<[string, string, string]> {
    if (!this.manifest) return;
    for (const [file, hash] of Object.entries(this.manifest.files)) {
      if (!file.startsWith(parent)) continue;
      const slash = file.indexOf('/', parent.length);
      const name = slash < 0 ? '' : file.slice(parent.length, slash + 1);
      if (names.has(name)) yield [file, hash, name];
    }
  }

  /**
   * Where an output file's bytes are in this build, or undefined when it
   * has none. A file of the previous output counts until `commit`, even if
   * this build drops it: ask only for files of the notes it publishes.
   */
  locate(file: string): string | undefined {
    const target = path.join(this.root, file);
    // A changed file is pending until the commit, unless its note was placed early (`placeGroup`).
    if (this.changed.has(file)) return this.manifest && !this.placed.has(file) ? pendingName(target) : target;
    if (this.claimed.has(file)) return target;
    return this.manifest && existsSync(target) ? target : undefined;
  }

  /** The bytes an output file has in this build (see `locate`), or undefined when it has none. */
  read(file: string): Buffer | undefined {
    const where = this.locate(file);
    try {
      return where === undefined ? undefined : readFileSync(where);
    } catch {
      return undefined;
    }
  }

  /** Writes one file outside groups (`hash`: the sha256 of its bytes, when already known). */
  write(file: OutputFile, hash: string = sha256(file.contents)): void {
    this.claim(file.path, hash);
    if (this.manifest?.files[file.path] === hash) return;
    this.writeOne(file);
  }

  /**
   * Writes one file outside groups from chunks, each written (through a
   * buffer) and hashed before the next is asked for, so a chunk may be a
   * view the producer reuses; returns the sha256, or what `digestOf` gives
   * once the chunks are written (the producer's own digest of them, listed
   * in the manifest instead). A file whose digest turns out to be that of
   * the previous output is left as it was.
   */
  writeChunks(file: string, chunks: Iterable<Uint8Array>, digestOf?: () => string): string {
    this.claim(file, '');
    const target = path.join(this.root, file);
    makeDir(path.dirname(target), this.dirs);
    const written = this.manifest ? pendingName(target) : target;
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let filled = 0;
    const fd = openSync(written, 'w');
    try {
      const flush = () => {
        for (let at = 0; at < filled; ) at += writeSync(fd, buffer, at, filled - at);
        filled = 0;
      };
      for (const chunk of chunks) {
        if (!digestOf) hash.update(chunk);
        if (chunk.byteLength >= buffer.byteLength) {
          flush();
          for (let at = 0; at < chunk.byteLength; ) at += writeSync(fd, chunk, at, chunk.byteLength - at);
          continue;
        }
        if (filled + chunk.byteLength > buffer.byteLength) flush();
        buffer.set(chunk, filled);
        filled += chunk.byteLength;
      }
      flush();
    } finally {
      closeSync(fd);
    }
    const digest = digestOf ? digestOf() : hash.digest('hex');
    this.files.set(file, digest);
    if (this.manifest?.files[file] === digest) rmSync(written, { force: true });
    else this.changed.add(file);
    return digest;
  }

  /** Writes one note's files as its group; in a staging folder, files with equal bytes become hard links. */
  writeNote(name: string, files: readonly (OutputFile & { sha256: string })[]): string {
    const text = this.claimGroup(name, files, !this.manifest);
    if (!this.manifest) {
      writeStagedNote(this.root, files, this.dirs);
      return text;
    }
    const group = groupFiles(this.manifest.group(name) ?? '');
    // A file may have been listed outside groups (a manifest of an older herald).
    const before = (file: string) => group.get(file) ?? this.manifest!.files[file];
    for (const file of writePendingNote(this.root, files, before, this.dirs)) this.changed.add(file);
    return text;
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
  adoptNote(name: string, files: readonly { path: string; sha256: string }[]): string {
    return this.claimGroup(name, files, true);
  }

  /**
   * The output folder a worker may write a note's changed files into as
   * pending files itself (`writePendingNote`), or undefined in a cold build.
   */
  get pendingDir(): string | undefined {
    return this.manifest ? this.root : undefined;
  }

  /** A note's files in the previous output (`groupText`; empty when it had none), for `writePendingNote`. */
  previousGroup(name: string): string {
    return this.manifest?.group(name) ?? '';
  }

  /** Records a note's files, of which a worker wrote `written` as pending files (`writePendingNote`). */
  adoptPending(name: string, files: readonly { path: string; sha256: string }[], written: readonly string[]): string {
    const text = this.claimGroup(name, files, false);
    for (const file of written) this.changed.add(file);
    return text;
  }

  /** Takes back a note's group written in this build (a note that is not published after all). */
  forgetGroup(name: string): void {
    const group = this.groups.get(name);
    if (!group) return;
    this.groups.delete(name);
    for (const file of groupFiles(group.text ?? '').keys()) {
      this.claimed.delete(file);
      if (this.changed.delete(file)) this.discard(file);
    }
  }

  /** Drops a changed file of this build: its pending or staged bytes, or, when placed ahead of the commit, puts the previous output's back. */
  private discard(file: string): void {
    const target = path.join(this.root, file);
    const placed = this.placed.get(file);
    this.placed.delete(file);
    if (!this.manifest || placed === undefined) rmSync(this.manifest ? pendingName(target) : target, { force: true });
    else if (placed) renameSync(previousName(target), target);
    else rmSync(target, { force: true });
  }

  /**
   * Puts the files of a note's group written in this build in place now,
   * ahead of `commit` (`serve --watch` shows an edited note's pages before
   * the listings are made); returns their paths. The previous output's
   * bytes are kept aside, and `abort` puts them back. Only in an
   * incremental build: a cold one swaps its whole folder in at the end.
   */
  placeGroup(name: string): string[] {
    const group = this.groups.get(name);
    if (!this.manifest || !group) return [];
    const moved: string[] = [];
    for (const file of groupFiles(group.text ?? '').keys()) {
      if (!this.changed.has(file) || this.placed.has(file)) continue;
      const target = path.join(this.out, file);
      const existed = existsSync(target);
      if (existed) renameSync(target, previousName(target));
      renameSync(pendingName(target), target);
      this.placed.set(file, existed);
      moved.push(file);
    }
    return moved;
  }

  private writeOne(file: OutputFile): void {
    const target = path.join(this.root, file.path);
    makeDir(path.dirname(target), this.dirs);
    writeFileSync(this.manifest ? pendingName(target) : target, file.contents);
    this.changed.add(file.path);
  }

  /**
   * Claims a note's files as its group (and counts them as written, when
   * `written`); returns the group's manifest string (`groupText`), for the
   * caller to keep rather than make again. The paths are kept as slices of
   * that string (a few bytes each in V8), not as the job result's strings:
   * a cold build at 10,000 notes keeps 190,000 of them.
   */
  private claimGroup(name: string, files: readonly { path: string; sha256: string }[], written: boolean): string {
    const text = groupText(files);
    let start = 0;
    for (const file of files) {
      checkOutputPath(file.path);
      const claimed = text.slice(start, start + file.path.length);
      start += file.path.length + file.sha256.length + 2;
      if (this.claimed.has(claimed)) throw new OutputCollision(claimed);
      this.claimed.add(claimed);
      if (written) this.changed.add(claimed);
    }
    this.addGroup(name, text, files.length);
    return text;
  }

  private addGroup(name: string, text: string | undefined, count: number, digest?: string): void {
    if (this.groups.has(name)) throw new Error(`two notes share the name ${name}`);
    this.groups.set(name, { ...(text !== undefined ? { text } : {}), count, ...(digest !== undefined ? { digest } : {}) });
  }

  private claim(file: string, hash: string): void {
    checkOutputPath(file);
    if (this.claimed.has(file)) throw new Error(`two outputs share the path ${file}`);
    this.claimed.add(file);
    this.files.set(file, hash);
  }

  /** The manifest of this build (`writeManifest` sorts it as it writes it), and how many files it lists. */
  private nextManifest(): { manifest: Manifest; count: number } {
    let count = this.files.size;
    for (const group of this.groups.values()) count += group.count;
    const groups: Record<string, string> = {};
    for (const [name, group] of this.groups) if (group.text !== undefined) groups[name] = group.text;
    // A kept group's digest is the previous manifest's; only the groups written in this build are hashed.
    const digests = Object.fromEntries([...this.groups].map(([name, group]) => [name, group.digest ?? groupDigest(group.text!)] as [string, string]));
    const files = Object.fromEntries(this.files);
    return { manifest: { groups, files, digests }, count };
  }

  /**
   * Puts the build's files in place. Into a staging folder: one rename of
   * the folder. Into the previous output: each file it replaces or removes
   * is first renamed aside (`.<name>.herald-replaced`), then the new file
   * renamed over it; the manifest is written; only then are the old bytes
   * deleted. A step that fails (a file that cannot be replaced, a full
   * disk for the manifest) puts every file back as it was before it throws:
   * the output stays the previous build's, with its manifest.
   */
  async commit(): Promise<{ files: number; written: number; removed: number; roots: Record<string, string> }> {
    const { manifest, count } = this.nextManifest();
    if (!this.manifest) {
      const roots = writeManifest(this.root, manifest);
      await swapIn(this.root, this.out);
      return { files: count, written: this.changed.size, removed: 0, roots };
    }
    const stale = [...this.stale(manifest)];
    const journal = path.join(this.out, journalName);
    if (this.changed.size + stale.length > 0) writeFileAtomically(journal, `${[...this.changed, ...stale].join('\n')}\n`);
    // Targets whose old bytes are aside, and new files that had none.
    const replaced: string[] = [];
    const added: string[] = [];
    let roots: Record<string, string>;
    const setAside = (target: string): boolean => {
      try {
        renameSync(target, replacedName(target));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        // What could not be replaced is the target, whatever name it was moving to.
        throw Object.assign(error as Error, { dest: target });
      }
      replaced.push(target);
      return true;
    };
    try {
      for (const file of this.changed) {
        if (this.placed.has(file)) continue;
        const target = path.join(this.out, file);
        const existed = setAside(target);
        renameSync(pendingName(target), target);
        if (!existed) added.push(target);
      }
      for (const file of stale) setAside(path.join(this.out, file));
      roots = writeManifest(this.out, manifest, this.manifest);
    } catch (error) {
      const restored = putBack(replaced, added);
      // Put back whole, the output is the previous build's again; else the journal stays for the next build's recovery.
      if (restored) rmSync(journal, { force: true });
      throw error;
    }
    // The early-placed files' old bytes go before the journal: a build killed from here on has committed.
    for (const [file, existed] of this.placed) if (existed) rmSync(previousName(path.join(this.out, file)), { force: true });
    rmSync(journal, { force: true });
    // Committed: what is left is only old bytes, which recovery deletes if they stay.
    for (const target of replaced) rmSync(replacedName(target), { force: true, recursive: true });
    for (const file of stale) removeEmptyParents(path.dirname(path.join(this.out, file)), this.out);
    return { files: count, written: this.changed.size, removed: stale.length, roots };
  }

  /**
   * Files of the previous output that this build does not produce: those
   * of groups that are gone or changed, and files outside groups, unless
   * claimed in this build (a kept group's files are its old ones).
   */
  private *stale(next: Manifest): Generator<string> {
    const previous = this.manifest!;
    for (const name of previous.names()) {
      if (next.digests?.[name] === previous.digest(name)) continue;
      for (const file of groupFiles(previous.group(name) ?? '').keys()) if (!this.claimed.has(file)) yield file;
    }
    for (const file of Object.keys(previous.files)) if (!this.claimed.has(file)) yield file;
  }

  /**
   * Drops this build's files. `strays`: workers were writing pending files
   * when the build stopped (a note job that never replied may have left
   * some that no result names), so the output is searched for them too.
   */
  async abort(strays = false): Promise<void> {
    if (!this.manifest) return rmSync(this.root, { recursive: true, force: true });
    const folders = new Set<string>();
    for (const file of this.changed) {
      this.discard(file);
      folders.add(path.dirname(path.join(this.out, file)));
    }
    if (strays) recoverOutput(this.out);
    // Folders this build made for its new files (a search part's) go with them.
    for (const folder of folders) removeEmptyParents(folder, this.out);
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
    if (twin) linkOver(twin, target);
    else {
      writeFileSync(target, file.contents);
      written.set(file.sha256, target);
    }
  }
}

/** Hard-links `target` to `existing`, replacing a file already there (a note tried again). */
function linkOver(existing: string, target: string): void {
  try {
    linkSync(existing, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    rmSync(target, { force: true });
    linkSync(existing, target);
  }
}

/**
 * Writes a note's files whose bytes are not those the previous output had
 * (`before`: a file's sha256 there) as pending files beside their targets
 * in the output `out`, for the commit to rename into place; returns their
 * paths. Run by the output writer, or by a build worker; `dirs` holds the
 * folders known to exist.
 */
export function writePendingNote(out: string, files: readonly (OutputFile & { sha256: string })[], before: (file: string) => string | undefined, dirs: Set<string>): string[] {
  const written: string[] = [];
  for (const file of files) {
    if (before(file.path) === file.sha256) continue;
    checkOutputPath(file.path);
    const target = path.join(out, file.path);
    makeDir(path.dirname(target), dirs);
    writeFileSync(pendingName(target), file.contents);
    written.push(file.path);
  }
  return written;
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
