/**
 * View models: the plain data each template prints. Every URL, label and
 * flag is decided here, so templates hold markup only. Values are escaped
 * by Handlebars; `bodyHtml` and `content` are the only raw HTML, and both
 * come from the sanitizer or from our own templates.
 */
import type { Advisory, ReferenceType } from '../../model/types.ts';
import { currentRevision, describeCredit, firstAffected, lastUpdated } from '../../model/types.ts';
import { describeScore } from '../../model/cvss.ts';
import { ghsaUrl } from '../ghsa.ts';
import type { RenderContext } from '../types.ts';
import { checklistView, type ChecklistView } from './checklist.ts';
import { productKeys, severityLabels, statusLabels } from './facets.ts';
import { assets } from './assets.ts';
import { absoluteUrl, advisoryPath, basePath, fixedPaths, productPath, severityPath, slugify } from './urls.ts';

export interface Link {
  href: string;
  label: string;
}

export interface FeedLink {
  type: string;
  title: string;
  href: string;
}

export type NavSection = 'home' | 'products' | 'years' | 'cves' | 'search' | 'none';

export interface LayoutView {
  title: string;
  description: string;
  canonical: string | null;
  preview: boolean;
  base: string;
  siteTitle: string;
  assets: { css: string; js: string; icon: string };
  /** The search page has its own form; a second one in the header would only confuse. */
  headerSearch: boolean;
  feeds: FeedLink[];
  nav: (Link & { current: boolean })[];
  searchHref: string;
  feedAtom: string;
  feedJson: string;
  cvesHref: string;
  ghsasHref: string;
  content: string;
}

/** What a page contributes to the layout. */
export interface PageFrame {
  /** Page title without the site's name. */
  title: string;
  description: string;
  /** Site path of the page, for its canonical link; null for pages that have none (404). */
  sitePath: string | null;
  section: NavSection;
  /** Feeds to announce in `<head>`; the global feeds when empty. */
  feeds?: FeedLink[];
  content: string;
}

/** A root-relative href for a site path. */
export function href(context: RenderContext, sitePath: string): string {
  return `${basePath(context.config)}${sitePath}`;
}

export function globalFeeds(context: RenderContext): FeedLink[] {
  const title = context.config.site.title;
  return [
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: href(context, fixedPaths.atom) },
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, href: href(context, fixedPaths.jsonFeed) },
  ];
}

export function layoutView(context: RenderContext, frame: PageFrame): LayoutView {
  const siteTitle = context.config.site.title;
  const nav: [NavSection, string, string][] = [
    ['home', fixedPaths.home, 'Advisories'],
    ['products', fixedPaths.products, 'Products'],
    ['years', fixedPaths.years, 'Years'],
    ['cves', fixedPaths.cves, 'CVEs'],
  ];
  return {
    title: frame.title === siteTitle ? siteTitle : `${frame.title} \u00b7 ${siteTitle}`,
    description: frame.description,
    canonical: frame.sitePath === null ? null : absoluteUrl(context.config, frame.sitePath),
    preview: context.preview,
    base: basePath(context.config),
    siteTitle,
    assets: { css: href(context, assets.css.sitePath), js: href(context, assets.js.sitePath), icon: href(context, assets.icon.sitePath) },
    headerSearch: frame.section !== 'search',
    feeds: frame.feeds && frame.feeds.length > 0 ? frame.feeds : globalFeeds(context),
    nav: nav.map(([section, sitePath, label]) => ({ href: href(context, sitePath), label, current: section === frame.section })),
    searchHref: href(context, fixedPaths.search),
    feedAtom: href(context, fixedPaths.atom),
    feedJson: href(context, fixedPaths.jsonFeed),
    cvesHref: href(context, fixedPaths.cves),
    ghsasHref: href(context, fixedPaths.ghsas),
    content: frame.content,
  };
}

/** An embargo still in force: only a preview build shows such a note. */
export function isEmbargoed(advisory: Advisory, now: Date): boolean {
  return advisory.embargo !== undefined && Date.parse(advisory.embargo) > now.getTime();
}

/** "OSSN-0007: Title" for notes, the title alone for blog posts. */
export function fullTitle(advisory: Advisory): string {
  return advisory.kind === 'note' ? `${advisory.id}: ${advisory.title}` : advisory.title;
}

export interface ItemView {
  href: string;
  id: string;
  showId: boolean;
  title: string;
  published: string;
  updated: string | null;
  severity: { slug: string; label: string } | null;
  status: { slug: string; label: string } | null;
  withdrawn: boolean;
  embargoed: boolean;
  summary: string;
  products: Link[];
}

/** One entry of a listing page. */
export function itemView(advisory: Advisory, summary: string, context: RenderContext): ItemView {
  const updated = lastUpdated(advisory);
  const products = new Map(productKeys(advisory).map(({ slug, label }) => [slug, { href: href(context, productPath(slug)), label }]));
  return {
    href: href(context, advisoryPath(advisory.slug)),
    id: advisory.id,
    showId: advisory.kind === 'note',
    title: advisory.title,
    published: advisory.date,
    updated: updated === advisory.date ? null : updated,
    severity: advisory.severity ? { slug: advisory.severity, label: severityLabels[advisory.severity] } : null,
    // Published is the normal case: only the others earn a badge.
    status: advisory.status === 'published' ? null : { slug: advisory.status, label: statusLabels[advisory.status] },
    withdrawn: advisory.status === 'withdrawn',
    embargoed: isEmbargoed(advisory, context.now),
    summary,
    products: [...products.values()],
  };
}

export interface DownloadView {
  href: string;
  label: string;
  name: string;
}

interface Notice {
  kind: 'withdrawn' | 'draft' | 'embargo';
  heading: string;
  text: string;
}

export interface AdvisoryView {
  id: string;
  showId: boolean;
  /** The advisory's former ids (`aliases`), shown beside its id: a search for one finds it. */
  formerIds: string[];
  title: string;
  withdrawn: boolean;
  notices: Notice[];
  severity: { slug: string; label: string; href: string } | null;
  status: { slug: string; label: string };
  published: string;
  /** The year of publication, the search page's year filter. */
  year: string;
  lastUpdated: string;
  revision: number;
  cvss: { score: string; vector: string }[];
  cves: { id: string; href: string }[];
  ghsas: { id: string; href: string }[];
  cwes: { id: string; href: string }[];
  authors: { name: string; affiliation: string | null }[];
  credits: string[];
  tags: string[];
  affected: {
    href: string;
    product: string;
    vendor: string;
    package: string | null;
    ecosystem: string;
    releases: string;
    versions: string;
    introduced: string | null;
    fixed: string | null;
  }[];
  /** The optional columns of the affected products' table that any row fills: a column every row leaves empty is left out. */
  affectedColumns: Record<'vendor' | 'package' | 'releases' | 'versions' | 'introduced' | 'fixed', boolean>;
  /**
   * The words of the details and affected products' tables, as search
   * metadata: the tables are left out of the text Pagefind indexes, so
   * that a result's excerpt comes from the advisory's prose, while their
   * ids, names and versions stay findable.
   */
  searchMeta: Record<'ids' | 'cve' | 'ghsa' | 'cwe' | 'authors' | 'credits' | 'tags' | 'affected', string>;
  bodyHtml: string;
  revisions: { number: number; date: string; summary: string }[];
  checklist: ChecklistView;
  references: { url: string; label: string; type: ReferenceType; typeLabel: string }[];
  downloads: DownloadView[];
}

const referenceLabels: Record<ReferenceType, string> = { bug: 'Bug', advisory: 'Advisory', article: 'Article', fix: 'Fix', web: 'Web' };

/** Only http(s) links leave the site; validation already refuses others, and this keeps it so. */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function notices(advisory: Advisory, context: RenderContext): Notice[] {
  const list: Notice[] = [];
  if (advisory.status === 'withdrawn') {
    list.push({ kind: 'withdrawn', heading: 'This advisory has been withdrawn.', text: advisory.withdrawnReason ?? '' });
  }
  if (advisory.status === 'draft') {
    list.push({ kind: 'draft', heading: 'Draft.', text: 'This note is not published; it appears only in this private preview.' });
  }
  if (advisory.embargo !== undefined && isEmbargoed(advisory, context.now)) {
    list.push({ kind: 'embargo', heading: 'Under embargo.', text: `Nothing about this note may be made public before ${advisory.embargo}.` });
  }
  return list;
}

/** Distinct words, in order of first appearance, as one line. */
function words(values: readonly (string | undefined)[]): string {
  return [...new Set(values.flatMap((value) => (value ?? '').split(/\s+/)).filter((word) => word !== ''))].join(' ');
}

/**
 * An id as readers type it besides its own spelling: its number without the
 * leading zeros, with the prefix and alone ("OSSN-0007" is also "OSSN-7"
 * and "7", so "OSSN-7" and "ossn 7" find it; "0007" is found through the
 * id itself). The number alone is a word of its own because Pagefind does
 * not index a one-character part of a compound word ("7" of "OSSN-7").
 */
function idForms(id: string): string[] {
  const match = /^(.*\D)0*(\d+)$/.exec(id);
  return match ? [id, `${match[1]}${match[2]}`, match[2]!] : [id];
}

function searchMeta(advisory: Advisory): AdvisoryView['searchMeta'] {
  return {
    // The former ids too: an old mail or bug report names the advisory by one of them.
    ids: advisory.kind === 'note' ? words([advisory.id, ...advisory.aliases].flatMap(idForms)) : '',
    cve: words(advisory.cve),
    ghsa: words(advisory.ghsa),
    cwe: words(advisory.cwe),
    authors: words(advisory.authors.flatMap((author) => [author.name, author.affiliation])),
    credits: words((advisory.credits ?? []).map(describeCredit)),
    tags: words(advisory.tags),
    affected: words(advisory.affects.flatMap((affected) => [affected.product, affected.vendor, affected.package, ...affected.releases, ...affected.versions, firstAffected(affected), affected.fixed])),
  };
}

export function advisoryView(advisory: Advisory, bodyHtml: string, downloads: DownloadView[], context: RenderContext): AdvisoryView {
  const dash = '\u2014';
  return {
    id: advisory.id,
    showId: advisory.kind === 'note',
    formerIds: advisory.aliases,
    title: advisory.title,
    withdrawn: advisory.status === 'withdrawn',
    notices: notices(advisory, context),
    severity: advisory.severity
      ? { slug: advisory.severity, label: severityLabels[advisory.severity], href: href(context, severityPath(advisory.severity)) }
      : null,
    status: { slug: advisory.status, label: statusLabels[advisory.status] },
    published: advisory.date,
    year: advisory.date.slice(0, 4),
    lastUpdated: lastUpdated(advisory),
    revision: currentRevision(advisory),
    cvss: (advisory.cvss ?? []).map((cvss) => ({ score: describeScore(cvss), vector: cvss.vector })),
    cves: advisory.cve.map((id) => ({ id, href: `https://www.cve.org/CVERecord?id=${encodeURIComponent(id)}` })),
    ghsas: advisory.ghsa.map((id) => ({ id, href: ghsaUrl(id) })),
    cwes: advisory.cwe.map((id) => ({ id, href: `https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html` })),
    authors: advisory.authors.map((author) => ({ name: author.name, affiliation: author.affiliation ?? null })),
    credits: (advisory.credits ?? []).map(describeCredit),
    tags: advisory.tags,
    affected: advisory.affects.map((affected) => ({
      href: href(context, productPath(slugify(affected.product))),
      product: affected.product,
      vendor: affected.vendor ?? dash,
      package: affected.package ?? null,
      ecosystem: affected.ecosystem,
      releases: affected.releases.join(', ') || dash,
      versions: affected.versions.join(', ') || dash,
      introduced: firstAffected(affected) ?? null,
      fixed: affected.fixed ?? null,
    })),
    affectedColumns: {
      vendor: advisory.affects.some((affected) => affected.vendor !== undefined),
      package: advisory.affects.some((affected) => affected.package !== undefined),
      releases: advisory.affects.some((affected) => affected.releases.length > 0),
      versions: advisory.affects.some((affected) => affected.versions.length > 0),
      introduced: advisory.affects.some((affected) => firstAffected(affected) !== undefined),
      fixed: advisory.affects.some((affected) => affected.fixed !== undefined),
    },
    searchMeta: searchMeta(advisory),
    bodyHtml,
    revisions: advisory.revisions.map(({ number, date, summary }) => ({ number, date, summary })),
    checklist: checklistView(advisory),
    references: advisory.references
      .filter((reference) => isWebUrl(reference.url))
      .map((reference) => ({ url: reference.url, label: reference.title ?? reference.url, type: reference.type, typeLabel: referenceLabels[reference.type] })),
    downloads,
  };
}
