/**
 * The site's fixed pages: the product and year directories, search and
 * 404 (the CVE and GitHub advisory indexes are `id-index.ts`).
 */
import { aggregateKey } from '../aggregate-key.ts';
import type { KeyedFile, OutputFile, RenderContext } from '../types.ts';
import type { Facet } from './facets.ts';
import { renderPage } from './page.ts';
import { templates } from './templates.ts';
import { fixedPaths, outputPathFor } from './urls.ts';
import { href, type NavSection } from './views.ts';

export interface FacetIndexSpec {
  sitePath: string;
  heading: string;
  intro: string;
  section: NavSection;
  facets: readonly Facet[];
  pathOf(slug: string): string;
  /** Per-facet feeds (products have them), or null. */
  feedsOf: ((slug: string) => { atom: string; json: string }) | null;
}

/** Keyed by the facets' names and counts. */
export function renderFacetIndex(spec: FacetIndexSpec, context: RenderContext): KeyedFile {
  const { facets, pathOf, feedsOf, ...settings } = spec;
  const key = aggregateKey(context, { settings, feeds: feedsOf !== null, facets: facets.map((facet) => [facet.slug, facet.label, facet.advisories.length]) });
  return { path: outputPathFor(spec.sitePath), key, render: () => renderFacetIndexPage(spec, context) };
}

function renderFacetIndexPage(spec: FacetIndexSpec, context: RenderContext): string {
  const content = templates.facetIndex({
    heading: spec.heading,
    intro: spec.intro,
    facets: spec.facets.map((facet) => ({
      href: href(context, spec.pathOf(facet.slug)),
      label: facet.label,
      count: facet.advisories.length,
      one: facet.advisories.length === 1,
      feedAtom: spec.feedsOf ? href(context, spec.feedsOf(facet.slug).atom) : null,
      feedJson: spec.feedsOf ? href(context, spec.feedsOf(facet.slug).json) : null,
    })),
  });
  return renderPage(context, { title: spec.heading, description: spec.intro, sitePath: spec.sitePath, section: spec.section, content });
}

export function renderSearchPage(context: RenderContext): OutputFile {
  const content = templates.search({
    searchHref: href(context, fixedPaths.search),
    productsHref: href(context, fixedPaths.products),
    yearsHref: href(context, fixedPaths.years),
    cvesHref: href(context, fixedPaths.cves),
    ghsasHref: href(context, fixedPaths.ghsas),
    // A number typed alone in the search box is taken as an id with this prefix ("0007" is OSSN-0007).
    idPrefix: context.config.ids.prefix,
    // Filled by the site's script from the index's filters (the advisory
    // page's data-pagefind-filter attributes).
    filters: [
      { name: 'product', label: 'Product' },
      { name: 'severity', label: 'Severity' },
      { name: 'status', label: 'Status' },
      { name: 'year', label: 'Year' },
    ],
  });
  return {
    path: outputPathFor(fixedPaths.search),
    contents: renderPage(context, { title: 'Search', description: 'Full-text search over every advisory.', sitePath: fixedPaths.search, section: 'search', content }),
  };
}

/** Served for any unknown path, at any depth: every link in it is root-relative. */
export function renderNotFound(context: RenderContext): OutputFile {
  const content = templates.notFound({
    base: href(context, fixedPaths.home),
    searchHref: href(context, fixedPaths.search),
    cvesHref: href(context, fixedPaths.cves),
    ghsasHref: href(context, fixedPaths.ghsas),
  });
  return {
    path: outputPathFor(fixedPaths.notFound),
    contents: renderPage(context, { title: 'Page not found', description: 'There is no page at this address.', sitePath: null, section: 'none', content }),
  };
}
