/**
 * The sitemap past the protocol's limits for one file (50,000 URLs, 50 MiB
 * uncompressed): `sitemap.xml` becomes a sitemap index of parts, each
 * within both limits, together listing every page once, in path order.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import { sitemapFiles, sitemapLimits, type SitemapEntry } from '../../src/render/site/crawlers.ts';
import { fixtureConfig, testNow } from './support.ts';

let config: Config;
beforeAll(async () => {
  config = await fixtureConfig();
});

const limits = { ...sitemapLimits };
afterEach(() => Object.assign(sitemapLimits, limits));

const entries = (count: number, pathLength = 0): SitemapEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    sitePath: `advisories/OSSN-${String(count - i).padStart(6, '0')}${'x'.repeat(pathLength)}/`,
    lastModified: i % 7 === 0 ? null : `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
  }));

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
const render = (list: SitemapEntry[]) => sitemapFiles(list, { config, now: testNow, preview: false, all: [] }).map((file) => ({ path: file.path, text: String(file.contents) }));

function expectValidSplit(list: SitemapEntry[], parts: number) {
  const files = render(list);
  expect(files.map((file) => file.path)).toEqual(['site/sitemap.xml', ...Array.from({ length: parts }, (_, i) => `site/sitemap-${i + 1}.xml`)]);
  const [index, ...rest] = files;
  expect(index!.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">\n/);
  expect(locs(index!.text)).toEqual(rest.map((file) => `https://security.example.org/${file.path.slice('site/'.length)}`));
  const all: string[] = [];
  rest.forEach((file, i) => {
    expect(file.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">\n[^]*<\/urlset>\n$/);
    const urls = locs(file.text);
    expect(urls.length).toBeLessThanOrEqual(sitemapLimits.urls);
    expect(Buffer.byteLength(file.text)).toBeLessThanOrEqual(sitemapLimits.bytes);
    all.push(...urls);
    // The index gives each part the newest change among its pages.
    const dates = [...file.text.matchAll(/<lastmod>([^<]+)<\/lastmod>/g)].map((m) => m[1]!).sort();
    const entry = index!.text.split('\n').find((line) => line.includes(`sitemap-${i + 1}.xml`))!;
    expect(entry).toContain(`<lastmod>${dates.at(-1)}</lastmod>`);
  });
  expect(all).toEqual(list.map((entry) => `https://security.example.org/${entry.sitePath}`).sort());
}

describe('the sitemap', () => {
  it('is one file up to 50,000 pages', () => {
    const files = render(entries(50_000));
    expect(files.map((file) => file.path)).toEqual(['site/sitemap.xml']);
    expect(locs(files[0]!.text)).toHaveLength(50_000);
  });

  it('is an index of parts of at most 50,000 URLs beyond that', () => {
    expectValidSplit(entries(120_001), 3);
  });

  it('starts a new part before one would pass 50 MiB', () => {
    // 2,000 pages of about 1 KB against a limit of 500 KB: the bytes decide, not the count.
    sitemapLimits.bytes = 500 * 1024;
    expectValidSplit(entries(2_000, 1_000), 5);
  });
});
