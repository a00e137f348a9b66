/**
 * The writer's promises that need no Pagefind binary: the same pages give
 * the same bytes in any order, an IndexedPage survives the JSON round trip
 * of the build cache unchanged in effect, and pages stay small.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from '../../src/search/cbor.ts';
import { writeSearchBundle, type BundleFile } from '../../src/search/bundle.ts';
import { indexPage, type IndexedPage } from '../../src/search/index-page.ts';
import { stemEnglish } from '../../src/search/stem-english.ts';
import { fixtureConfig, fixtureNotes, loadAdvisories, renderFiles } from '../site/support.ts';
import { bundleModel, fromBundleFiles, unpack } from './support.ts';

const bytes = (files: BundleFile[]) => files.map((f) => [f.path, Buffer.from(typeof f.contents === 'string' ? f.contents : f.contents).toString('base64')]);

describe('the search bundle writer', () => {
  let pages: IndexedPage[];
  let sources: { url: string; html: string }[];

  beforeAll(async () => {
    const config = await fixtureConfig();
    const files = renderFiles(await loadAdvisories([fixtureNotes], { config }), { config });
    const edge = await readFile(path.join(import.meta.dirname, 'fixtures/edge-cases.html'), 'utf8');
    sources = [
      ...files.flatMap((file) => {
        const match = /^site\/(advisories\/[^/]+\/)index\.html$/.exec(file.path);
        return match ? [{ url: `/${match[1]}`, html: String(file.contents) }] : [];
      }),
      { url: '/advisories/edge-cases/', html: edge },
    ];
    pages = sources.map((source) => indexPage(source.url, source.html));
  }, 60_000);

  it('writes the same bytes whatever the order of the pages', () => {
    const forward = writeSearchBundle(pages);
    const backward = writeSearchBundle([...pages].reverse());
    const shuffled = writeSearchBundle([...pages.slice(2), ...pages.slice(0, 2)]);
    expect(bytes(backward)).toEqual(bytes(forward));
    expect(bytes(shuffled)).toEqual(bytes(forward));
  });

  it('writes the same bytes from pages that went through the JSON build cache', () => {
    const cached = JSON.parse(JSON.stringify(pages)) as IndexedPage[];
    expect(bytes(writeSearchBundle(cached))).toEqual(bytes(writeSearchBundle(pages)));
  });

  it('numbers pages in URL order and files every page, word and filter', () => {
    const files = writeSearchBundle(pages);
    expect(files.every((f) => f.path === 'pagefind-entry.json' || unpack(f.contents as Uint8Array).length > 0)).toBe(true);
    const model = bundleModel(fromBundleFiles(files));
    // Pages without data-pagefind-body (redirect stubs) are dropped, as Pagefind drops them.
    expect(pages.some((p) => !p.body)).toBe(true);
    expect([...model.pages.keys()]).toEqual(pages.filter((p) => p.body).map((p) => p.url).sort());
    expect(model.filters.get('page')?.get('EDGE-0001')).toEqual(['/advisories/edge-cases/']);
    expect(model.words.get('naiv')?.variants.get('naïve')?.map((p) => p.url)).toEqual(['/advisories/edge-cases/']);
  });

  it('leaves the details and affected products tables out of the text excerpts come from, and finds their words through metadata', () => {
    const model = bundleModel(fromBundleFiles(writeSearchBundle(pages)));
    const withTable = sources.filter((s) => s.html.includes('advisory-affected')).map((s) => s.url);
    expect(withTable.length).toBeGreaterThan(0);
    const affected = model.metaFields.indexOf('affected');
    expect(affected).toBeGreaterThanOrEqual(0);
    for (const url of withTable) {
      const fragment = JSON.parse(model.pages.get(url)![1]) as { content: string; meta: Record<string, string> };
      expect(fragment.content).not.toMatch(/Affected products|Details\. ID /);
      // Every word of the table's metadata leads to the page through its metadata locations.
      for (const word of fragment.meta.affected!.split(' ').filter((w) => /^[a-z]+$/i.test(w) && w.length > 3)) {
        const stem = stemEnglish(word.toLowerCase());
        expect(model.words.get(stem)?.pages.find((p) => p.url === url)?.metaLocs[0], `${word} on ${url}`).toBe(-(affected + 1));
      }
    }
  });

  it('indexes a page the same way every time, into a compact record', () => {
    for (const source of sources) expect(JSON.stringify(indexPage(source.url, source.html))).toBe(JSON.stringify(pages.find((p) => p.url === source.url)));
    const sizes = pages.filter((p) => p.body && p.url !== '/advisories/edge-cases/').map((p) => JSON.stringify(p).length);
    expect(Math.max(...sizes)).toBeLessThan(16_000);
  });
});

describe('CBOR', () => {
  it('round-trips the values Pagefind uses, integers in their shortest form', () => {
    const value = ['1.6.0', [0, 23, 24, 255, 256, 65535, 65536, 4294967295, -1, -24, -25, -169, -257], ['é', '👋', ''], []];
    expect(decodeCbor(encodeCbor(value))).toEqual(value);
    expect([...encodeCbor([23, 24, -25])]).toEqual([0x83, 0x17, 0x18, 0x18, 0x38, 0x18]);
  });
});

describe('the English stemmer', () => {
  it('follows Snowball 3.1 English', () => {
    const cases: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', ties: 'tie', skis: 'ski', skies: 'sky', dying: 'die', added: 'add', hopping: 'hop', hoping: 'hope',
      internal: 'internal', generously: 'generous', university: 'universiti', geologist: 'geolog', evening: 'evening', proceed: 'proceed',
      relational: 'relat', conditional: 'condit', communication: 'communic', happy: 'happi', news: 'news', by: 'by',
    };
    for (const [word, stem] of Object.entries(cases)) expect([word, stemEnglish(word)]).toEqual([word, stem]);
  });
});
