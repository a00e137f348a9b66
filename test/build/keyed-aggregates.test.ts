/**
 * Keyed aggregates (listing pages, facet pages, feeds): a warm build makes
 * again only those whose inputs changed and keeps the rest, and after
 * every kind of edit it ends in the same bytes as a clean build without a
 * cache. 130 generated notes: three pages in the home listing.
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNote } from '../../bench/generate.ts';
import { build } from '../../src/build/build.ts';
import { loadManifest, manifestFiles } from '../../src/build/manifest.ts';
import type { Config } from '../../src/config/schema.ts';
import { generatedProject } from '../support/generated-project.ts';

const count = 130;

describe('keyed aggregates', { timeout: 300_000 }, () => {
  let dir: string;
  let config: Config;
  let now = new Date('2026-01-15T12:00:00Z');
  const logs: string[] = [];
  const run = (options: { out?: string; cache?: false } = {}) => {
    logs.length = 0;
    return build({ notes: ['notes'], out: options.out ?? 'dist', config, now, cwd: dir, cache: options.cache, workers: 0, log: (line) => logs.push(line) });
  };
  const manifest = (out: string) => JSON.stringify(manifestFiles(loadManifest(path.join(dir, out))!));
  const made = (): [number, number] => {
    const line = logs.find((l) => l.startsWith('herald: listings and feeds:'));
    const match = /: (\d+) of (\d+) made/.exec(line ?? '');
    if (!match) throw new Error(`no listings line in ${logs.join('\n')}`);
    return [Number(match[1]), Number(match[2])];
  };
  const note = (id: string) => path.join(dir, 'notes', `${id}.md`);
  const edit = (id: string, change: (text: string) => string) => {
    const before = readFileSync(note(id), 'utf8');
    const after = change(before);
    expect(after, `edit of ${id}`).not.toBe(before);
    writeFileSync(note(id), after);
  };
  /** A warm build, then a clean one without a cache into another folder: the same bytes. */
  const sameAsClean = async (step: string) => {
    await run();
    const warm = made();
    await run({ out: `clean-${step}`, cache: false });
    expect(manifest('dist'), step).toBe(manifest(`clean-${step}`));
    // The manifest lists spliced files by their pieces' digest, not by their bytes: compare the bytes too.
    for (const spliced of ['osv/all.json', 'site/advisories.json']) {
      const bytes = (out: string) => readFileSync(path.join(dir, out, spliced));
      expect(bytes('dist').equals(bytes(`clean-${step}`)), `${step}: ${spliced}`).toBe(true);
    }
    return warm;
  };

  beforeAll(async () => {
    ({ dir, config } = await generatedProject('herald-keyed-', count));
    await run();
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a cold build makes every keyed file; nothing changed keeps them all', async () => {
    await run({ out: 'second' });
    const [first, total] = made();
    expect(first).toBe(total);
    expect(total).toBeGreaterThan(20);
    await run();
    expect(made()).toEqual([0, total]);
  });

  it('an edited summary makes again only the pages and feeds that show the note', async () => {
    edit('OSSN-0065', (text) => text.replace('## Summary\n', '## Summary\n\nA sentence added for the keyed test.\n'));
    const [again, total] = await sameAsClean('summary');
    expect(again).toBeGreaterThan(0);
    expect(again).toBeLessThan(total / 3);
  });

  it('a new title, date, product and status; a note added and one removed; the clock moved: the same bytes as a clean build', async () => {
    edit('OSSN-0030', (text) => text.replace(/^title: .*$/m, 'title: A title changed for the keyed test'));
    await sameAsClean('title');
    edit('OSSN-0031', (text) => text.replace(/^date: .*$/m, 'date: 2011-01-02'));
    await sameAsClean('date');
    edit('OSSN-0032', (text) => text.replace(/^  - product: .*$/m, '  - product: A product only this note names'));
    await sameAsClean('product');
    edit('OSSN-0033', (text) => text.replace(/^status: published$/m, 'status: withdrawn\nwithdrawn_reason: Withdrawn for the keyed test.'));
    await sameAsClean('status');
    writeFileSync(note('OSSN-0131'), generateNote(131, count + 1).text);
    await sameAsClean('added');
    unlinkSync(note('OSSN-0007'));
    await sameAsClean('removed');
    now = new Date('2026-03-01T12:00:00Z');
    await sameAsClean('clock');
  });
});
