/**
 * Which generation of the search index a build writes: the delta depends on
 * the base and the pages now, never on the edits in between.
 */
import { describe, expect, it } from 'vitest';
import { maxDeltaPages, planSearchIndex, type SearchPage, type SearchState } from '../../src/render/site/search-plan.ts';

const page = (id: string, sha256 = `${id}-v1`): SearchPage => ({ id, slug: id, sha256 });
const stateOf = (pages: SearchPage[]): SearchState => ({ format: 1, base: Object.fromEntries(pages.map((p) => [p.id, p.sha256])) });

describe('planning the search index', () => {
  const base = [page('A'), page('B'), page('C')];

  it('builds a base when there is none', () => {
    expect(planSearchIndex(undefined, base)).toEqual({ kind: 'base' });
  });

  it('needs an empty delta when nothing changed since the base', () => {
    expect(planSearchIndex(stateOf(base), base)).toEqual({ kind: 'delta', pages: [], exclude: [] });
  });

  it('puts a changed page in the delta and hides its base version', () => {
    const edited = page('B', 'B-v2');
    expect(planSearchIndex(stateOf(base), [base[0]!, edited, base[2]!])).toEqual({ kind: 'delta', pages: [edited], exclude: ['B'] });
  });

  it('hides a page that is gone, and adds a new one without hiding anything for it', () => {
    const added = page('D');
    expect(planSearchIndex(stateOf(base), [base[0]!, base[1]!, added])).toEqual({ kind: 'delta', pages: [added], exclude: ['C'] });
  });

  it('forgets an edit that was reverted: the page is the base\u2019s again', () => {
    expect(planSearchIndex(stateOf(base), [...base])).toEqual({ kind: 'delta', pages: [], exclude: [] });
  });

  it('orders the delta by id, whatever the order of the pages', () => {
    const pages = [page('C', 'C-v2'), page('A', 'A-v2'), base[1]!];
    const plan = planSearchIndex(stateOf(base), pages);
    expect(plan.kind === 'delta' && plan.pages.map((p) => p.id)).toEqual(['A', 'C']);
  });

  it('rebuilds the base once the delta would hold more than the limit', () => {
    const many = Array.from({ length: maxDeltaPages + 1 }, (_, i) => page(`N${String(i).padStart(3, '0')}`));
    expect(planSearchIndex(stateOf(base), [...base, ...many.slice(0, maxDeltaPages)]).kind).toBe('delta');
    expect(planSearchIndex(stateOf(base), [...base, ...many])).toEqual({ kind: 'base' });
  });
});
