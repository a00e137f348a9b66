import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editNote, writeCorpus } from '../../bench/corpus.ts';
import { spawnCollected, type SpawnedRun } from '../support/cli.ts';
import { filesUnder, someFileUnder } from '../support/files-under.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-stop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project of generated notes: enough that a build runs for seconds. */
async function project(count: number): Promise<string> {
  const dir = mkdtempSync(path.join(work, 'project-'));
  await writeCorpus(path.join(dir, 'notes'), count);
  cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
  return dir;
}

function herald(dir: string, args: string[] = []): SpawnedRun {
  return spawnCollected(process.execPath, [path.join(repo, 'bin/herald.js'), 'build', '--render-timeout', '30000', ...args], { cwd: dir });
}

/** Waits until `ready()` holds or the build has exited (then the assertions on its exit code say so). */
async function until(run: SpawnedRun, ready: () => boolean): Promise<void> {
  while (!ready() && run.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Sends SIGINT while the build's workers render: once they have written a
 * note's files (`written` finds one), not a fixed time after the build says
 * "rendering", which on a loaded machine can come before any worker has
 * written anything (and the folder the test expects removed is not there yet).
 */
async function interrupt(run: SpawnedRun, written: () => boolean): Promise<number | null> {
  await until(run, () => run.stderr().includes('rendering'));
  await until(run, written);
  run.child.kill('SIGINT');
  return run.exit;
}

/** A file a worker of a first build wrote into its staging folder, beside the output. */
const staged = (dir: string) => () => readdirSync(dir).some((name) => name.startsWith('dist.staging-') && someFileUnder(path.join(dir, name), () => true));
/** A file a worker of an incremental build put beside its target in the output. */
const pending = (dir: string) => () => someFileUnder(path.join(dir, 'dist'), (name) => name.endsWith('.herald-pending'));

const walk = filesUnder;

/** A project of 300 notes built once, then 250 of them edited (`edit`); returns the folder and how to undo the edits. */
async function editedProject(edit: string): Promise<{ dir: string; undo: () => void }> {
  const dir = await project(300);
  const first = herald(dir);
  expect(await first.exit, first.stderr()).toBe(0);
  const saved = path.join(work, `${path.basename(dir)}-notes`);
  cpSync(path.join(dir, 'notes'), saved, { recursive: true });
  for (const name of readdirSync(path.join(dir, 'notes')).slice(0, 250)) await editNote(path.join(dir, 'notes', name), edit);
  return {
    dir,
    undo: () => {
      rmSync(path.join(dir, 'notes'), { recursive: true });
      cpSync(saved, path.join(dir, 'notes'), { recursive: true });
    },
  };
}

/** The next build after a killed one: says it recovered, and ends byte for byte where a clean build does. */
async function buildsAsClean(dir: string): Promise<void> {
  const again = herald(dir);
  expect(await again.exit, again.stderr()).toBe(0);
  expect(again.stderr()).toMatch(/herald: the last build of dist was killed before it finished; \d+ file\(s\) it left in the output put back as they were/);
  expect(walk(path.join(dir, 'dist')).filter((file) => file.includes('.herald-')).sort()).toEqual(['.herald-manifest.json', ...walk(path.join(dir, 'dist/.herald-manifest')).map((file) => `.herald-manifest/${file}`)].sort());
  const clean = herald(dir, ['--out', 'clean', '--no-cache']);
  expect(await clean.exit, clean.stderr()).toBe(0);
  const tree = (out: string) => walk(path.join(dir, out)).filter((file) => !file.startsWith('.herald-manifest')).sort();
  expect(tree('dist')).toEqual(tree('clean'));
  for (const file of tree('dist')) expect(readFileSync(path.join(dir, 'dist', file)).equals(readFileSync(path.join(dir, 'clean', file))), file).toBe(true);
}

describe('herald build stopped with Ctrl-C', () => {
  it('removes a first build’s staging folder and exits 130; the next build starts afresh', async () => {
    const dir = await project(400);
    const run = herald(dir);
    expect(await interrupt(run, staged(dir)), run.stderr()).toBe(130);
    expect(run.stderr()).toContain('herald: build stopped; dist is as it was before it');
    expect(run.stderr()).not.toMatch(/internal error|\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(['.herald-cache', 'herald.config.yaml', 'notes']);
    const again = herald(dir);
    expect(await again.exit, again.stderr()).toBe(0);
  }, 180_000);

  it('removes an incremental build’s pending files and leaves the output as the last build made it', async () => {
    const dir = await project(300);
    const first = herald(dir);
    expect(await first.exit, first.stderr()).toBe(0);
    const before = readFileSync(path.join(dir, 'dist/.herald-manifest.json'), 'utf8');
    const files = walk(path.join(dir, 'dist')).sort();
    // Many notes changed: long enough to stop while the workers render them.
    for (const name of readdirSync(path.join(dir, 'notes')).slice(0, 250)) await editNote(path.join(dir, 'notes', name), 'stopped-edit');
    const run = herald(dir);
    expect(await interrupt(run, pending(dir)), run.stderr()).toBe(130);
    expect(walk(path.join(dir, 'dist')).sort()).toEqual(files);
    expect(readFileSync(path.join(dir, 'dist/.herald-manifest.json'), 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'dist.herald-lock'))).toBe(false);
    const again = herald(dir);
    expect(await again.exit, again.stderr()).toBe(0);
    // The 250 edited notes are rendered now, or were rendered before the stop and kept in the cache (content-addressed, so safe to reuse).
    const rendered = Number(/rendering (\d+) of 300 notes/.exec(again.stderr())?.[1] ?? 0);
    const revived = Number(/(\d+) changed notes? found as an earlier build rendered/.exec(again.stderr())?.[1] ?? 0);
    expect(rendered + revived, again.stderr()).toBe(250);
  }, 180_000);

  it('after a build killed outright, the next one removes what it left and ends where a clean build does', async () => {
    const { dir, undo } = await editedProject('killed-edit');
    const run = herald(dir);
    // Until the build has put some of its files beside their targets.
    await until(run, pending(dir));
    run.child.kill('SIGKILL');
    await run.exit;
    expect(existsSync(path.join(dir, 'dist.herald-lock'))).toBe(true);
    // The edits undone: the next build rewrites none of the files the killed one left.
    undo();
    await buildsAsClean(dir);
  }, 180_000);

  it('after a build killed while it put its files in place, the next one writes again every file it may have changed', async () => {
    const { dir, undo } = await editedProject('commit-edit');
    const run = herald(dir);
    // Killed as soon as the commit has begun: its journal is in the output, a few of its files renamed.
    const journal = path.join(dir, 'dist/.herald-commit');
    const started = Date.now();
    while (!existsSync(journal) && run.child.exitCode === null && Date.now() - started < 120_000) await new Promise((resolve) => setImmediate(resolve));
    run.child.kill('SIGKILL');
    await run.exit;
    expect(existsSync(journal), run.stderr()).toBe(true);
    // The edits undone: without the journal, the files already renamed would keep the edit (the manifest still says their old bytes).
    undo();
    await buildsAsClean(dir);
  }, 240_000);

  it('puts back the output a killed first build had moved aside, or removes it when the output is there', async () => {
    const dir = await project(3);
    const first = herald(dir);
    expect(await first.exit, first.stderr()).toBe(0);
    const aside = path.join(dir, 'dist.old-99999999-1700000000000');
    const backup = path.join(dir, 'dist.old-2024-01');
    mkdirSync(backup);
    cpSync(path.join(dir, 'dist'), aside, { recursive: true });
    rmSync(path.join(dir, 'dist'), { recursive: true });
    const again = herald(dir);
    expect(await again.exit, again.stderr()).toBe(0);
    expect(again.stderr()).toContain('herald: putting back dist from dist.old-99999999-1700000000000, where a build that was stopped had moved it');
    mkdirSync(aside);
    const third = herald(dir);
    expect(await third.exit, third.stderr()).toBe(0);
    expect(third.stderr()).toContain('herald: removing dist.old-99999999-1700000000000, left by a build that was stopped');
    expect(existsSync(aside)).toBe(false);
    expect(existsSync(backup)).toBe(true);
  }, 60_000);

  it('removes the staging folder a killed first build left beside the output', async () => {
    const dir = await project(3);
    const left = path.join(dir, 'dist.staging-99999999-1');
    mkdirSync(path.join(left, 'site'), { recursive: true });
    writeFileSync(path.join(left, 'site/index.html'), 'half\n');
    const run = herald(dir);
    expect(await run.exit, run.stderr()).toBe(0);
    expect(run.stderr()).toContain('herald: removing dist.staging-99999999-1, left by a build that was stopped');
    expect(existsSync(left)).toBe(false);
  }, 60_000);
});
