import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileMemo } from '../../src/io/file-memo.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-file-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file memo', () => {
  it('gives back what was kept for a file until the file changes, and nothing for another file', () => {
    const file = path.join(dir, 'a.json');
    const other = path.join(dir, 'b.json');
    writeFileSync(file, '{"a":1}');
    writeFileSync(other, '{"a":1}');
    const memo = new FileMemo<{ a: number }>();
    const value = { a: 1 };
    memo.remember(file, value);
    expect(memo.recall(file)).toBe(value);
    expect(memo.recall(other)).toBeUndefined();
    // Same size, another mtime: another file as far as the memo knows.
    utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(memo.recall(file)).toBeUndefined();
    memo.remember(file, value);
    writeFileSync(file, '{"a":12}');
    expect(memo.recall(file)).toBeUndefined();
    rmSync(file);
    expect(memo.recall(file)).toBeUndefined();
    memo.remember(file, value);
    expect(memo.recall(file)).toBeUndefined();
  });
});
