/** The facets readers filter by: grouping and order, against a plain reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/model/types.ts';
import { cveFacets, productFacets } from '../../src/render/site/facets.ts';

const cveId = fc.tuple(fc.integer({ min: 1999, max: 2030 }), fc.integer({ min: 1, max: 120_000 })).map(([year, number]) => `CVE-${year}-${String(number).padStart(4, '0')}`);

describe('facets', () => {
  it('lists each CVE once, newest first by year then number (CVE-2014-10000 after CVE-2014-9999), each advisory once under it, in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cveId, { maxLength: 4 }), { maxLength: 40 }), (lists) => {
        const advisories = lists.map((cve, index) => ({ slug: `A-${index}`, cve }) as unknown as Advisory);
        const facets = cveFacets(advisories);
        // Reference: every distinct id, ordered by its numbers.
        const ids = [...new Set(lists.flat())];
        const numbers = (id: string) => id.split('-').slice(1).map(Number) as [number, number];
        const expected = ids.sort((a, b) => numbers(b)[0] - numbers(a)[0] || numbers(b)[1] - numbers(a)[1]);
        expect(facets.map((f) => f.slug)).toEqual(expected);
        for (const facet of facets) expect(facet.advisories.map((a) => a.slug)).toEqual(advisories.filter((a) => a.cve.includes(facet.slug)).map((a) => a.slug));
      }),
    );
    expect(cveFacets([{ cve: ['CVE-2014-9999', 'CVE-2014-10000', 'CVE-2013-99999'] } as unknown as Advisory]).map((f) => f.slug)).toEqual(['CVE-2014-10000', 'CVE-2014-9999', 'CVE-2013-99999']);
  });

  it('puts an advisory once under a product it names twice, or under two names of one slug', () => {
    const advisory = { slug: 'A-1', affects: [{ product: 'Nova' }, { product: 'nova' }, { product: 'Glance' }, { product: 'Nova' }] } as unknown as Advisory;
    const facets = productFacets([advisory]);
    expect(facets.map((f) => [f.slug, f.label, f.advisories.length])).toEqual([
      ['glance', 'Glance', 1],
      ['nova', 'Nova', 1],
    ]);
  });
});
