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
 */
import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/types.ts';
import { swapIn } from '../io/write-tree.ts';
import { sha256 } from './cache.ts';

export const manifestName = '.herald-manifest.json';

export interface Manifest {
  files: Record<string, string>;
}

export async function loadManifest(out: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(out, manifestName), 'utf8')) as Manifest;
    return manifest && typeof manifest.files === 'object' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function pendingName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.herald-pending`);
}

export class OutputWriter {
  private readonly desired = new Map<string, string>();
  private readonly changed: string[] = [];
  private readonly dirs = new Set<string>();

  private constructor(
    private readonly out: string,
    /** Where files are written now: the staging folder, or the output itself. */
    readonly root: string,
    private readonly manifest: Manifest | undefined,
  ) {}

  static async open(out: string, manifest: Manifest | undefined): Promise<OutputWriter> {
    if (manifest) return new OutputWriter(out, out, manifest);
    const staging = `${out.replace(/[\\/]+$/, '')}.staging-${process.pid}-${Date.now()}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
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
    for (const o of outputs) if (!this.desired.has(o.path)) this.desired.set(o.path, o.sha256);
  }

  async write(file: OutputFile): Promise<void> {
    const hash = sha256(file.contents);
    this.desired.set(file.path, hash);
    if (this.manifest && this.manifest.files[file.path] === hash) return;
    const target = path.join(this.root, file.path);
    const dir = path.dirname(target);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    await writeFile(this.manifest ? pendingName(target) : target, file.contents);
    this.changed.push(file.path);
  }

  changedPaths(): readonly string[] {
    return this.changed;
  }

  async commit(): Promise<{ files: number; written: number; removed: number }> {
    const files = Object.fromEntries([...this.desired].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const manifestText = JSON.stringify({ files } satisfies Manifest) + '\n';
    if (!this.manifest) {
      await writeFile(path.join(this.root, manifestName), manifestText);
      await swapIn(this.root, this.out);
      return { files: this.desired.size, written: this.changed.length, removed: 0 };
    }
    for (const file of this.changed) {
      const target = path.join(this.out, file);
      await rename(pendingName(target), target);
    }
    let removed = 0;
    for (const file of Object.keys(this.manifest.files)) {
      if (this.desired.has(file)) continue;
      await rm(path.join(this.out, file), { force: true });
      await removeEmptyParents(path.dirname(path.join(this.out, file)), this.out);
      removed += 1;
    }
    await writeFile(path.join(this.out, manifestName), manifestText);
    return { files: this.desired.size, written: this.changed.length, removed };
  }

  async abort(): Promise<void> {
    if (!this.manifest) return rm(this.root, { recursive: true, force: true });
    for (const file of this.changed) await rm(pendingName(path.join(this.out, file)), { force: true });
  }
}

async function removeEmptyParents(dir: string, stop: string): Promise<void> {
  for (let current = dir; current.startsWith(stop) && current !== stop; current = path.dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}
