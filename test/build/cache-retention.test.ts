/**
 * The bound on what the build cache keeps that no build uses now: the
 * most recently used entries, while they take no more room than the ones
 * in use (or the minimum); temporary files of a killed build go.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minimumUnusedBytes, retireEntries, sweepUnused } from '../../src/build/cache-retention.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = Date.parse('2026-01-15T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000);

/** Writes `<name>.out` of `size` bytes into a folder of its own, last used `minutes` ago. */
function entry(folder: string, name: string, size: number, minutes: number): void {
  const file = path.join(dir, folder, `${name}.out`);
  writeFileSync(file, Buffer.alloc(size));
  utimesSync(file, minutesAgo(minutes), minutesAgo(minutes));
}

const names = (folders: readonly string[]) => folders.flatMap((folder) => readdirSync(path.join(dir, folder))).sort();

describe('cache retention', () => {
  it('keeps the unused entries most recently used first, while they take no more room than those in use', () => {
    const folders = ['a', 'b'];
    for (const folder of folders) mkdirSync(path.join(dir, folder));
    entry('a', 'used-1', 600, 500);
    entry('b', 'used-2', 400, 500);
    // 1,000 bytes in use: the two most recent unused ones fit (900), the third would not, and the older one after it goes too.
    entry('a', 'recent', 500, 1);
    entry('b', 'earlier', 400, 10);
    entry('a', 'too-big', 200, 20);
    entry('b', 'oldest', 50, 30);
    writeFileSync(path.join(dir, 'a', 'killed.out.1.x.tmp'), '');
    utimesSync(path.join(dir, 'a', 'killed.out.1.x.tmp'), minutesAgo(120), minutesAgo(120));
    writeFileSync(path.join(dir, 'b', 'running.out.2.y.tmp'), '');
    utimesSync(path.join(dir, 'b', 'running.out.2.y.tmp'), minutesAgo(1), minutesAgo(1));
    const removed = sweepUnused(folders.map((folder) => path.join(dir, folder)), new Set(['used-1', 'used-2']), now, { minimum: 0 });
    expect(removed).toBe(2);
    expect(names(folders)).toEqual(['earlier.out', 'recent.out', 'running.out.2.y.tmp', 'used-1.out', 'used-2.out']);
  });

  it('keeps up to the minimum when the entries in use take less', () => {
    const folders = ['c'];
    mkdirSync(path.join(dir, 'c'));
    entry('c', 'used', 10, 500);
    entry('c', 'unused', 1000, 5);
    expect(sweepUnused([path.join(dir, 'c')], new Set(['used']), now)).toBe(0);
    expect(minimumUnusedBytes).toBeGreaterThanOrEqual(1000);
    expect(sweepUnused([path.join(dir, 'c')], new Set(['used']), now, { minimum: 0 })).toBe(1);
    expect(names(folders)).toEqual(['used.out']);
  });

  it('counts an entry as used when its note moves on (retired) or a build uses it (touchUsed)', () => {
    mkdirSync(path.join(dir, 'd'));
    entry('d', 'used', 100, 500);
    entry('d', 'retired-now', 100, 600);
    entry('d', 'retired-long-ago', 100, 10);
    retireEntries([path.join(dir, 'd', 'retired-now.out')], now);
    expect(sweepUnused([path.join(dir, 'd')], new Set(['used']), now, { minimum: 0, touchUsed: true })).toBe(1);
    expect(names(['d'])).toEqual(['retired-now.out', 'used.out']);
    expect(statSync(path.join(dir, 'd', 'used.out')).mtimeMs).toBe(now);
  });
});
