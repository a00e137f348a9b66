/**
 * The site search in parts: which part a page goes to (pure), and what
 * builds write: 801 generated notes make four parts; an edit rewrites the
 * one part that holds the note and keeps the others (from the cache's
 * records, or from the output's pages when the cache lost them); the warm
 * build ends in the same bytes as a clean one without a cache; a fresh
 * output copies the parts the cache kept.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateCorpus } from '../../bench/generate.ts';
import { build } from '../../src/build/build.ts';
import { versionFolder } from '../../src/build/cache-retention.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadManifest, manifestFiles } from '../../src/build/manifest.ts';
import type { Config } from '../../src/config/schema.ts';
import { partCount, partOf, partsListName, planParts, type SearchMember } from '../../src/render/site/search.ts';

describe('search parts (pure)', () => {
  it('grows in powers of two, at most 400 pages a part on average', () => {
    expect([0, 1, 400, 401, 800, 801, 1000, 10_000].map(partCount)).toEqual([1, 1, 1, 2, 2, 4, 4, 32]);
  });

  it('splits each part in two when the count doubles, so pages never move between unrelated parts', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 10 }), (slug, power) => {
        const count = 2 ** power;
        const part = partOf(slug, count);
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThan(count);
        expect([2 * part, 2 * part + 1]).toContain(partOf(slug, count * 2));
      }),
    );
  });

  it('names each part by what it holds: the same pages in any order give the same parts; an edit renames one part; a new build key renames all', () => {
    const members: SearchMember[] = Array.from({ length: 900 }, (_, i) => ({ slug: `OSSN-${String(i).padStart(4, '0')}`, sha256: `h${i}` }));
    const parts = planParts(members, 'key');
    expect(parts).toHaveLength(4);
    expect(parts.reduce((sum, part) => sum + part.members.length, 0)).toBe(900);
    expect(planParts([...members].reverse(), 'key')).toEqual(parts);
    const edited = planParts(members.map((m) => (m.slug === 'OSSN-0042' ? { ...m, sha256: 'changed' } : m)), 'key');
    const renamed = edited.filter((part, i) => part.folder !== parts[i]!.folder);
    expect(renamed).toHaveLength(1);
    expect(renamed[0]!.members.map((m) => m.slug)).toContain('OSSN-0042');
    expect(planParts(members, 'other').every((part, i) => part.folder !== parts[i]!.folder)).toBe(true);
  });

  it('leaves out a part that would be empty', () => {
    const parts = planParts([{ slug: 'one', sha256: 'x' }], 'key');
    expect(parts).toHaveLength(1);
    expect(parts[0]!.folder).toMatch(/^000-[0-9a-f]{16}\/$/);
  });
});

describe('search parts in builds', () => {
  const repo = path.resolve(import.meta.dirname, '../..');
  const now = new Date('2026-01-15T12:00:00Z');
  let dir: string;
  let config: Config;
  const logs: string[] = [];
  const run = (options: { clean?: boolean; cache?: false; out?: string; workers?: number } = {}) => {
    logs.length = 0;
    return build({ notes: ['notes'], out: options.out ?? 'dist', config, now, cwd: dir, clean: options.clean, cache: options.cache, workers: options.workers, log: (line) => logs.push(line) });
  };
  const searchDir = (out = 'dist') => path.join(dir, out, 'site/pagefind');
  const parts = (out = 'dist'): string[] => JSON.parse(readFileSync(path.join(searchDir(out), partsListName), 'utf8')).parts;
  const manifest = (out = 'dist') => JSON.stringify(manifestFiles(loadManifest(path.join(dir, out))!));
  const pageCount = (folder: string): number => JSON.parse(readFileSync(path.join(folder, 'pagefind-entry.json'), 'utf8')).languages.en.page_count;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-search-parts-'));
    mkdirSync(path.join(dir, 'notes'));
    for (const note of generateCorpus(801)) writeFileSync(path.join(dir, 'notes', note.fileName), note.text);
    cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
    config = await loadConfig(dir);
    await run();
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes four parts over every published page, an empty primary index and Pagefind\u2019s browser code', () => {
    expect(logs).toContain('herald: search: 4 of 4 part(s) written, 801 of 801 advisory pages indexed');
    const list = parts();
    expect(list).toHaveLength(4);
    expect(list.reduce((sum, part) => sum + pageCount(path.join(searchDir(), part)), 0)).toBe(801);
    expect(pageCount(searchDir())).toBe(0);
    expect(readdirSync(searchDir())).toEqual(expect.arrayContaining(['pagefind.js', 'pagefind-worker.js', 'wasm.en.pagefind', ...list.map((part) => part.slice(0, -1))]));
  });

  it('rewrites only the part of an edited note, and removes the part it replaces', async () => {
    const before = parts();
    const file = path.join(dir, 'notes/OSSN-0400.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('## Summary\n', '## Summary\n\nA zeppelin sentence, added.\n'));
    await run();
    expect(logs.filter((line) => line.startsWith('herald: search:'))).toEqual([expect.stringMatching(/^herald: search: 1 of 4 part\(s\) written, \d+ of 801 advisory pages indexed$/)]);
    const after = parts();
    expect(after.filter((part) => !before.includes(part))).toHaveLength(1);
    expect(readdirSync(searchDir()).filter((name) => /^\d{3}-/.test(name)).sort()).toEqual(after.map((part) => part.slice(0, -1)).sort());
  }, 60_000);

  it('indexes parts again from the pages in the output when the cache lost its records (on the workers: two parts)', async () => {
    rmSync(path.join(dir, '.herald-cache/entries'), { recursive: true });
    // Two notes in two different parts, so that the parts are made on the workers.
    const first = 'OSSN-0401';
    const second = Array.from({ length: 100 }, (_, i) => `OSSN-${String(500 + i).padStart(4, '0')}`).find((slug) => partOf(slug, 4) !== partOf(first, 4))!;
    for (const id of [first, second]) {
      const file = path.join(dir, `notes/${id}.md`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('## Summary\n', '## Summary\n\nA second sentence, added.\n'));
    }
    await run();
    expect(logs.filter((line) => line.startsWith('herald: search:'))).toEqual([expect.stringMatching(/^herald: search: 2 of 4 part\(s\) written/)]);
  }, 120_000);

  it('ends in the same bytes as a clean build without a cache, on the workers or in-process', async () => {
    const warm = manifest();
    await run({ out: 'clean', clean: true, cache: false });
    expect(manifest('clean')).toBe(warm);
    await run({ out: 'serial', clean: true, cache: false, workers: 0 });
    expect(manifest('serial')).toBe(warm);
  }, 240_000);

  it('keeps each part made in the build cache, copies the parts into a fresh output from there, and makes a damaged or strayed copy again, and every part with --clean', async () => {
    const warm = manifest();
    // The parts the output has are kept, and the parts that edits replaced too (within the bound of cache-retention.test.ts).
    const copies = parts().map((part) => `${part.slice(0, -1)}.out`).sort();
    expect(readdirSync(path.join(dir, '.herald-cache/search', versionFolder)).length).toBeGreaterThan(copies.length);
    expect(readdirSync(path.join(dir, '.herald-cache/search', versionFolder))).toEqual(expect.arrayContaining(copies));
    const damaged = path.join(dir, '.herald-cache/search', versionFolder, copies[0]!);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(damaged, bytes);
    // A whole copy whose header names a file of another part (its bytes unchanged) is made again too.
    const strayed = path.join(dir, '.herald-cache/search', versionFolder, copies[1]!);
    const data = readFileSync(strayed);
    const length = data.readUInt32LE(0);
    const header = data.toString('utf8', 4, 4 + length).replace(copies[1]!.replace('.out', '/'), copies[2]!.replace('.out', '/'));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(Buffer.byteLength(header));
    writeFileSync(strayed, Buffer.concat([head, Buffer.from(header), data.subarray(4 + length)]));
    rmSync(path.join(dir, 'dist'), { recursive: true });
    await run();
    expect(logs.filter((line) => line.startsWith('herald: search:'))).toEqual([expect.stringMatching(/^herald: search: 4 of 4 part\(s\) written \(2 copied from the build cache\), \d+ of 801 advisory pages indexed$/)]);
    expect(manifest()).toBe(warm);
    expect(readFileSync(damaged)).not.toEqual(bytes);
    expect(readFileSync(strayed).toString('utf8', 4, 4 + readFileSync(strayed).readUInt32LE(0))).toContain(copies[1]!.replace('.out', '/'));
    // --clean makes every part again.
    await run({ clean: true });
    expect(logs).toContain('herald: search: 4 of 4 part(s) written, 801 of 801 advisory pages indexed');
    expect(manifest()).toBe(warm);
  }, 240_000);
});
