/**
 * The build cache's entry files (a note's outputs, a search part's files):
 * what is written is read back byte for byte, equal bytes stored once; a
 * damaged entry, or one whose header would write outside the output, is
 * never read. The kept search parts are swept down to the bound of
 * `cache-retention.ts`.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEntryFile, recordFromEntry, sha256, writeEntryFile } from '../../src/build/cache.ts';
import { versionFolder } from '../../src/build/cache-retention.ts';
import { readCachedPart, sweepCachedParts, writeCachedPart } from '../../src/build/search-part-cache.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-entry-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, contents: string) => ({ path: name, contents, sha256: sha256(contents) });
const outputs = [file('site/a/index.html', '<p>a</p>'), file('wiki/A.wiki', "'''a'''"), file('site/downloads/A.wiki', "'''a'''")];
const asText = (files: ReturnType<typeof readEntryFile>) => files?.map((each) => ({ path: each.path, text: Buffer.from(each.contents).toString('utf8'), sha256: each.sha256 }));

/** Rewrites the JSON header of the entry `at` with `edit`. */
function editHeader(at: string, edit: (header: { files: [string, number][] }) => void): void {
  const data = readFileSync(at);
  const length = data.readUInt32LE(0);
  const header = JSON.parse(data.toString('utf8', 4, 4 + length));
  edit(header);
  const bytes = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(bytes.byteLength);
  writeFileSync(at, Buffer.concat([head, bytes, data.subarray(4 + length)]));
}

describe('entry files', () => {
  it('reads back what was written, equal bytes stored once, with or without digests', () => {
    for (const digests of [false, true]) {
      const at = path.join(dir, `round-${digests}.out`);
      writeEntryFile(at, outputs, { digests });
      expect(asText(readEntryFile(at))).toEqual(outputs.map((each) => ({ path: each.path, text: each.contents, sha256: each.sha256 })));
      expect(readFileSync(at).toString('latin1').split("'''a'''")).toHaveLength(2);
    }
  });

  it('reads nothing from a missing, short or altered entry (the last only when its header lists digests)', () => {
    expect(readEntryFile(path.join(dir, 'missing.out'))).toBeUndefined();
    const at = path.join(dir, 'damaged.out');
    writeEntryFile(at, outputs, { digests: true });
    const bytes = readFileSync(at);
    writeFileSync(at, bytes.subarray(0, bytes.length - 1));
    expect(readEntryFile(at)).toBeUndefined();
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(at, bytes);
    expect(readEntryFile(at)).toBeUndefined();
  });

  it.each(['../escape.html', '/etc/passwd', 'site/../../escape', 'site//a', 'site\\a', ''])('refuses an entry whose header names %j', (name) => {
    const at = path.join(dir, 'paths.out');
    writeEntryFile(at, outputs, {});
    expect(readEntryFile(at)).toBeDefined();
    editHeader(at, (header) => {
      header.files[0]![0] = name;
    });
    expect(readEntryFile(at)).toBeUndefined();
  });

  it('refuses a header that points at a blob it does not hold', () => {
    const at = path.join(dir, 'blob.out');
    writeEntryFile(at, outputs, {});
    editHeader(at, (header) => {
      header.files[0]![1] = 9;
    });
    expect(readEntryFile(at)).toBeUndefined();
  });
});

describe('a note entry\u2019s record', () => {
  it('is read back with the note file\u2019s stat and hash, and never when damaged or missing', () => {
    const cache = path.join(dir, 'records');
    const key = 'ab'.padEnd(64, '0');
    const at = path.join(cache, 'entries', versionFolder, 'ab', `${key}.out`);
    const record = { messages: [], rendered: true, digests: { site: 'd' }, files: outputs.map((each) => `${each.path}\t${each.sha256}`).join('\n') };
    writeEntryFile(at, outputs, { record });
    expect(recordFromEntry(cache, key, 'hash', { size: 1, mtimeMs: 2 })).toEqual({ ...record, key, hash: 'hash', size: 1, mtimeMs: 2 });
    expect(asText(readEntryFile(at))).toHaveLength(3);
    const bytes = readFileSync(at);
    bytes[bytes.length - 3]! ^= 1;
    writeFileSync(at, bytes);
    expect(recordFromEntry(cache, key, 'hash', { size: 1, mtimeMs: 2 })).toBeUndefined();
    writeFileSync(at, bytes.subarray(0, bytes.length - 1));
    expect(recordFromEntry(cache, key, 'hash', { size: 1, mtimeMs: 2 })).toBeUndefined();
    // An entry of an earlier herald, without a record: rendered again.
    writeEntryFile(at, outputs, {});
    expect(recordFromEntry(cache, key, 'hash', { size: 1, mtimeMs: 2 })).toBeUndefined();
  });
});

describe('kept search parts', () => {
  it('keeps a part by its folder name, one the build does not name within the bound (cache-retention.test.ts), and sweeps old temporary files', () => {
    const cache = path.join(dir, 'cache');
    const part = (folder: string) => [file(`site/pagefind/${folder}pagefind-entry.json`, `{"${folder}":1}`)];
    writeCachedPart(cache, '000-aaaa/', part('000-aaaa/'));
    writeCachedPart(cache, '001-bbbb/', part('001-bbbb/'));
    expect(readCachedPart(cache, '000-aaaa/')?.map((each) => each.path)).toEqual(['site/pagefind/000-aaaa/pagefind-entry.json']);
    expect(readCachedPart(cache, '002-cccc/')).toBeUndefined();
    const folder = path.join(cache, 'search', versionFolder);
    writeFileSync(path.join(folder, 'fresh.out.1.x.tmp'), '');
    writeFileSync(path.join(folder, 'old.out.1.x.tmp'), '');
    const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(path.join(folder, 'old.out.1.x.tmp'), hoursAgo, hoursAgo);
    sweepCachedParts(cache, new Set(['001-bbbb/']));
    expect(readdirSync(folder).sort()).toEqual(['000-aaaa.out', '001-bbbb.out', 'fresh.out.1.x.tmp']);
  });
});
