/**
 * Listing pages: the index and one page per product, year, severity and
 * status, each newest first and split into pages of `pageSize`, so even a
 * site of ten thousand advisories can be browsed without JavaScript.
 */
import type { Advisory } from '../../model/types.ts';
import { aggregateKey } from '../aggregate-key.ts';
import type { KeyedFile, RenderContext } from '../types.ts';
import { renderPage } from './page.ts';
import { templates } from './templates.ts';
import { outputPathFor, pagePath } from './urls.ts';
import type { FeedLink, ItemView, Link, NavSection } from './views.ts';
import { href } from './views.ts';

export const pageSize = 50;

export interface BrowseGroup {
  label: string;
  values: (Link & { count: number; current: boolean })[];
}

export interface FilterSelect {
  name: string;
  label: string;
  options: { value: string; label: string }[];
}

export interface ListingSpec {
  /** Site path of the first page, e.g. `products/nova/`. */
  listPath: string;
  heading: string;
  intro: string;
  description: string;
  section: NavSection;
  /** The feeds of this listing ("this product", "all advisories"). */
  feedSubject: string;
  feeds: FeedLink[];
  /** The filter form (first page only); the CVE and GHSA indexes are named for readers without JavaScript. */
  filters: { src: string; selects: FilterSelect[]; cvesHref: string; ghsasHref: string } | null;
  browse: BrowseGroup[];
  advisories: readonly Advisory[];
}

interface Pagination {
  previous: string | null;
  next: string | null;
  pages: { number: number; href: string; current: boolean }[];
}

function pagination(context: RenderContext, listPath: string, page: number, count: number): Pagination | null {
  if (count <= 1) return null;
  const at = (number: number): string => href(context, pagePath(listPath, number));
  return {
    previous: page > 1 ? at(page - 1) : null,
    next: page < count ? at(page + 1) : null,
    pages: Array.from({ length: count }, (_, index) => ({ number: index + 1, href: at(index + 1), current: index + 1 === page })),
  };
}

/** What one page of a listing shows besides its advisories: a listing page's `Recipe` data. */
export interface ListingPage {
  kind: 'listing';
  spec: Omit<ListingSpec, 'advisories'>;
  page: number;
  count: number;
}

/**
 * Every page of one listing, each keyed by the listing's own settings and
 * its advisories (so an edit remakes only the pages that show the note).
 * `itemOf` gives the view of an advisory, `itemKey` what that view depends
 * on besides the advisory's key.
 */
export function* renderListing(spec: ListingSpec, itemOf: (advisory: Advisory) => ItemView, itemKey: (advisory: Advisory) => string, context: RenderContext): Generator<KeyedFile> {
  const count = Math.max(1, Math.ceil(spec.advisories.length / pageSize));
  const { advisories, filters, browse, ...settings } = spec;
  for (let page = 1; page <= count; page += 1) {
    // Filters and browse links are on the first page only.
    const shown = page === 1 ? { ...settings, filters, browse } : { ...settings, filters: null, browse: [] };
    yield listingPage({ kind: 'listing', spec: shown, page, count }, advisories.slice((page - 1) * pageSize, page * pageSize), itemOf, itemKey, context);
  }
}

/** One page of a listing, from what it shows besides its advisories and those advisories (`slice`). */
export function listingPage(recipe: ListingPage, slice: readonly Advisory[], itemOf: (advisory: Advisory) => ItemView, itemKey: (advisory: Advisory) => string, context: RenderContext): KeyedFile {
  const { spec, page, count } = recipe;
  const [feedAtom, feedJson] = spec.feeds;
  const { filters, browse, ...settings } = spec;
  const sitePath = pagePath(spec.listPath, page);
  const render = () => {
    const content = templates.listing({
      heading: page === 1 ? spec.heading : `${spec.heading} (page ${page} of ${count})`,
      intro: spec.intro,
      feedSubject: spec.feedSubject,
      feedAtom: feedAtom?.href ?? '',
      feedJson: feedJson?.href ?? '',
      // The filter form reads the whole JSON index, so it belongs on the first page only.
      filters: page === 1 ? filters : null,
      items: slice.map(itemOf),
      pagination: pagination(context, spec.listPath, page, count),
      browse: page === 1 ? browse : [],
    });
    const title = page === 1 ? spec.heading : `${spec.heading}, page ${page}`;
    return renderPage(context, { title, description: spec.description, sitePath, section: spec.section, feeds: spec.feeds, content });
  };
  const settingsKey = page === 1 ? JSON.stringify({ settings, filters, browse }) : JSON.stringify(settings);
  return { path: outputPathFor(sitePath), key: aggregateKey(context, `${settingsKey}\0${page}\0${count}`, slice, itemKey), render, recipe: () => ({ data: recipe, members: slice }) };
}
