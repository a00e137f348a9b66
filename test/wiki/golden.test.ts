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
