/**
 * The advisory site (`dist/site/`): an index with filters, one page per
 * advisory, pages per product, year, severity and status, CVE and GitHub
 * advisory indexes, feeds, search, and what crawlers and static hosts
 * read. See README.md.
 */
import type { Advisory } from '../../model/types.ts';
import { lastUpdated } from '../../model/types.ts';
import { aggregateKey } from '../aggregate-key.ts';
import type { AggregateFile, KeyedFile, OutputFile, Recipe, RenderContext, Renderer } from '../types.ts';
import { assets } from './assets.ts';
import { bodyHtml, summaryHtml, summaryText } from './body.ts';
import { robots, sitemapGroup, type SitemapEntry } from './crawlers.ts';
import { downloadsFor } from './downloads.ts';
import { cveFacets, ghsaFacets, productFacets, severityFacets, statusFacets, yearFacets, type Facet } from './facets.ts';
import { atomFeed, feedEntries, feedMembers, jsonFeed, type FeedEntry, type FeedSpec, type FeedTexts } from './feeds.ts';
import { filterIndex, filterIndexPiece } from './filter-index.ts';
import { headersFile } from './headers.ts';
import { listingPage, renderListing, type BrowseGroup, type ListingPage, type ListingSpec } from './listing.ts';
import { renderPage } from './page.ts';
import { cveIndex, ghsaIndex, idGroups, renderIdIndex } from './id-index.ts';
import { renderFacetIndex, renderNotFound, renderSearchPage } from './pages.ts';
import { aliasPages, redirectsFile } from './redirects.ts';
import { securityTxt } from './security-txt.ts';
import { templates } from './templates.ts';
import { advisoryPath, basePath, fixedPaths, outputPathFor, productPath, severityPath, siteRoot, statusPath, yearPath } from './urls.ts';
import { advisoryView, fullTitle, globalFeeds, href, isEmbargoed, itemView, type FeedLink, type ItemView } from './views.ts';

/** One advisory's page, its other formats under `downloads/`, and redirects from its former ids. */
function renderAdvisory(advisory: Advisory, context: RenderContext): OutputFile[] {
  const downloads = downloadsFor(advisory, context);
  const sitePath = advisoryPath(advisory.slug);
  const content = templates.advisory(advisoryView(advisory, bodyHtml(advisory, context.config), downloads.links, context));
  const page: OutputFile = {
    path: outputPathFor(sitePath),
    contents: renderPage(context, { title: fullTitle(advisory), description: summaryText(advisory, 160), sitePath, section: 'none', content }),
  };
  return [page, ...downloads.files, ...aliasPages(advisory, context)];
}

const productFeedPaths = (slug: string) => ({ atom: `${productPath(slug)}feed.xml`, json: `${productPath(slug)}feed.json` });

function feedLinks(context: RenderContext, title: string, paths: { atom: string; json: string }): FeedLink[] {
  return [
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: href(context, paths.atom) },
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, href: href(context, paths.json) },
  ];
}

/**
 * A feed's two files, keyed by its advisories and the day: which updates
 * a feed keeps depends on the date, and an empty feed is dated to the
 * second.
 */
function feedFiles(spec: FeedSpec, context: RenderContext, texts: FeedTexts): KeyedFile[] {
  const { advisories, ...settings } = spec;
  const clock = advisories.length > 0 ? context.now.toISOString().slice(0, 10) : context.now.toISOString();
  const key = aggregateKey(context, { settings, clock }, advisories);
  return feedPair(spec, key, context, texts);
}

/** What a feed shows besides its entries: a feed file's `Recipe` data. */
interface FeedRecipe {
  kind: 'feed';
  format: 'atom' | 'json';
  spec: Omit<FeedSpec, 'advisories'>;
}

/**
 * A feed's two files under `key`. Their recipe's members are the
 * advisories of the entries kept: a feed of those alone keeps the same
 * entries (the newest events of the whole set are the newest of theirs).
 */
function feedPair(spec: FeedSpec, key: string, context: RenderContext, texts: FeedTexts): KeyedFile[] {
  const { advisories, ...settings } = spec;
  let entries: FeedEntry[] | undefined;
  const made = () => (entries ??= feedEntries(spec, context, texts));
  const recipe = (format: FeedRecipe['format']) => (): Recipe => ({ data: { kind: 'feed', format, spec: settings } satisfies FeedRecipe, members: feedMembers(advisories, context.now) });
  return [
    { path: `${siteRoot}/${spec.atomPath}`, key: `atom:${key}`, render: () => atomFeed(spec, made(), context), recipe: recipe('atom') },
    { path: `${siteRoot}/${spec.jsonPath}`, key: `json:${key}`, render: () => jsonFeed(spec, made(), context), recipe: recipe('json') },
  ];
}

interface Facets {
  products: Facet[];
  years: Facet[];
  severities: Facet[];
  statuses: Facet[];
  cves: Facet[];
  ghsas: Facet[];
}

function browseGroups(facets: Facets, context: RenderContext): BrowseGroup[] {
  const group = (label: string, list: Facet[], pathOf: (slug: string) => string): BrowseGroup => ({
    label,
    values: list.map((facet) => ({ href: href(context, pathOf(facet.slug)), label: facet.label, count: facet.advisories.length, current: false })),
  });
  return [
    group('Product', facets.products, productPath),
    group('Year', facets.years, yearPath),
    group('Severity', facets.severities, severityPath),
    group('Status', facets.statuses, statusPath),
  ].filter((browse) => browse.values.length > 0);
}

function listingSpecs(advisories: readonly Advisory[], facets: Facets, context: RenderContext): ListingSpec[] {
  const site = context.config.site;
  const globalFeedLinks = globalFeeds(context);
  const options = (list: Facet[]) => list.map((facet) => ({ value: facet.slug, label: facet.label }));
  const facetListing = (listPath: string, heading: string, intro: string, list: readonly Advisory[], section: ListingSpec['section'] = 'none'): ListingSpec => ({
    listPath,
    heading,
    intro,
    description: intro,
    section,
    feedSubject: 'all advisories',
    feeds: globalFeedLinks,
    filters: null,
    browse: [],
    advisories: list,
  });
  return [
    {
      listPath: fixedPaths.home,
      heading: site.title,
      intro: site.description,
      description: site.description,
      section: 'home',
      feedSubject: 'all advisories',
      feeds: globalFeedLinks,
      // Nothing to filter on a site with no advisory yet.
      filters: advisories.length === 0 ? null : {
        src: href(context, fixedPaths.filterIndex),
        cvesHref: href(context, fixedPaths.cves),
        ghsasHref: href(context, fixedPaths.ghsas),
        selects: [
          { name: 'product', label: 'Product', options: options(facets.products) },
          { name: 'severity', label: 'Severity', options: options(facets.severities) },
          { name: 'status', label: 'Status', options: options(facets.statuses) },
          { name: 'year', label: 'Year', options: options(facets.years) },
        ],
      },
      browse: browseGroups(facets, context),
      advisories,
    },
    ...facets.products.map((facet) => ({
      ...facetListing(productPath(facet.slug), facet.label, `Advisories that affect ${facet.label}, newest first.`, facet.advisories),
      feedSubject: facet.label,
      feeds: feedLinks(context, `${site.title}: ${facet.label}`, productFeedPaths(facet.slug)),
    })),
    ...facets.years.map((facet) => facetListing(yearPath(facet.slug), `Advisories of ${facet.label}`, `Advisories first published in ${facet.label}, newest first.`, facet.advisories)),
    ...facets.severities.map((facet) => facetListing(severityPath(facet.slug), `${facet.label} severity`, `Advisories of ${facet.label.toLowerCase()} severity, newest first.`, facet.advisories)),
    ...facets.statuses.map((facet) => facetListing(statusPath(facet.slug), `${facet.label} advisories`, `Advisories with status ${facet.label.toLowerCase()}, newest first.`, facet.advisories)),
  ];
}

/** What the site's aggregates need of each note's body, computed with the note and cached with it. */
interface SiteDigest {
  summaryText: string;
  summaryHtml: string;
}

function siteDigest(advisory: Advisory): SiteDigest {
  return { summaryText: summaryText(advisory), summaryHtml: summaryHtml(advisory) };
}

/** The feeds' texts of each advisory: its site digest (computed now without one, in a render in memory). */
function feedTexts(context: RenderContext): FeedTexts {
  // Summaries go through the sanitizer: the digests hold them, computed once per note (and cached with it).
  const digestOf = (advisory: Advisory): SiteDigest => (context.digests?.get(advisory.slug) as SiteDigest | undefined) ?? siteDigest(advisory);
  return {
    summaryText: (advisory) => digestOf(advisory).summaryText,
    summaryHtml: (advisory) => digestOf(advisory).summaryHtml,
  };
}

/** A listing's item of each advisory, made once per build (only for the pages made again). */
function listingItems(context: RenderContext, texts: FeedTexts): (advisory: Advisory) => ItemView {
  const items = new Map<Advisory, ItemView>();
  return (advisory) => {
    let item = items.get(advisory);
    if (!item) items.set(advisory, (item = itemView(advisory, texts.summaryText(advisory), context)));
    return item;
  };
}

const itemKeyOf = (context: RenderContext) => (advisory: Advisory) => (isEmbargoed(advisory, context.now) ? '\0embargoed' : '');

/** A listing page or a feed file from its recipe (`Renderer.remake`); a feed's key is then unknown (''), being of every advisory of the feed. */
function remakeSite(data: unknown, members: readonly Advisory[], context: RenderContext): KeyedFile {
  const recipe = data as ListingPage | FeedRecipe;
  const texts = feedTexts(context);
  if (recipe.kind === 'listing') return listingPage(recipe, members, listingItems(context, texts), itemKeyOf(context), context);
  const [atom, json] = feedPair({ ...recipe.spec, advisories: members }, '', context, texts);
  return { ...(recipe.format === 'atom' ? atom! : json!), key: '' };
}

/** A generator: each file is written and dropped before the next is made (at 10,000 notes they add up to 70 MB). */
function* renderSite(advisories: readonly Advisory[], context: RenderContext): Generator<AggregateFile> {
  const site = context.config.site;
  const texts = feedTexts(context);
  // A listing's items are made only for the pages that are made again.
  const itemOf = listingItems(context, texts);
  const itemKey = itemKeyOf(context);
  const facets: Facets = {
    products: productFacets(advisories),
    years: yearFacets(advisories),
    severities: severityFacets(advisories),
    statuses: statusFacets(advisories),
    cves: cveFacets(advisories),
    ghsas: ghsaFacets(advisories),
  };
  const listings = listingSpecs(advisories, facets, context);
  for (const spec of listings) yield* renderListing(spec, itemOf, itemKey, context);
  yield renderFacetIndex(
    {
      sitePath: fixedPaths.products,
      heading: 'Products',
      intro: 'Every product named by an advisory, each with its own page and feeds.',
      section: 'products',
      facets: facets.products,
      pathOf: productPath,
      feedsOf: productFeedPaths,
    },
    context,
  );
  yield renderFacetIndex(
    { sitePath: fixedPaths.years, heading: 'Years', intro: 'Advisories by year of first publication.', section: 'years', facets: facets.years, pathOf: yearPath, feedsOf: null },
    context,
  );
  const cveGroups = idGroups(cveIndex, facets.cves);
  yield* renderIdIndex(cveIndex, facets.cves, cveGroups, context);
  const ghsaGroups = idGroups(ghsaIndex, facets.ghsas);
  yield* renderIdIndex(ghsaIndex, facets.ghsas, ghsaGroups, context);
  yield renderSearchPage(context);
  yield renderNotFound(context);
  yield* feedFiles({ title: site.title, description: site.description, pagePath: fixedPaths.home, atomPath: fixedPaths.atom, jsonPath: fixedPaths.jsonFeed, advisories }, context, texts);
  for (const facet of facets.products) {
    const paths = productFeedPaths(facet.slug);
    yield* feedFiles(
      { title: `${site.title}: ${facet.label}`, description: `Advisories that affect ${facet.label}`, pagePath: productPath(facet.slug), atomPath: paths.atom, jsonPath: paths.json, advisories: facet.advisories },
      context,
      texts,
    );
  }
  const pages: SitemapEntry[] = [
    ...listings.map((spec) => ({ sitePath: spec.listPath, lastModified: spec.advisories.length > 0 ? newestChange(spec.advisories) : null })),
    ...[fixedPaths.products, fixedPaths.years, fixedPaths.cves, fixedPaths.ghsas].map((sitePath) => ({ sitePath, lastModified: advisories.length > 0 ? newestChange(advisories) : null })),
    ...[...(cveGroups ?? []), ...(ghsaGroups ?? [])].map((each) => ({ sitePath: each.sitePath, lastModified: newestChange(each.ids.flatMap((facet) => facet.advisories)) })),
    ...advisories.map((advisory) => ({ sitePath: advisoryPath(advisory.slug), lastModified: lastUpdated(advisory) })),
  ];
  yield filterIndex(advisories, texts.summaryText, context);
  yield sitemapGroup(pages, context);
  yield robots(context);
  yield headersFile(basePath(context.config));
  yield { path: `${siteRoot}/${assets.css.sitePath}`, contents: assets.css.contents };
  yield { path: `${siteRoot}/${assets.js.sitePath}`, contents: assets.js.contents };
  yield { path: `${siteRoot}/${assets.icon.sitePath}`, contents: assets.icon.contents };
  const security = securityTxt(context);
  if (security) yield security;
  const redirects = redirectsFile(advisories, context);
  if (redirects) yield redirects;
}

function newestChange(advisories: readonly Advisory[]): string {
  return advisories.reduce((newest, advisory) => {
    const updated = lastUpdated(advisory);
    return updated > newest ? updated : newest;
  }, '');
}

export const renderer: Renderer = {
  name: 'site',
  renderNote: renderAdvisory,
  digest: siteDigest,
  renderAll: renderSite,
  remake: remakeSite,
  remakePiece: (_path, advisory, context) => filterIndexPiece(advisory, feedTexts(context).summaryText, context),
};
