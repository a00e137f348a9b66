/**
 * The site's fixed pages: the product and year directories, the CVE
 * index, search and 404.
 */
import { aggregateKey } from '../aggregate-key.ts';
import type { KeyedFile, OutputFile, RenderContext } from '../types.ts';
import type { Facet } from './facets.ts';
import { renderPage } from './page.ts';
import { templates } from './templates.ts';
import { advisoryPath, cveYearPath, fixedPaths, outputPathFor } from './urls.ts';
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

/**
 * The most CVEs the CVE index shows on one page. An index naming more has a
 * page per year of the CVE ids (`cve/2014/`), and `cve/` lists the years:
 * at 10,000 advisories one page would be about 3 MB of HTML.
 */
export const cvesPerPage = 1000;

/** One page of the CVE index split by year: the CVEs whose id has that year, newest first. */
export interface CveYear {
  year: string;
  sitePath: string;
  cves: Facet[];
}

/** The CVE index's years, or null when it fits on one page. `cves` are sorted newest first (`cveFacets`). */
export function cveYears(cves: readonly Facet[], perPage = cvesPerPage): CveYear[] | null {
  if (cves.length <= perPage) return null;
  const years: CveYear[] = [];
  for (const facet of cves) {
    const year = facet.slug.split('-')[1]!;
    if (years.at(-1)?.year !== year) years.push({ year, sitePath: cveYearPath(year), cves: [] });
    years.at(-1)!.cves.push(facet);
  }
  return years;
}

/** The CVE index: one page keyed by the CVE ids and the advisories under each, or the years' list and a page per year. */
export function* renderCveIndex(cves: readonly Facet[], years: readonly CveYear[] | null, context: RenderContext): Iterable<KeyedFile> {
  if (years === null) {
    const lead = 'Every CVE named by an advisory, newest first, with the advisories that cover it.';
    yield cveTable({ sitePath: fixedPaths.cves, heading: 'CVE index', lead, description: 'Every CVE named by an advisory, with the advisories that cover it.', cves, years: null }, context);
    return;
  }
  const yearLinks = (current: string | null) =>
    years.map((each) => ({ label: each.year, href: href(context, each.sitePath), count: each.cves.length, one: each.cves.length === 1, current: each.year === current }));
  yield {
    path: outputPathFor(fixedPaths.cves),
    key: aggregateKey(context, ['cve-years', years.map((each) => [each.year, each.cves.length])]),
    render: () =>
      cvePage(
        fixedPaths.cves,
        { heading: 'CVE index', lead: `The ${cves.length} CVEs named by an advisory, by the year in their id, newest first.`, description: 'Every CVE named by an advisory, by the year in its id.', years: yearLinks(null), directory: true },
        context,
      ),
  };
  for (const each of years) {
    const lead = `Every CVE of ${each.year} named by an advisory, newest first, with the advisories that cover it.`;
    yield cveTable({ sitePath: each.sitePath, heading: `CVEs of ${each.year}`, lead, description: lead, cves: each.cves, years: () => yearLinks(each.year) }, context);
  }
}

interface CveTableSpec {
  sitePath: string;
  heading: string;
  lead: string;
  /** The page's meta description. */
  description: string;
  cves: readonly Facet[];
  /** The other years' links, when the index is split. */
  years: (() => object[]) | null;
}

function cveTable(spec: CveTableSpec, context: RenderContext): KeyedFile {
  const key = aggregateKey(
    context,
    [spec.sitePath, spec.years === null ? null : spec.years(), spec.cves.map((facet) => [facet.slug, facet.advisories.length])],
    spec.cves.flatMap((facet) => facet.advisories),
  );
  const rows = () =>
    spec.cves.map((facet) => ({
      id: facet.slug,
      externalHref: `https://www.cve.org/CVERecord?id=${encodeURIComponent(facet.slug)}`,
      advisories: facet.advisories.map((advisory) => ({
        href: href(context, advisoryPath(advisory.slug)),
        id: advisory.id,
        showId: advisory.kind === 'note',
        title: advisory.title,
      })),
    }));
  return {
    path: outputPathFor(spec.sitePath),
    key,
    render: () => cvePage(spec.sitePath, { heading: spec.heading, lead: spec.lead, description: spec.description, years: spec.years?.() ?? [], directory: false, cves: rows() }, context),
  };
}

function cvePage(sitePath: string, view: { heading: string; lead: string; description: string; years: object[]; directory: boolean; cves?: object[] }, context: RenderContext): string {
  return renderPage(context, {
    title: view.heading,
    description: view.description,
    sitePath,
    section: 'cves',
    content: templates.cves(view),
  });
}

export function renderSearchPage(context: RenderContext): OutputFile {
  const content = templates.search({
    searchHref: href(context, fixedPaths.search),
    productsHref: href(context, fixedPaths.products),
    yearsHref: href(context, fixedPaths.years),
    cvesHref: href(context, fixedPaths.cves),
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
  });
  return {
    path: outputPathFor(fixedPaths.notFound),
    contents: renderPage(context, { title: 'Page not found', description: 'There is no page at this address.', sitePath: null, section: 'none', content }),
  };
}
