/**
 * Which search index a build must write, decided from what the index holds
 * and what the site holds now. Pure: no I/O.
 *
 * The index has two generations. The base holds every advisory page as it
 * was when the base was built; the delta holds the pages that changed or
 * appeared since, and the browser drops base results for every page the
 * delta replaces or that is gone (`exclude`). The delta is a function of
 * the base and the current pages only, never of the edits in between, so
 * any sequence of builds that ends in the same site searches the same.
 */

/** A searchable page: the advisory id (its Pagefind `page` filter), its URL path and the sha256 of its HTML. */
export interface SearchPage {
  id: string;
  slug: string;
  sha256: string;
}

/** What the base holds, kept between builds (`.herald-search.json` beside the output manifest). */
export interface SearchState {
  format: 1;
  /** sha256 of each page's HTML when the base was built, by advisory id. */
  base: Record<string, string>;
}

/**
 * `base`: index every page anew. `delta`: keep the base; index `pages`
 * (changed or new since the base) and hide the base's results for
 * `exclude` (changed or gone since the base). An empty delta means the
 * base is current.
 */
export type SearchPlan = { kind: 'base' } | { kind: 'delta'; pages: SearchPage[]; exclude: string[] };

/**
 * Beyond this many pages in the delta, the base is rebuilt instead: each
 * delta page costs every later rebuild a few milliseconds, a rebuilt base
 * resets the delta to nothing.
 */
export const maxDeltaPages = 32;

/** The plan, given what the base holds (`undefined`: there is no usable base) and the pages now. */
export function planSearchIndex(state: SearchState | undefined, pages: readonly SearchPage[]): SearchPlan {
  if (!state) return { kind: 'base' };
  const current = new Map(pages.map((page) => [page.id, page]));
  const changed = pages.filter((page) => state.base[page.id] !== page.sha256).sort(byId);
  const exclude = Object.keys(state.base)
    .filter((id) => current.get(id)?.sha256 !== state.base[id])
    .sort();
  if (new Set([...changed.map((page) => page.id), ...exclude]).size > maxDeltaPages) return { kind: 'base' };
  return { kind: 'delta', pages: changed, exclude };
}

function byId(a: SearchPage, b: SearchPage): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
