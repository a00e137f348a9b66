import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolders, writeFileAtomically } from '../../src/io/write-file.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-write-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomically', () => {
  it('writes a string, bytes, or pieces (more than one writev takes) as one file, and leaves no temporary file', () => {
    const folder = path.join(dir, 'a', 'b');
    writeFileAtomically(path.join(folder, 'text'), 'héllo\n');
    writeFileAtomically(path.join(folder, 'bytes'), new Uint8Array([1, 2, 3]));
    const pieces = Array.from({ length: 3000 }, (_, i) => Buffer.from(`piece ${i};`));
    writeFileAtomically(path.join(folder, 'pieces'), pieces);
    expect(readFileSync(path.join(folder, 'text'), 'utf8')).toBe('héllo\n');
    expect([...readFileSync(path.join(folder, 'bytes'))]).toEqual([1, 2, 3]);
    expect(readFileSync(path.join(folder, 'pieces')).equals(Buffer.concat(pieces))).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['bytes', 'pieces', 'text']);
  });

  it('makes the folder again when it was removed after an earlier write into it', () => {
    const folder = path.join(dir, 'gone');
    writeFileAtomically(path.join(folder, 'one'), 'one');
    rmSync(folder, { recursive: true });
    writeFileAtomically(path.join(folder, 'two'), [Buffer.from('t'), Buffer.from('wo')]);
    expect(readFileSync(path.join(folder, 'two'), 'utf8')).toBe('two');
  });
});

describe('makeFolders', () => {
  it('makes missing parents, accepts a folder that exists, and throws where a level cannot be made', () => {
    makeFolders(path.join(dir, 'm', 'n', 'o'));
    expect(statSync(path.join(dir, 'm', 'n', 'o')).isDirectory()).toBe(true);
    makeFolders(path.join(dir, 'm', 'n'));
    writeFileSync(path.join(dir, 'plain'), '');
    expect(() => makeFolders(path.join(dir, 'plain', 'x'))).toThrow(/ENOTDIR|EEXIST/);
    if (existsSync('/proc/self')) expect(() => makeFolders('/proc/herald-no-such/x')).toThrow(/ENOENT/);
  });

  it('gives each folder it makes the mode asked for, as mkdir does', () => {
    makeFolders(path.join(dir, 'private', 'inner'), 0o700);
    expect([statSync(path.join(dir, 'private')).mode & 0o777, statSync(path.join(dir, 'private', 'inner')).mode & 0o777]).toEqual([0o700, 0o700]);
  });
});
