/**
 * Pagefind's browser code (pagefind.js, its worker, the WebAssembly, the
 * UI scripts and styles) lives inside the Pagefind binary, which only writes
 * it out as part of an index. `pagefindAssets` runs the binary once, on a
 * one-page site in a temporary folder, keeps the static files, and caches
 * them per Pagefind version, so later builds get them from the cache without
 * starting the binary. This is the only part of src/search that does I/O.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeFolders } from '../io/write-file.ts';
import { pagefindVersion } from './bundle.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * The default cache: survives between builds on one machine. One per user,
 * since what is in it is published: a folder another user could write to
 * would let them put their script on this user's site.
 */
const defaultCacheDir = path.join(os.tmpdir(), `herald-pagefind-assets-${process.getuid?.() ?? 'user'}`);

/** Whether a cache folder is this user's alone: owned by them, and writable by no one else. */
async function ownFolder(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  return (process.getuid === undefined || info.uid === process.getuid()) && (info.mode & 0o022) === 0;
}

/** Files of an index (written by herald itself), as opposed to the static browser files. */
const indexFile = /^(pagefind-entry\.json|pagefind\..*\.pf_meta|(index|filter|fragment)\/.*)$/;

/** The installed binary, as the `pagefind` package resolves it (its environment override included). */
function binaryPath(): string {
  for (const name of ['pagefind_extended', 'pagefind']) {
    const override = process.env[`${name.toUpperCase()}_BINARY_PATH`];
    if (override) return override;
  }
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.env.npm_config_arch || os.arch();
  for (const name of ['pagefind_extended', 'pagefind']) {
    try {
      return require.resolve(`@pagefind/${platform}-${arch}/bin/${platform === 'windows' ? `${name}.exe` : name}`);
    } catch {
      // try the next name
    }
  }
  throw new Error(`no Pagefind binary for ${platform}-${arch} (npm package @pagefind/${platform}-${arch})`);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

async function readAll(dir: string, names: readonly string[]): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of names) files.set(name, new Uint8Array(await readFile(path.join(dir, name))));
  return files;
}

/** Runs the binary on a one-page site and returns the static files it wrote. */
async function extract(binary: string): Promise<Map<string, Uint8Array>> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'herald-pagefind-'));
  try {
    const site = path.join(work, 'site');
    await mkdir(path.join(site, 'page'), { recursive: true });
    await writeFile(path.join(site, 'page', 'index.html'), '<!DOCTYPE html><html lang="en"><head><title>herald</title></head><body><main data-pagefind-body><h1>herald</h1><p>Pagefind assets.</p></main></body></html>\n');
    const out = path.join(work, 'out');
    const { stdout } = await run(binary, ['--version']);
    const version = stdout.trim().replace(/^pagefind\s+/, '');
    if (version !== pagefindVersion) throw new Error(`herald writes the Pagefind ${pagefindVersion} format, but the installed binary is Pagefind ${version}`);
    // --force-language en: herald's index is English, so the English WebAssembly (wasm.en.pagefind) is needed.
    await run(binary, ['--site', site, '--output-path', out, '--force-language', 'en', '--quiet']);
    const names = (await listFiles(out)).filter((name) => !indexFile.test(name));
    return await readAll(out, names);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const memo = new Map<string, Promise<Map<string, Uint8Array>>>();

/** An upgrade extracts the new version's files once; the folders of the versions before it are never read again. */
async function removeOtherVersions(cacheDir: string): Promise<void> {
  const current = `pagefind-${pagefindVersion}`;
  for (const name of await readdir(cacheDir)) {
    if (/^pagefind-\d+\.\d+\.\d+/.test(name) && name !== current) await rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

async function loadOrExtract(cacheDir: string, inSharedTemp: boolean): Promise<Map<string, Uint8Array>> {
  const folder = path.join(cacheDir, `pagefind-${pagefindVersion}`);
  const manifest = path.join(folder, 'manifest.json');
  try {
    // Not Node's recursive mkdir: under /proc (TMPDIR=/proc/…) it never returns.
    makeFolders(cacheDir, 0o700);
  } catch {
    // A cache that cannot be made is not used: extracting says why when the temp folder is unusable too.
  }
  // In the shared temp folder, a cache someone else could have written is neither read nor written: the files go on the site.
  const usable = !inSharedTemp || (await ownFolder(cacheDir));
  if (usable) {
    try {
      const names = JSON.parse(await readFile(manifest, 'utf8')) as string[];
      return await readAll(path.join(folder, 'files'), names);
    } catch {
      // Not cached (or damaged): extract again.
    }
  }
  const files = await extract(binaryPath());
  if (!usable) return files;
  // Write a complete copy under a fresh name, then rename it in place, so a concurrent build never reads half a cache.
  let fresh: string | undefined;
  try {
    fresh = await mkdtemp(path.join(cacheDir, `.pagefind-${pagefindVersion}-`));
    for (const [name, data] of files) {
      const target = path.join(fresh, 'files', name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
    }
    await writeFile(path.join(fresh, 'manifest.json'), JSON.stringify([...files.keys()]));
    await rm(folder, { recursive: true, force: true });
    await rename(fresh, folder);
    await removeOtherVersions(cacheDir);
  } catch {
    // Another process won the race, or the cache is read-only: the files in hand are still good.
    if (fresh) await rm(fresh, { recursive: true, force: true });
  }
  return files;
}

/**
 * Pagefind's static browser files (pagefind.js, pagefind-worker.js,
 * wasm.en.pagefind, wasm.unknown.pagefind, pagefind-ui.js/.css,
 * pagefind-highlight.js, …), by path relative to the bundle folder. The
 * first call on a machine runs the Pagefind binary once (well under a
 * second); the files are then cached in `cacheDir` (default: a folder in
 * the system temp directory), keyed by the Pagefind version, and reused.
 * Throws when the installed binary's version differs from the format
 * `writeSearchBundle` writes.
 */
export function pagefindAssets(cacheDir: string = defaultCacheDir): Promise<Map<string, Uint8Array>> {
  const key = path.resolve(cacheDir);
  let pending = memo.get(key);
  if (!pending) {
    pending = loadOrExtract(key, key === defaultCacheDir);
    memo.set(key, pending);
    // A failure is not remembered: the next call tries again.
    pending.catch(() => memo.delete(key));
  }
  return pending;
}
