import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { lockFileOf, lockOutput } from '../../src/build/build-lock.ts';
import { loadManifest, manifestFiles } from '../../src/build/manifest.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { bundledProject } from '../support/bundled-project.ts';
import { spawnCollected } from '../support/cli.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-build-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const now = new Date('2026-01-15T12:00:00Z');

const project = () => bundledProject(work);

/** A lock's holder line naming a process of this machine that has ended. */
function goneHolder(): string {
  return `pid ${spawnSync(process.execPath, ['-e', '']).pid!} on ${hostname()} since 2026-01-15T11:00:00.000Z`;
}

/** Builds `dir` in-process over a lock file left with `holder`; returns the build's log lines. */
async function buildOverLock(dir: string, config: Config, holder: string): Promise<string[]> {
  writeFileSync(lockFileOf(path.join(dir, 'dist')), `${holder}\n`);
  const lines: string[] = [];
  await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0, log: (line) => lines.push(line) });
  return lines;
}

function edit(dir: string, mark: string): void {
  const file = path.join(dir, 'notes/OSSN-0001.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\n## Summary\n/, `\n## Summary\n\nEdited: ${mark}.\n`));
}

describe('one build at a time per output folder', () => {
  it('waits while another build holds the output, says whom for, then builds on what it left', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const out = path.join(dir, 'dist');
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 });
    const held = await lockOutput({ out, cwd: dir, now, log: () => {} });
    edit(dir, 'while locked');
    const lines: string[] = [];
    let finished = false;
    const waiting = build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0, log: (line) => lines.push(line) }).then((result) => {
      finished = true;
      return result;
    });
    // Until the build says it waits (not a fixed time: on a loaded machine it may take longer to get there); it
    // must then still be waiting, the lock being held.
    while (lines.length === 0 && !finished) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toBe(false);
    expect(lines).toEqual([`herald: waiting for another build of dist to finish (pid ${process.pid} on ${hostname()} since ${now.toISOString()}); if none is running, remove dist.herald-lock`]);
    held.release();
    const result = await waiting;
    expect(result.rendered).toBe(1);
    expect(existsSync(lockFileOf(out))).toBe(false);
    expect(readFileSync(path.join(out, 'site/advisories/OSSN-0001/index.html'), 'utf8')).toContain('Edited: while locked.');
  });

  it.skipIf(!existsSync('/proc/sys/kernel/random/boot_id'))('takes over a lock taken before the machine restarted, whatever runs under its pid now', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const lines = await buildOverLock(dir, config, `pid ${process.pid} on ${hostname()} since 2026-01-15T11:00:00.000Z, boot 00000000-0000-0000-0000-000000000000`);
    expect(lines.some((line) => line.includes('waiting'))).toBe(false);
    expect(existsSync(lockFileOf(path.join(dir, 'dist')))).toBe(false);
  });

  it('puts back what a killed build left in the output: its previous files, without its pending ones', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 });
    const page = path.join(dir, 'dist/site/advisories/OSSN-0001/index.html');
    const before = readFileSync(page);
    // As `serve --watch` leaves a note it put in place early: new bytes in place, the previous aside.
    renameSync(page, path.join(path.dirname(page), '.index.html.herald-previous'));
    writeFileSync(page, 'new bytes of a build that never finished\n');
    writeFileSync(path.join(dir, 'dist/site/.index.html.herald-pending'), 'pending\n');
    const lines = await buildOverLock(dir, config, goneHolder());
    expect(lines).toContain('herald: the last build of dist was killed before it finished; 2 file(s) it left in the output put back as they were');
    expect(readFileSync(page)).toEqual(before);
    expect(existsSync(path.join(dir, 'dist/site/.index.html.herald-pending'))).toBe(false);
    expect(lines).toContain('herald: nothing changed since the last build of dist');
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const lines = await buildOverLock(dir, config, goneHolder());
    expect(lines.some((line) => line.includes('waiting'))).toBe(false);
    expect(existsSync(lockFileOf(path.join(dir, 'dist')))).toBe(false);
  });

  it('two `herald build` runs started together both succeed, and leave the output a clean build makes', async () => {
    const dir = project();
    const cli = (args: string[]) => spawnCollected(process.execPath, [path.join(repo, 'bin/herald.js'), 'build', '--render-timeout', '30000', ...args], { cwd: dir });
    const first = cli([]);
    expect(await first.exit, first.stderr()).toBe(0);
    edit(dir, 'two at once');
    const runs = [cli([]), cli([])];
    const codes = await Promise.all(runs.map((run) => run.exit));
    for (const run of runs) expect(run.stderr()).not.toMatch(/internal error|\n\s+at /);
    expect(codes).toEqual([0, 0]);
    expect(runs.some((run) => run.stderr().includes('waiting for another build of dist'))).toBe(true);
    const again = cli([]);
    expect(await again.exit).toBe(0);
    expect(again.stderr()).toContain('nothing changed');
    const clean = cli(['--out', 'clean', '--no-cache']);
    expect(await clean.exit, clean.stderr()).toBe(0);
    const files = (out: string) => manifestFiles(loadManifest(path.join(dir, out))!);
    expect(files('dist')).toEqual(files('clean'));
  }, 120_000);
});
