/**
 * Golden wikitext: every bundled note, the index page, and the hostile
 * fixtures in both code modes. Drafts and embargoed notes are rendered as
 * the private preview they can only appear in.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectForBuild } from '../../src/build/select.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { renderer } from '../../src/render/wiki/index.ts';
import { expectGolden, updateGolden } from './support/golden.ts';
import { bundledAdvisories, fixedNow, fixturesDir, hostileAdvisories, renderPage, repoConfig, withWiki } from './support/notes.ts';
import { aggregates } from '../support/render.ts';

const goldenDir = path.join(fixturesDir, 'golden');

let config: Config;
let bundled: Advisory[];
let hostile: Advisory[];

beforeAll(async () => {
  config = await repoConfig();
  bundled = await bundledAdvisories(config);
  hostile = await hostileAdvisories(config);
});

describe('golden wikitext of the bundled notes', () => {
  it('has a golden page for every bundled note and no stale one', async () => {
    expect(bundled.length).toBeGreaterThanOrEqual(7);
    for (const advisory of bundled) expectGolden(path.join(goldenDir, 'notes', `${advisory.id}.wiki`), renderPage(advisory, config, bundled));
    const expected = new Set([...bundled.map((a) => `${a.id}.wiki`), 'index.wiki']);
    if (!updateGolden) {
      const stale = readdirSync(path.join(goldenDir, 'notes')).filter((name) => !expected.has(name));
      expect(stale, 'golden files of notes that no longer exist').toEqual([]);
    }
  });

  it('renders the index page of the public notes, newest first', () => {
    const selected = selectForBuild(bundled, fixedNow, false);
    const [index] = aggregates(renderer, selected, { config, now: fixedNow, preview: false, all: selected });
    expect(index!.path).toBe('wiki/index.wiki');
    expectGolden(path.join(goldenDir, 'notes', 'index.wiki'), String(index!.contents));
    const order = [...String(index!.contents).matchAll(/^\| \[\[[^|]+\|([^\]]+)\]\]$/gm)].map((m) => m[1]);
    expect(order).toEqual(selected.map((a) => a.id));
  });

  it('splits the index into a page per year when one page would pass wiki.max_page_kib', () => {
    const selected = selectForBuild(bundled, fixedNow, false);
    const split = withWiki(config, { max_page_kib: 1 });
    const files = aggregates(renderer, selected, { config: split, now: fixedNow, preview: false, all: selected });
    const years = [...new Set(selected.map((a) => a.date.slice(0, 4)))];
    expect(files.map((file) => file.path)).toEqual(['wiki/index.wiki', ...years.map((year) => `wiki/index/${year}.wiki`)]);
    for (const file of files) expectGolden(path.join(goldenDir, 'index-split', file.path.replace(/^wiki\//, '')), String(file.contents));
    if (!updateGolden) expect(readdirSync(path.join(goldenDir, 'index-split', 'index'), { recursive: false }).sort()).toEqual(years.map((year) => `${year}.wiki`).sort());
    // Every advisory sits on its year's page, in the same order as on one page.
    const listed = files.slice(1).flatMap((file) => [...String(file.contents).matchAll(/^\| \[\[[^|]+\|([^\]]+)\]\]$/gm)].map((m) => m[1]));
    expect(listed).toEqual(selected.map((a) => a.id));
    const links = [...String(files[0]!.contents).matchAll(/\[\[(Security_Notes\/\d{4})\|/g)].map((m) => m[1]);
    expect(links).toEqual(years.map((year) => `Security_Notes/${year}`));
  });

  it('keeps each page of a split index of 14,000 advisories under MediaWiki’s default limit of 2 MiB', () => {
    const [model] = selectForBuild(bundled, fixedNow, false);
    const many = Array.from({ length: 14_000 }, (_, i): Advisory => {
      const year = 2012 + (i % 14);
      return { ...model!, id: `OSSN-${String(i + 1).padStart(5, '0')}`, slug: `OSSN-${String(i + 1).padStart(5, '0')}`, date: `${year}-0${1 + (i % 9)}-1${i % 10}`, revisions: [] };
    });
    const files = aggregates(renderer, many, { config, now: fixedNow, preview: false, all: many });
    expect(files).toHaveLength(15);
    for (const file of files) expect(Buffer.byteLength(String(file.contents)), file.path).toBeLessThanOrEqual(2048 * 1024);
    // One page would not fit.
    const whole = aggregates(renderer, many, { config: withWiki(config, { max_page_kib: 1 << 20 }), now: fixedNow, preview: false, all: many });
    expect(whole).toHaveLength(1);
    expect(Buffer.byteLength(String(whole[0]!.contents))).toBeGreaterThan(2048 * 1024);
  });

  it('writes wiki/<ID>.wiki per advisory', () => {
    const [advisory] = selectForBuild(bundled, fixedNow, false);
    const files = renderer.renderNote!(advisory!, { config, now: fixedNow, preview: false, all: bundled });
    expect(files.map((f) => f.path)).toEqual([`wiki/${advisory!.id}.wiki`]);
  });
});

describe('golden wikitext of the hostile fixtures', () => {
  it.each(['syntaxhighlight', 'pre'] as const)('renders every hostile fixture with code as %s', (code) => {
    for (const advisory of hostile) {
      expectGolden(path.join(goldenDir, `hostile-${code}`, `${advisory.id}.wiki`), renderPage(advisory, withWiki(config, { code }), hostile));
    }
  });
});
