/**
 * The bound on what the build cache keeps that no build uses now: the
 * most recently used entries, while they take no more room than the ones
 * in use (or the minimum, or the configured room); temporary files of a
 * killed build go, and so do other herald versions' entries.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minimumUnusedBytes, removeOtherVersions, retireEntries, sweepUnused, versionFolder } from '../../src/build/cache-retention.ts';

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
    const { retention, kept } = sweepUnused(folders.map((folder) => path.join(dir, folder)), new Set(['used-1', 'used-2']), now);
    // 1,000 bytes in use is less than the default minimum: nothing goes.
    expect(retention).toEqual({ usedBytes: 1000, unusedBytes: 1150, removed: 0, removedBytes: 0 });
    expect(kept.map((entry) => entry.name).sort()).toEqual(['earlier', 'oldest', 'recent', 'too-big']);
    expect(sweepUnused(folders.map((folder) => path.join(dir, folder)), new Set(['used-1', 'used-2']), now, { room: 1000 }).retention).toEqual({ usedBytes: 1000, unusedBytes: 900, removed: 2, removedBytes: 250 });
    expect(names(folders)).toEqual(['earlier.out', 'recent.out', 'running.out.2.y.tmp', 'used-1.out', 'used-2.out']);
  });

  it('keeps up to the minimum when the entries in use take less, unless the config sets the room', () => {
    const folders = ['c'];
    mkdirSync(path.join(dir, 'c'));
    entry('c', 'used', 10, 500);
    entry('c', 'unused', 1000, 5);
    expect(sweepUnused([path.join(dir, 'c')], new Set(['used']), now).retention.removed).toBe(0);
    expect(minimumUnusedBytes).toBeGreaterThanOrEqual(1000);
    expect(sweepUnused([path.join(dir, 'c')], new Set(['used']), now, { room: 0 }).retention.removed).toBe(1);
    expect(names(folders)).toEqual(['used.out']);
  });

  it('counts an entry as used when its note moves on (retired) or a build uses it (touchUsed)', () => {
    mkdirSync(path.join(dir, 'd'));
    entry('d', 'used', 100, 500);
    entry('d', 'retired-now', 100, 600);
    entry('d', 'retired-long-ago', 100, 10);
    retireEntries([path.join(dir, 'd', 'retired-now.out')], now);
    expect(sweepUnused([path.join(dir, 'd')], new Set(['used']), now, { room: 100, touchUsed: true }).retention.removed).toBe(1);
    expect(names(['d'])).toEqual(['retired-now.out', 'used.out']);
    expect(statSync(path.join(dir, 'd', 'used.out')).mtimeMs).toBe(now);
  });

  it('removes from a store everything but this herald version\u2019s folder: other versions\u2019 entries, and a cache from before version folders', () => {
    const store = path.join(dir, 'store');
    for (const folder of [versionFolder, 'v0.0.1', 'ab']) mkdirSync(path.join(store, folder, 'cd'), { recursive: true });
    writeFileSync(path.join(store, versionFolder, 'cd', 'kept.out'), 'x');
    writeFileSync(path.join(store, 'v0.0.1', 'cd', 'old.out'), 'x');
    writeFileSync(path.join(store, 'part-before-folders.out'), 'x');
    removeOtherVersions(store);
    expect(readdirSync(store, { recursive: true, encoding: 'utf8' }).sort()).toEqual([versionFolder, path.join(versionFolder, 'cd'), path.join(versionFolder, 'cd', 'kept.out')]);
  });
});
