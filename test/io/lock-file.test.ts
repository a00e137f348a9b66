import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holderIsGone, isHeld, removeStaleLock, tryLock } from '../../src/io/lock-file.ts';

const work = mkdtempSync(path.join(tmpdir(), 'herald-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A lock left by a process of this machine that has exited. */
function staleLock(file: string): void {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  writeFileSync(file, `pid ${pid} on ${hostname()} since 2026-01-01T00:00:00.000Z\n`);
}

describe('lock files', () => {
  it('of two processes that find the same stale lock, the second leaves the lock the first took anew', () => {
    const file = path.join(work, 'race.lock');
    staleLock(file);
    // Both find it stale...
    const seenByFirst = tryLock(file, new Date());
    const seenBySecond = tryLock(file, new Date());
    expect(!isHeld(seenByFirst) && holderIsGone(seenByFirst)).toBe(true);
    expect(!isHeld(seenBySecond) && holderIsGone(seenBySecond)).toBe(true);
    // ...the first removes it and takes the lock...
    expect(removeStaleLock(file)).toBe('removed');
    const held = tryLock(file, new Date());
    expect(isHeld(held)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`pid ${process.pid} `);
    // ...and the second, late, must not remove the first's lock.
    expect(removeStaleLock(file)).toBe('kept');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(isHeld(tryLock(file, new Date()))).toBe(false);
    if (isHeld(held)) held.release();
    expect(existsSync(`${file}.takeover`)).toBe(false);
  });

  it('waits while another process takes a stale lock over, and clears a takeover abandoned a minute ago', () => {
    const file = path.join(work, 'busy.lock');
    staleLock(file);
    const guard = `${file}.takeover`;
    writeFileSync(guard, '');
    expect(removeStaleLock(file)).toBe('busy');
    expect(existsSync(file)).toBe(true);
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    utimesSync(guard, twoMinutesAgo, twoMinutesAgo);
    expect(removeStaleLock(file)).toBe('busy');
    expect(existsSync(guard)).toBe(false);
    expect(removeStaleLock(file)).toBe('removed');
    expect(existsSync(file)).toBe(false);
  });

  it('never takes a lock being written (empty, holder not yet named) for a stale one', () => {
    const file = path.join(work, 'fresh.lock');
    writeFileSync(file, '');
    expect(removeStaleLock(file)).toBe('kept');
    expect(existsSync(file)).toBe(true);
  });
});
