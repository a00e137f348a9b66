/**
 * `herald build` starts a render worker before it knows whether there is
 * anything to render (`BuildOptions.startedPool`), so that the worker's
 * start-up overlaps the config, the lock and the reading of the cache. A
 * build closes it whatever its outcome, and the command exits as before.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { WorkerPool } from '../../src/build/worker-pool.ts';
import { startEarlyWorker, takeEarlyWorker } from '../../src/build/early-worker.ts';
import type { NoteJobResult } from '../../src/build/note-job.ts';
import { loadConfig } from '../../src/config/load.ts';
import { HeraldError } from '../../src/errors/message.ts';
import { bundledProject } from '../support/bundled-project.ts';
import { spawnCollected } from '../support/cli.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-started-pool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const now = new Date('2026-01-15T12:00:00Z');

const project = () => bundledProject(work);

/** A pool of one worker, started now, as the CLI starts it. */
function startedPool(entry?: string): WorkerPool {
  const pool = new WorkerPool({ size: 1, ...(entry ? { entry } : {}) });
  pool.prestart(1);
  return pool;
}

/** A closed pool takes no more jobs: its workers are stopped. */
async function expectClosed(pool: WorkerPool): Promise<void> {
  const job = { id: 0, path: 'a.md', bytes: new ArrayBuffer(8), hash: '' };
  await expect(pool.runJobs([job], { settings: { config: await loadConfig(work), now: now.toISOString(), preview: false }, cacheDir: null, timeoutMs: 30_000 }, () => {})).rejects.toThrow(/closed/);
}

describe('a worker started ahead of the build', () => {
  it('renders the build’s notes, and is stopped by a build that renders, one with nothing to do and one refused', { timeout: 120_000 }, async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir, timeoutMs: 30_000 };
    const lines: string[] = [];
    const first = startedPool();
    const built = await build({ ...options, startedPool: first, log: (line) => lines.push(line) });
    expect(built.rendered).toBeGreaterThan(0);
    await expectClosed(first);

    const idle = startedPool();
    const again = await build({ ...options, startedPool: idle, log: (line) => lines.push(line) });
    expect(again.rendered).toBe(0);
    expect(lines.at(-1)).toMatch(/^herald: nothing changed since the last build of dist$/);
    await expectClosed(idle);

    const note = path.join(dir, 'notes/OSSN-0001.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace(/^date: .*$/m, 'date: not-a-date'));
    const refused = startedPool();
    await expect(build({ ...options, startedPool: refused })).rejects.toThrow(HeraldError);
    await expectClosed(refused);
  });

  it('takes the worker bin/herald.js started before the CLI loaded (`startEarlyWorker`), or starts its own when that one ended', { timeout: 120_000 }, async () => {
    const settings = { config: await loadConfig(project()), now: now.toISOString(), preview: false };
    const note = readFileSync(path.join(repo, 'notes/OSSN-0001.md'));
    const job = () => ({ id: 0, path: 'notes/OSSN-0001.md', bytes: note.buffer.slice(note.byteOffset, note.byteOffset + note.byteLength) as ArrayBuffer, hash: '' });
    const early = startEarlyWorker();
    await new Promise((resolve) => early.once('message', resolve));
    const pool = startedPool();
    expect(takeEarlyWorker(), 'taken by the pool').toBeUndefined();
    const rendered: NoteJobResult[] = [];
    await pool.runJobs([job()], { settings, cacheDir: null, timeoutMs: 30_000 }, (result) => rendered.push(result as NoteJobResult));
    expect(rendered[0]!.messages).toEqual([]);
    expect(rendered[0]!.outputs.length).toBeGreaterThan(0);
    const exited = new Promise((resolve) => early.once('exit', resolve));
    await pool.close();
    await exited;

    // Ended before a pool took it: the pool starts a worker of its own.
    const ended = startEarlyWorker();
    await ended.terminate();
    const own = startedPool();
    const again: NoteJobResult[] = [];
    await own.runJobs([job()], { settings, cacheDir: null, timeoutMs: 30_000 }, (result) => again.push(result as NoteJobResult));
    expect(again[0]!.outputs.length).toBeGreaterThan(0);
    await own.close();
  });

  it('says why it could not start, when it failed before the build had jobs for it', { timeout: 60_000 }, async () => {
    const broken = path.resolve(import.meta.dirname, 'fixtures/broken-worker.mjs');
    const pool = startedPool(broken);
    const options = { settings: { config: await loadConfig(work), now: now.toISOString(), preview: false }, cacheDir: null, timeoutMs: 5000 };
    // Waited for, not slept on: a run of no jobs changes nothing, and is refused with the reason once the worker has failed.
    await expect.poll(() => pool.runJobs([], options, () => {}).then(() => 'still starting', (error: Error) => error.message), { timeout: 30_000 }).not.toBe('still starting');
    const job = { id: 0, path: 'a.md', bytes: new ArrayBuffer(8), hash: '' };
    await expect(pool.runJobs([job], options, () => {})).rejects.toThrow(/could not start: cannot load the renderers/);
  });

  it('never keeps the command from exiting: with nothing to do, with a broken config, or in-process', { timeout: 120_000 }, async () => {
    const dir = project();
    const herald = async (args: string[]) => {
      const run = spawnCollected(process.execPath, [path.join(repo, 'bin/herald.js'), 'build', ...args], { cwd: dir });
      return { code: await run.exit, stderr: run.stderr() };
    };
    expect((await herald([])).code).toBe(0);
    const unchanged = await herald([]);
    expect(unchanged).toMatchObject({ code: 0 });
    expect(unchanged.stderr).toMatch(/nothing changed since the last build of dist/);
    expect((await herald(['--workers', '0'])).code).toBe(0);
    writeFileSync(path.join(dir, 'herald.config.yaml'), 'site:\n  title: [\n');
    const broken = await herald([]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/config/);
  });
});
