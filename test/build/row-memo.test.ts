/**
 * The per-advisory parts that whole-set files keep between builds of one
 * process (`src/render/row-memo.ts`): with the same advisory objects and
 * another clock or config, every renderer's aggregates come out as a fresh
 * render of copies of them would.
 */
import { describe, expect, it } from 'vitest';
import { renderers } from '../../src/render/registry.ts';
import type { Advisory } from '../../src/model/types.ts';
import type { RenderContext } from '../../src/render/types.ts';
import { loadBundled, renderContext } from '../osv/notes.ts';
import { aggregates } from '../support/render.ts';

describe('aggregates kept per advisory between builds', async () => {
  const { advisories, config } = await loadBundled();
  const contexts: Partial<RenderContext>[] = [
    { config },
    // Before OSSN-0003's embargo ends, in a preview: its entries say so.
    { config, now: new Date('2014-03-01T00:00:00Z'), preview: true },
    { config: { ...config, site: { ...config.site, base_url: 'https://example.org/security/' }, wiki: { ...config.wiki, page_name: 'Notes/{{id}}' } } },
    { config },
  ];

  it('match a fresh render for every clock and config, in turn', () => {
    for (const options of contexts) {
      const copies = structuredClone(advisories) as Advisory[];
      for (const renderer of renderers) {
        if (!renderer.renderAll) continue;
        const kept = aggregates(renderer, advisories, renderContext(advisories, options));
        const fresh = aggregates(renderer, copies, renderContext(copies, options));
        expect(kept.map((file) => [file.path, String(file.contents)])).toEqual(fresh.map((file) => [file.path, String(file.contents)]));
      }
    }
  });
});
