/**
 * `checkNotes` (the commands that act on some notes of a large set) takes
 * what the last build recorded of a note still as that build read it: its
 * summary and its own output files, those files only when the cache entry
 * holds the very bytes the record names. Anything else is read from the
 * note again.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { versionFolder } from '../../src/build/cache-retention.ts';
import { checkNotes } from '../../src/build/named-notes.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { summarize } from '../../src/model/types.ts';
import { isPublic } from '../../src/build/select.ts';
import { advisoryPage } from '../../src/publish/wiki/push.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const now = new Date('2026-01-01T00:00:00Z');

describe('checkNotes with the build cache', { timeout: 120_000 }, () => {
  let dir: string;
  let config: Config;
  const check = (cacheDir: string | null = path.join(dir, '.herald-cache')) => checkNotes(['notes'], { config, now, cwd: dir, cacheDir, workers: 0 });
  const file = 'notes/OSSN-0002.md';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-named-notes-'));
    cpSync(path.join(repo, 'notes'), path.join(dir, 'notes'), { recursive: true });
    config = await loadConfig(repo);
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0, log: () => {} });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the summary and the wiki page the build made, the same as reading the note', async () => {
    const cached = await check();
    const fresh = await check(null);
    for (const note of cached.cards.keys()) {
      expect(JSON.stringify(cached.summary(note)), note).toBe(JSON.stringify(summarize(fresh.advisory(note))));
    }
    // Every public note's page is the one `wiki push` would render from the note.
    let pages = 0;
    for (const [note, card] of cached.cards) {
      if (!isPublic(card, now)) continue;
      expect(cached.builtFile(note, `wiki/${card.id}.wiki`)?.toString('utf8'), note).toBe(advisoryPage(fresh.advisory(note), config, now).text);
      pages += 1;
    }
    expect(pages).toBeGreaterThanOrEqual(7);
    const built = cached.builtFile(file, 'wiki/OSSN-0002.wiki');
    expect(built?.toString('utf8')).toBe(readFileSync(path.join(dir, 'dist/wiki/OSSN-0002.wiki'), 'utf8'));
    expect(fresh.builtFile(file, 'wiki/OSSN-0002.wiki')).toBeUndefined();
    expect(cached.builtFile(file, 'wiki/OSSN-9999.wiki')).toBeUndefined();
  });

  it('does not take a file from a damaged entry', async () => {
    const entries = path.join(dir, '.herald-cache', 'entries', versionFolder);
    const damaged: [string, Buffer][] = [];
    for (const shard of readdirSync(entries)) {
      for (const name of readdirSync(path.join(entries, shard))) {
        const entry = path.join(entries, shard, name);
        const bytes = readFileSync(entry);
        const headerLength = bytes.readUInt32LE(0);
        const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as { files: [string, number][]; blobs: number[]; search?: number };
        const blob = header.files.find(([output]) => output === 'wiki/OSSN-0002.wiki')?.[1];
        if (blob === undefined) continue;
        damaged.push([entry, Buffer.from(bytes)]);
        // A byte in the middle of the page's blob.
        const at = 4 + headerLength + (header.search ?? 0) + header.blobs.slice(0, blob).reduce((a, b) => a + b, 0) + (header.blobs[blob]! >> 1);
        bytes[at] = bytes[at]! ^ 1;
        writeFileSync(entry, bytes);
      }
    }
    expect(damaged.length).toBeGreaterThan(0);
    try {
      expect((await check()).builtFile(file, 'wiki/OSSN-0002.wiki')).toBeUndefined();
    } finally {
      for (const [entry, bytes] of damaged) writeFileSync(entry, bytes);
    }
    expect((await check()).builtFile(file, 'wiki/OSSN-0002.wiki')).toBeDefined();
  });

  it('reads a note changed since the build from the note', async () => {
    const note = path.join(dir, file);
    writeFileSync(note, readFileSync(note, 'utf8').replace(/^title: .*$/m, 'title: A title changed after the build'));
    const checked = await check();
    expect(checked.summary(file).title).toBe('A title changed after the build');
    expect(checked.builtFile(file, 'wiki/OSSN-0002.wiki')).toBeUndefined();
  });
});
