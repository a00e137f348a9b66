/**
 * What crawlers read: `sitemap.xml` (absolute URLs from `site.base_url`,
 * each with its last change; a sitemap index of parts past 50,000 pages)
 * and `robots.txt`. A private preview tells
 * every crawler to stay out.
 */
import { linesKey } from '../aggregate-key.ts';
import type { KeyedGroup, RenderContext, OutputFile } from '../types.ts';
import { fixedPaths, absoluteUrl, siteRoot } from './urls.ts';
import { escapeXml } from './xml.ts';

export interface SitemapEntry {
  sitePath: string;
  /** YYYY-MM-DD of the page's last change, when it has one. */
  lastModified: string | null;
}

/** The sitemaps protocol's limits for one file: 50,000 URLs and 50 MiB uncompressed. */
export const sitemapLimits = { urls: 50_000, bytes: 50 * 1024 * 1024 };

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>';
const sitemapNamespace = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** The part files of a sitemap too large for one: `sitemap-1.xml`, `sitemap-2.xml`, … */
export const sitemapPartPath = (part: number): string => fixedPaths.sitemap.replace(/\.xml$/, `-${part}.xml`);

/**
 * `sitemap.xml`: every page, sorted by path. Past the protocol's limits for
 * one file, the pages go into parts of at most 50,000 URLs and 50 MiB, and
 * `sitemap.xml` becomes the sitemap index that lists them (robots.txt and
 * search consoles keep the one address).
 */
export function sitemapFiles(entries: readonly SitemapEntry[], context: RenderContext): OutputFile[] {
  const sorted = [...entries].sort((a, b) => (a.sitePath < b.sitePath ? -1 : a.sitePath > b.sitePath ? 1 : 0));
  const lastmod = (date: string | null) => (date ? `<lastmod>${date}</lastmod>` : '');
  const urls = sorted.map((entry) => `  <url><loc>${escapeXml(absoluteUrl(context.config, entry.sitePath))}</loc>${lastmod(entry.lastModified)}</url>`);
  const urlset = (lines: readonly string[]) => [xmlHead, `<urlset xmlns="${sitemapNamespace}">`, ...lines, '</urlset>', ''].join('\n');
  // Room for the head and the closing tag, whatever the part.
  const bodyBytes = sitemapLimits.bytes - Buffer.byteLength(urlset([]));
  const parts: { lines: string[]; bytes: number; newest: string | null }[] = [];
  urls.forEach((line, index) => {
    const size = Buffer.byteLength(line) + 1;
    let part = parts.at(-1);
    if (!part || part.lines.length === sitemapLimits.urls || part.bytes + size > bodyBytes) parts.push((part = { lines: [], bytes: 0, newest: null }));
    part.lines.push(line);
    part.bytes += size;
    const changed = sorted[index]!.lastModified;
    if (changed && (!part.newest || changed > part.newest)) part.newest = changed;
  });
  if (parts.length <= 1) return [{ path: `${siteRoot}/${fixedPaths.sitemap}`, contents: urlset(parts[0]?.lines ?? []) }];
  const index = parts.map((part, i) => `  <sitemap><loc>${escapeXml(absoluteUrl(context.config, sitemapPartPath(i + 1)))}</loc>${lastmod(part.newest)}</sitemap>`);
  return [
    { path: `${siteRoot}/${fixedPaths.sitemap}`, contents: [xmlHead, `<sitemapindex xmlns="${sitemapNamespace}">`, ...index, '</sitemapindex>', ''].join('\n') },
    ...parts.map((part, i) => ({ path: `${siteRoot}/${sitemapPartPath(i + 1)}`, contents: urlset(part.lines) })),
  ];
}

/** The sitemap as the build's keyed group: made again only when a page comes, goes or changes its date. */
export function sitemapGroup(entries: readonly SitemapEntry[], context: RenderContext): KeyedGroup {
  const key = linesKey(entries.map((entry) => `${entry.sitePath}\0${entry.lastModified ?? ''}`));
  return { group: 'sitemap', key, render: () => sitemapFiles(entries, context) };
}

/** robots.txt lives at the host's root whatever the base path; hosts with a base path must copy it there. */
export function robots(context: RenderContext): OutputFile {
  const text = context.preview
    ? ['# Private preview: not for publication.', 'User-agent: *', 'Disallow: /', '']
    : ['User-agent: *', 'Allow: /', '', `Sitemap: ${absoluteUrl(context.config, fixedPaths.sitemap)}`, ''];
  return { path: `${siteRoot}/robots.txt`, contents: text.join('\n') };
}
