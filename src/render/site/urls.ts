/**
 * The site's URL scheme, in one place. Every page lives in a folder with an
 * `index.html`, so URLs end in `/` and never change with the hosting: an
 * advisory is `/advisories/<slug>/` forever. Links are root-relative under
 * the base path of `site.base_url`, so a site hosted at
 * `https://example.org/security/` links to `/security/advisories/...`.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config/schema.ts';

/** Where the site's files go, relative to the build's output root. */
export const siteRoot = 'site';

/** URL paths (without the base path) of the site's fixed pages and files. */
export const fixedPaths = {
  home: '',
  products: 'products/',
  years: 'years/',
  cves: 'cve/',
  ghsas: 'ghsa/',
  search: 'search/',
  notFound: '404.html',
  atom: 'feed.xml',
  jsonFeed: 'feed.json',
  filterIndex: 'advisories.json',
  sitemap: 'sitemap.xml',
} as const;

/**
 * The base path and URL of each `site.base_url`: every link on a page needs
 * them, and parsing a URL for each is a good part of a page's work.
 */
const bases = new Map<string, { path: string; url: URL }>();

function baseOf(config: Config): { path: string; url: URL } {
  const baseUrl = config.site.base_url;
  let base = bases.get(baseUrl);
  if (base === undefined) {
    const pathname = new URL(baseUrl).pathname;
    const path = pathname.endsWith('/') ? pathname : `${pathname}/`;
    base = { path, url: new URL(path, baseUrl) };
    bases.set(baseUrl, base);
  }
  return base;
}

/** The path part of `site.base_url`, always ending in `/`, e.g. `/` or `/security/`. */
export function basePath(config: Config): string {
  return baseOf(config).path;
}

/**
 * A relative path the URL parser would leave as it is: segments of
 * unreserved characters, none of them `.` or `..` (nor starting with a dot).
 */
const plainPath = /^(?:[\w~-][\w.~-]*\/)*(?:[\w~-][\w.~-]*)?$/;

/** Absolute URL of a site path, for feeds, sitemaps and canonical links. */
export function absoluteUrl(config: Config, sitePath: string): string {
  const base = baseOf(config).url;
  // The sitemap asks for one per page: a plain path is appended, not parsed.
  return plainPath.test(sitePath) ? base.href + sitePath : new URL(sitePath, base).href;
}

/**
 * A URL segment for a facet value: lower case, accents folded, anything
 * else a dash. "OpenStack Compute (Nova)" becomes `openstack-compute-nova`.
 * A slug longer than `maxSlugLength` is cut at a dash and ends in a hash of
 * the whole value, so that it stays a legal folder name (file systems
 * refuse names over 255 bytes) and two long values still differ.
 */
export function slugify(value: string): string {
  const slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxSlugLength) return slug || 'other';
  const head = slug.slice(0, maxSlugLength - 9);
  const cut = head.lastIndexOf('-');
  return `${cut > maxSlugLength / 2 ? head.slice(0, cut) : head}-${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;
}

/** The longest slug `slugify` makes. */
export const maxSlugLength = 80;

export const advisoryPath = (slug: string): string => `advisories/${slug}/`;

/** An advisory page's file, relative to the output root. */
export function advisoryPageFile(slug: string): string {
  return `${siteRoot}/${advisoryPath(slug)}index.html`;
}
export const productPath = (productSlug: string): string => `products/${productSlug}/`;
export const yearPath = (year: string): string => `years/${year}/`;
export const severityPath = (severity: string): string => `severity/${severity}/`;
export const statusPath = (status: string): string => `status/${status}/`;

/** Page `n` (1-based) of a paginated listing rooted at `listPath`. */
export function pagePath(listPath: string, page: number): string {
  return page <= 1 ? listPath : `${listPath}page/${page}/`;
}

/** The file that serves a URL path: folders get their `index.html`. */
export function outputPathFor(sitePath: string): string {
  const file = sitePath === '' || sitePath.endsWith('/') ? `${sitePath}index.html` : sitePath;
  return `${siteRoot}/${file}`;
}
