/**
 * `pagefindAssets`: Pagefind's browser files, taken from the binary once
 * and then served from the cache.
 */
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pagefindAssets } from '../../src/search/assets.ts';
import { pagefindVersion } from '../../src/search/bundle.ts';
import { spawnCollected } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { pagefindBinary } from './support.ts';

const reason = missingTools(pagefindBinary);

describe.skipIf(!!reason)('Pagefind browser assets', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the static files only, and caches them by version', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'herald-assets-'));
    dirs.push(cache);
    const assets = await pagefindAssets(cache);
    const names = [...assets.keys()].sort();
    for (const name of ['pagefind.js', 'pagefind-worker.js', 'wasm.en.pagefind', 'wasm.unknown.pagefind', 'pagefind-ui.js', 'pagefind-ui.css', 'pagefind-highlight.js']) expect(names).toContain(name);
    expect(names.filter((name) => /pf_|pagefind-entry|^(index|filter|fragment)\//.test(name))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(cache, `pagefind-${pagefindVersion}`, 'manifest.json'), 'utf8')) as string[];
    expect(manifest.sort()).toEqual(names);
    expect(new TextDecoder().decode(assets.get('pagefind.js'))).toContain(pagefindVersion);
    expect(await pagefindAssets(cache)).toBe(assets);
  }, 60_000);

  it('removes the folders of other Pagefind versions once this version is cached', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'herald-assets-'));
    dirs.push(cache);
    await mkdir(path.join(cache, 'pagefind-1.3.0', 'files'), { recursive: true });
    await writeFile(path.join(cache, 'pagefind-1.3.0', 'manifest.json'), '["pagefind.js"]');
    await mkdir(path.join(cache, 'entries'));
    await pagefindAssets(cache);
    expect((await readdir(cache)).sort()).toEqual(['entries', `pagefind-${pagefindVersion}`]);
  }, 60_000);

  it('by default keeps one cache per user in the temp folder, and trusts none another user could write to', async () => {
    // What the cache holds is published: a planted pagefind.js in a folder others may write to is never read.
    const shared = path.join(os.tmpdir(), `herald-pagefind-assets-${process.getuid?.() ?? 'user'}`);
    await rm(shared, { recursive: true, force: true });
    await mkdir(path.join(shared, `pagefind-${pagefindVersion}`, 'files'), { recursive: true });
    await writeFile(path.join(shared, `pagefind-${pagefindVersion}`, 'manifest.json'), JSON.stringify(['pagefind.js']));
    await writeFile(path.join(shared, `pagefind-${pagefindVersion}`, 'files', 'pagefind.js'), 'alert("planted")');
    await chmod(shared, 0o777);
    try {
      const assets = await pagefindAssets();
      expect(new TextDecoder().decode(assets.get('pagefind.js'))).not.toContain('planted');
      expect(assets.has('wasm.en.pagefind')).toBe(true);
      // Nor is it written to.
      expect(await readFile(path.join(shared, `pagefind-${pagefindVersion}`, 'files', 'pagefind.js'), 'utf8')).toBe('alert("planted")');
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  }, 60_000);

  /** `herald build --no-cache` of a one-note project with `env` added, killed after a minute. */
  async function buildProject(env: Record<string, string>) {
    const repo = path.resolve(import.meta.dirname, '../..');
    const project = await mkdtemp(path.join(os.tmpdir(), 'herald-assets-project-'));
    dirs.push(project);
    await mkdir(path.join(project, 'notes'));
    await copyFile(path.join(repo, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
    await copyFile(path.join(repo, 'notes/OSSN-0001.md'), path.join(project, 'notes/OSSN-0001.md'));
    return spawnCollected('timeout', ['-s', 'KILL', '60', process.execPath, path.join(repo, 'bin/herald.js'), 'build', '--no-cache'], { cwd: project, env: { ...process.env, ...env } });
  }

  it('a temp folder under /proc (TMPDIR) fails the build, saying where, instead of spinning forever', async () => {
    // Killed after a minute: Node's recursive mkdir under /proc never returns, and a hang must fail the test.
    const build = await buildProject({ TMPDIR: '/proc/self/herald-no-such/tmp' });
    expect(await build.exit).toBe(1);
    expect(build.stderr()).toMatch(/error {2}search-index-failed {2}.*ENOENT.*'\/proc\/self\/herald-no-such\/tmp\/herald-pagefind-/);
    // The hint fits the cause: a folder that cannot be made, not a missing Pagefind.
    expect(build.stderr()).toMatch(/hint: .*point TMPDIR at a folder .* can write, or fix that folder’s permissions or free space/);
    expect(build.stderr()).not.toContain('npm ci');
  }, 90_000);

  it('a missing Pagefind binary fails the build with the hint to install it (npm ci)', async () => {
    // A temp folder of its own: no cached copy of the browser code, so the binary has to run.
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'herald-assets-tmp-'));
    dirs.push(tmp);
    const build = await buildProject({ TMPDIR: tmp, PAGEFIND_BINARY_PATH: path.join(tmp, 'no-such-pagefind') });
    expect(await build.exit).toBe(1);
    expect(build.stderr()).toMatch(/error {2}search-index-failed {2}.*spawn .*no-such-pagefind ENOENT/);
    expect(build.stderr()).toMatch(/hint: .*run `npm ci`/);
    expect(build.stderr()).not.toContain('TMPDIR');
  }, 90_000);
});
