/**
 * The cache index on disk: a light file every build reads, a heavy file
 * read only when something changed, appended to for a few changed notes,
 * and never trusted past the length the light file vouches for.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetIndex, forgetSavedRecords, heavyBase, loadIndex, loadRecords, loadRecordsAsync, readRecordsAt, saveIndex, type IndexRecord } from '../../src/build/cache.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** What a later process would read: not the records this one keeps from its last save. */
const loadFromDisk: typeof loadRecords = (dir, index) => {
  forgetSavedRecords();
  return loadRecords(dir, index);
};
const cacheDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-index-'));
  dirs.push(dir);
  return dir;
};

const record = (id: string, key: string): IndexRecord => ({
  size: 10,
  mtimeMs: 1,
  hash: `h-${key}`,
  key,
  messages: [],
  rendered: true,
  digests: { site: { summaryText: id } },
  files: `site/advisories/${id}/index.html\t${key}`,
});

const notes = (count: number, suffix = '') => new Map(Array.from({ length: count }, (_, i) => [`notes/N-${i}.md`, record(`N-${i}`, `k${i}${suffix}`)]));

describe('cache index', () => {
  it('reads back the light records, and the heavy ones only as a pair with them', () => {
    const dir = cacheDir();
    saveIndex(dir, { globalKey: 'g' }, notes(3));
    const index = loadIndex(dir, 'g');
    expect(Object.keys(index.notes)).toEqual(['notes/N-0.md', 'notes/N-1.md', 'notes/N-2.md']);
    expect(index.notes['notes/N-1.md']).toMatchObject({ key: 'k1', hash: 'h-k1' });
    expect(index.notes['notes/N-1.md']).not.toHaveProperty('files');
    expect(loadFromDisk(dir, index)?.get('notes/N-1.md')).toMatchObject({ key: 'k1', files: 'site/advisories/N-1/index.html\tk1' });
    expect(loadIndex(dir, 'other').notes).toEqual({});

    // A heavy file of another generation is not this index's.
    const other = cacheDir();
    saveIndex(other, { globalKey: 'g' }, notes(3));
    writeFileSync(path.join(dir, 'records.jsonl'), readFileSync(path.join(other, 'records.jsonl')));
    expect(loadFromDisk(dir, index)).toBeUndefined();
  });

  it('reads the heavy records a chunk at a time for serve --watch\u2019s warm-up, and stops when told', async () => {
    const dir = cacheDir();
    saveIndex(dir, { globalKey: 'g' }, notes(3));
    const index = loadIndex(dir, 'g');
    forgetSavedRecords();
    expect(await loadRecordsAsync(dir, index, () => true)).toBeUndefined();
    forgetSavedRecords();
    const read = await loadRecordsAsync(dir, index, () => false);
    forgetSavedRecords();
    expect(read).toEqual(loadRecords(dir, index));
    expect(read?.get('notes/N-2.md')).toMatchObject({ key: 'k2' });
  });

  it('reads records whose lines cross the chunks it reads the files in', async () => {
    const dir = cacheDir();
    // About 5.5 MB of records: lines cross the 1 MB chunks of the warm-up's reads and the 4 MB ones of a build's.
    const big = new Map([...notes(2000)].map(([name, each], i) => [name, { ...each, digests: { site: { summaryText: `${'word '.repeat(500)}\u00e9 ${i}` } } }]));
    saveIndex(dir, { globalKey: 'g' }, big);
    expect(statSync(path.join(dir, 'records.jsonl')).size).toBeGreaterThan(5 << 20);
    const index = loadIndex(dir, 'g');
    const read = loadFromDisk(dir, index)!;
    expect(read.size).toBe(2000);
    for (const [name, each] of big) expect(read.get(name)?.digests).toEqual(each.digests);
    forgetSavedRecords();
    expect(await loadRecordsAsync(dir, index, () => false)).toEqual(read);
  });

  it('writes both files in ASCII, and reads every character back', () => {
    const dir = cacheDir();
    const text = 'caf\u00e9 \u201cquoted\u201d \u2014 \u{1F600} \ud800 \\u00e9';
    const withText = new Map([['notes/\u00e9t\u00e9.md', { ...record('N-0', 'k0'), digests: { site: { summaryText: text } } }]]);
    saveIndex(dir, { globalKey: 'g' }, withText);
    for (const file of ['index.jsonl', 'records.jsonl']) expect(readFileSync(path.join(dir, file)).every((byte) => byte < 0x80)).toBe(true);
    const index = loadIndex(dir, 'g');
    expect(loadFromDisk(dir, index)?.get('notes/\u00e9t\u00e9.md')?.digests).toEqual({ site: { summaryText: text } });
  });

  it('appends the records of changed notes, and ignores a torn append', () => {
    const dir = cacheDir();
    const first = notes(8);
    saveIndex(dir, { globalKey: 'g' }, first);
    const index = loadIndex(dir, 'g');
    const records = loadFromDisk(dir, index)!;
    const sizeBefore = statSync(path.join(dir, 'records.jsonl')).size;

    const second = new Map(first);
    second.set('notes/N-3.md', record('N-3', 'k3-edited'));
    saveIndex(dir, { globalKey: 'g' }, second, { base: heavyBase(index, records.size)!, changed: new Set(['notes/N-3.md']) });
    expect(statSync(path.join(dir, 'records.jsonl')).size).toBeGreaterThan(sizeBefore);
    const after = loadIndex(dir, 'g');
    expect(after.generation).toBe(index.generation);
    expect(loadFromDisk(dir, after)?.get('notes/N-3.md')?.key).toBe('k3-edited');

    // A build killed in the middle of its append leaves bytes the light index does not vouch for.
    appendFileSync(path.join(dir, 'records.jsonl'), '["notes/N-4.md",{"key":"torn"');
    expect(loadFromDisk(dir, after)?.get('notes/N-4.md')?.key).toBe('k4');
    // This process still has what it saved last.
    expect(loadRecords(dir, after)?.get('notes/N-3.md')?.key).toBe('k3-edited');
  });

  it('counts the lines of every append, and rewrites the heavy file once they outnumber the notes by a quarter', () => {
    const dir = cacheDir();
    // The same record objects from save to save, as a build hands them (each with its place in the heavy file).
    const next = notes(4);
    saveIndex(dir, { globalKey: 'g' }, next);
    const generations: (string | undefined)[] = [];
    for (const step of [1, 2, 3]) {
      const index = loadIndex(dir, 'g');
      generations.push(index.generation);
      // One note changed at each step, its record appended: 4 lines, then 5; then 6 > 4 × 1.25, so rewritten (4), then 5 again.
      next.set('notes/N-0.md', record('N-0', `k0-step${step}`));
      saveIndex(dir, { globalKey: 'g' }, next, { base: heavyBase(index)!, changed: new Set(['notes/N-0.md']) });
    }
    const after = loadIndex(dir, 'g');
    expect(generations[1]).toBe(generations[0]);
    expect(generations[2]).not.toBe(generations[1]);
    expect(after.generation).toBe(generations[2]);
    expect(after.heavyLines).toBe(5);
    expect(loadFromDisk(dir, after)?.get('notes/N-0.md')?.key).toBe('k0-step3');
  });

  it('says where each heavy record is, and reads a few by offset', () => {
    const dir = cacheDir();
    const saved = notes(5);
    saveIndex(dir, { globalKey: 'g' }, saved);
    const first = loadIndex(dir, 'g');
    const second = new Map(saved);
    second.set('notes/N-2.md', record('N-2', 'k2-edited'));
    saveIndex(dir, { globalKey: 'g' }, second, { base: heavyBase(first)!, changed: new Set(['notes/N-2.md']) });
    const index = loadIndex(dir, 'g');
    expect(index.notes['notes/N-2.md']!.stored![0]).toBeGreaterThan(index.notes['notes/N-4.md']!.stored![0]);
    const read = readRecordsAt(dir, index, ['notes/N-2.md', 'notes/N-1.md'])!;
    expect([...read.keys()]).toEqual(['notes/N-1.md', 'notes/N-2.md']);
    expect(read.get('notes/N-2.md')).toMatchObject({ key: 'k2-edited', files: 'site/advisories/N-2/index.html\tk2-edited' });
    // A record that is not where the index says (another note's line, a foreign heavy file) is not read.
    const lying = { ...index, notes: { ...index.notes, 'notes/N-1.md': { ...index.notes['notes/N-1.md']!, stored: index.notes['notes/N-3.md']!.stored! } } };
    expect(readRecordsAt(dir, lying, ['notes/N-1.md'])).toBeUndefined();
    expect(readRecordsAt(dir, { ...index, generation: 'other' }, ['notes/N-1.md'])).toBeUndefined();
  });

  it('rewrites the heavy file once appended records outnumber a quarter of the notes', () => {
    const dir = cacheDir();
    saveIndex(dir, { globalKey: 'g' }, notes(4));
    const index = loadIndex(dir, 'g');
    const records = loadRecords(dir, index)!;
    const changed = new Set(['notes/N-0.md', 'notes/N-1.md']);
    saveIndex(dir, { globalKey: 'g' }, notes(4, '-new'), { base: heavyBase(index, records.size)!, changed });
    const after = loadIndex(dir, 'g');
    expect(after.generation).not.toBe(index.generation);
    expect([...loadFromDisk(dir, after)!.values()].map((r) => r.key)).toEqual(['k0-new', 'k1-new', 'k2-new', 'k3-new']);
  });

  it('appends the light lines of the changed notes and a commit; rewrites the light file once its lines outnumber the notes by a quarter', () => {
    const dir = cacheDir();
    const lightPath = path.join(dir, 'index.jsonl');
    const next = notes(8);
    saveIndex(dir, { globalKey: 'g' }, next);
    const sizes: number[] = [statSync(lightPath).size];
    let before = readFileSync(lightPath);
    for (const step of [1, 2, 3]) {
      const index = loadIndex(dir, 'g');
      next.set('notes/N-0.md', record('N-0', `k0-step${step}`));
      saveIndex(dir, { globalKey: 'g', replaces: index.notes, completed: { out: '/out', key: `c${step}`, manifest: { size: 1, mtimeMs: 1 }, files: 1 } }, next, { base: heavyBase(index)!, changed: new Set(['notes/N-0.md']) });
      const after = readFileSync(lightPath);
      sizes.push(after.byteLength);
      // 8 lines, then 9 and 10 appended; then 11 > 8 × 1.25: rewritten (8).
      if (step < 3) expect(after.subarray(0, before.byteLength).equals(before)).toBe(true);
      before = after;
    }
    expect(sizes[1]).toBeGreaterThan(sizes[0]!);
    expect(sizes[2]).toBeGreaterThan(sizes[1]!);
    expect(sizes[3]).toBeLessThan(sizes[2]!);
    // What another process reads: the last save's records and header.
    forgetIndex();
    const read = loadIndex(dir, 'g');
    expect(read.lightLines).toBe(8);
    expect(read.notes['notes/N-0.md']?.key).toBe('k0-step3');
    expect(read.completed?.key).toBe('c3');
    expect(Object.keys(read.notes)).toHaveLength(8);
    expect(loadFromDisk(dir, read)?.get('notes/N-0.md')?.key).toBe('k0-step3');
  });

  it('reads a light file up to its last commit: a torn or damaged append is dropped, and the next save cuts it off', () => {
    const dir = cacheDir();
    const lightPath = path.join(dir, 'index.jsonl');
    const next = notes(8);
    saveIndex(dir, { globalKey: 'g' }, next);
    const first = loadIndex(dir, 'g');
    next.set('notes/N-1.md', record('N-1', 'k1-edited'));
    saveIndex(dir, { globalKey: 'g', replaces: first.notes }, next, { base: heavyBase(first)!, changed: new Set(['notes/N-1.md']) });
    const committed = readFileSync(lightPath);
    for (const tail of ['["notes/N-2.md",{"key":"torn"', '["notes/N-2.md",{"key":"not committed","size":1}]\n', '{"heavyLength":12\n', 'garbage\n']) {
      writeFileSync(lightPath, Buffer.concat([committed, Buffer.from(tail)]));
      forgetIndex();
      const read = loadIndex(dir, 'g');
      expect(read.notes['notes/N-1.md']?.key).toBe('k1-edited');
      expect(read.notes['notes/N-2.md']?.key).toBe('k2');
      expect(read.lightLength).toBe(committed.byteLength);
      expect(loadFromDisk(dir, read)?.get('notes/N-1.md')?.key).toBe('k1-edited');
    }
    // A cut inside the last commit: the commit before it (the whole save) holds.
    truncateSync(lightPath, committed.byteLength - 5);
    forgetIndex();
    const cut = loadIndex(dir, 'g');
    expect(cut.notes['notes/N-1.md']?.key).toBe('k1');
    expect(loadFromDisk(dir, cut)?.get('notes/N-1.md')?.key).toBe('k1');
    // The next save appends where the read ended, over the torn bytes.
    next.set('notes/N-3.md', record('N-3', 'k3-edited'));
    saveIndex(dir, { globalKey: 'g', replaces: cut.notes }, next, { base: heavyBase(cut)!, changed: new Set(['notes/N-1.md', 'notes/N-3.md']) });
    forgetIndex();
    const read = loadIndex(dir, 'g');
    expect([read.notes['notes/N-1.md']?.key, read.notes['notes/N-3.md']?.key]).toEqual(['k1-edited', 'k3-edited']);
    expect(loadFromDisk(dir, read)?.get('notes/N-3.md')?.key).toBe('k3-edited');
  });

  it('reads a light file saved whole without a commit line (an earlier herald\u2019s), and rewrites it at the next save', () => {
    const dir = cacheDir();
    const lightPath = path.join(dir, 'index.jsonl');
    saveIndex(dir, { globalKey: 'g' }, notes(4));
    const lines = readFileSync(lightPath, 'utf8').split('\n');
    writeFileSync(lightPath, lines.filter((line) => !line.startsWith('{') || line === lines[0]).join('\n'));
    forgetIndex();
    const index = loadIndex(dir, 'g');
    expect(Object.keys(index.notes)).toHaveLength(4);
    expect(index.lightLength).toBeUndefined();
    expect(loadFromDisk(dir, index)?.get('notes/N-2.md')?.key).toBe('k2');
    const next = notes(4);
    next.set('notes/N-2.md', record('N-2', 'k2-edited'));
    saveIndex(dir, { globalKey: 'g', replaces: index.notes }, next, { base: heavyBase(index)!, changed: new Set(['notes/N-2.md']) });
    forgetIndex();
    const after = loadIndex(dir, 'g');
    expect(after.lightLines).toBe(4);
    expect(after.notes['notes/N-2.md']?.key).toBe('k2-edited');
  });
});
