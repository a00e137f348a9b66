/**
 * What crawlers read: `sitemap.xml` (absolute URLs from `site.base_url`,
 * each with its last change) and `robots.txt`. A private preview tells
 * every crawler to stay out.
 */
import type { RenderContext, OutputFile } from '../types.ts';
import { fixedPaths, absoluteUrl, siteRoot } from './urls.ts';
import { escapeXml } from './xml.ts';

export interface SitemapEntry {
  sitePath: string;
  /** YYYY-MM-DD of the page's last change, when it has one. */
  lastModified: string | null;
}

export function sitemap(entries: readonly SitemapEntry[], context: RenderContext): OutputFile {
  const urls = [...entries]
    .sort((a, b) => (a.sitePath < b.sitePath ? -1 : a.sitePath > b.sitePath ? 1 : 0))
    .map((entry) => {
      const lastmod = entry.lastModified ? `<lastmod>${entry.lastModified}</lastmod>` : '';
      return `  <url><loc>${escapeXml(absoluteUrl(context.config, entry.sitePath))}</loc>${lastmod}</url>`;
    });
  const xml = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, '</urlset>', ''].join('\n');
  return { path: `${siteRoot}/${fixedPaths.sitemap}`, contents: xml };
}

/** robots.txt lives at the host's root whatever the base path; hosts with a base path must copy it there. */
export function robots(context: RenderContext): OutputFile {
  const text = context.preview
    ? ['# Private preview: not for publication.', 'User-agent: *', 'Disallow: /', '']
    : ['User-agent: *', 'Allow: /', '', `Sitemap: ${absoluteUrl(context.config, fixedPaths.sitemap)}`, ''];
  return { path: `${siteRoot}/robots.txt`, contents: text.join('\n') };
}
