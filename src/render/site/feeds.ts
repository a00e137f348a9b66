/**
 * Atom and JSON Feed, global and per product. Each publication and each
 * revision of an advisory is its own entry, marked NEW, UPDATED or (the
 * newest revision of a withdrawn advisory) WITHDRAWN, so a
 * reader that pipes the feed into chat sees every update, not only the
 * first. A feed keeps the newest 10 entries or every entry of the last 8
 * days, whichever is more: a burst of updates is never cut short.
 */
import type { Advisory } from '../../model/types.ts';
import type { RenderContext } from '../types.ts';
import { productKeys } from './facets.ts';
import { absoluteUrl, advisoryPath } from './urls.ts';
import { fullTitle } from './views.ts';
import { escapeXml } from './xml.ts';

/** The fewest entries a feed keeps, however old. */
export const minimumEntries = 10;
/** Every entry at most this many days old is kept, however many there are. */
export const windowDays = 8;

export interface FeedEvent {
  advisory: Advisory;
  /** 0 for the publication, n for UPDATE n. */
  revision: number;
  /** YYYY-MM-DD of the event. */
  date: string;
  kind: 'new' | 'updated';
  /** What the revision changed; null for the publication. */
  change: string | null;
}

/** Every publication and revision of the advisories, newest first. */
export function feedEvents(advisories: readonly Advisory[]): FeedEvent[] {
  const events: FeedEvent[] = advisories.flatMap((advisory) => [
    { advisory, revision: 0, date: advisory.date, kind: 'new' as const, change: null },
    ...advisory.revisions.map((revision) => ({ advisory, revision: revision.number, date: revision.date, kind: 'updated' as const, change: revision.summary })),
  ]);
  return events.sort(
    (a, b) =>
      (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) ||
      b.revision - a.revision ||
      (a.advisory.id < b.advisory.id ? 1 : a.advisory.id > b.advisory.id ? -1 : 0),
  );
}

/** The entries a feed keeps: the newest `minimumEntries`, or all of the last `windowDays` days if more. */
export function retainedEvents(events: readonly FeedEvent[], now: Date): FeedEvent[] {
  const cutoff = new Date(now.getTime() - windowDays * 86_400_000).toISOString().slice(0, 10);
  const recent = events.filter((event) => event.date >= cutoff).length;
  return events.slice(0, Math.max(minimumEntries, recent));
}

export interface FeedSpec {
  title: string;
  description: string;
  /** Site paths of the page the feed follows and of the two feed files. */
  pagePath: string;
  atomPath: string;
  jsonPath: string;
  advisories: readonly Advisory[];
}

/** Per-advisory text the feeds need, computed once per build (the summary is a sanitizer pass). */
export interface FeedTexts {
  summaryText(advisory: Advisory): string;
  summaryHtml(advisory: Advisory): string;
}

const dateTime = (date: string): string => `${date}T00:00:00Z`;

/** One entry of a feed, as both of its files show it. */
export interface FeedEntry {
  id: string;
  url: string;
  title: string;
  published: string;
  updated: string;
  marker: 'NEW' | 'UPDATED' | 'WITHDRAWN';
  summary: string;
  contentHtml: string;
  authors: string[];
  products: { slug: string; label: string }[];
}

function entryOf(event: FeedEvent, context: RenderContext, texts: FeedTexts): FeedEntry {
  const { advisory } = event;
  const page = absoluteUrl(context.config, advisoryPath(advisory.slug));
  const url = event.revision === 0 ? page : `${page}#update-${event.revision}`;
  // The newest update of a withdrawn advisory announced its withdrawal, as its mail says (WITHDRAWN:); the other entries say "(withdrawn)".
  const withdrawal = advisory.status === 'withdrawn' && event.revision > 0 && event.revision === advisory.revisions.at(-1)?.number;
  const marker = withdrawal ? 'WITHDRAWN' : event.kind === 'new' ? 'NEW' : 'UPDATED';
  const withdrawn = advisory.status === 'withdrawn' && !withdrawal ? ' (withdrawn)' : '';
  const update = event.revision === 0 ? '' : ` (UPDATE ${event.revision})`;
  const change = event.change === null ? '' : `<p><strong>UPDATE ${event.revision} (${event.date}):</strong> ${escapeXml(event.change)}</p>`;
  const reason = advisory.status === 'withdrawn' ? `<p><strong>Withdrawn:</strong> ${escapeXml(advisory.withdrawnReason ?? '')}</p>` : '';
  return {
    // The publication's id is the page URL forever; each update gets its own id so readers show it.
    id: url,
    url,
    title: `[${marker}] ${fullTitle(advisory)}${update}${withdrawn}`,
    published: dateTime(advisory.date),
    updated: dateTime(event.date),
    marker,
    summary: event.change ?? texts.summaryText(advisory),
    contentHtml: `${reason}${change}${texts.summaryHtml(advisory)}<p><a href="${escapeXml(url)}">Read the full advisory</a></p>`,
    authors: advisory.authors.map((author) => author.name),
    products: productKeys(advisory),
  };
}

function feedTitle(spec: FeedSpec, context: RenderContext): string {
  return `${context.preview ? '[PRIVATE PREVIEW] ' : ''}${spec.title}`;
}

/** `updated` of a feed: its newest entry, so an unchanged feed stays byte-identical. */
function feedUpdated(entries: readonly FeedEntry[], context: RenderContext): string {
  return entries[0]?.updated ?? `${context.now.toISOString().slice(0, 19)}Z`;
}

/** The entries a feed keeps, newest first: made once, for both of its files. */
export function feedEntries(spec: FeedSpec, context: RenderContext, texts: FeedTexts): FeedEntry[] {
  return retainedEvents(feedEvents(spec.advisories), context.now).map((event) => entryOf(event, context, texts));
}

/** The advisories of the entries a feed keeps, each once, newest first. */
export function feedMembers(advisories: readonly Advisory[], now: Date): Advisory[] {
  return [...new Set(retainedEvents(feedEvents(advisories), now).map((event) => event.advisory))];
}

export function atomFeed(spec: FeedSpec, entries: readonly FeedEntry[], context: RenderContext): string {
  const self = absoluteUrl(context.config, spec.atomPath);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(self)}</id>`,
    `  <title>${escapeXml(feedTitle(spec, context))}</title>`,
    `  <subtitle>${escapeXml(spec.description)}</subtitle>`,
    `  <updated>${feedUpdated(entries, context)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(context.config, spec.pagePath))}"/>`,
    `  <author><name>${escapeXml(context.config.site.title)}</name></author>`,
    '  <generator>herald</generator>',
  ];
  for (const entry of entries) {
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(entry.id)}</id>`,
      `    <title>${escapeXml(entry.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(entry.url)}"/>`,
      `    <published>${entry.published}</published>`,
      `    <updated>${entry.updated}</updated>`,
      ...entry.authors.map((name) => `    <author><name>${escapeXml(name)}</name></author>`),
      `    <category term="${entry.marker.toLowerCase()}" label="${entry.marker}"/>`,
      ...entry.products.map((product) => `    <category term="${escapeXml(product.slug)}" label="${escapeXml(product.label)}"/>`),
      `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
      `    <content type="html">${escapeXml(entry.contentHtml)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). */
export function jsonFeed(spec: FeedSpec, entries: readonly FeedEntry[], context: RenderContext): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feedTitle(spec, context),
    description: spec.description,
    home_page_url: absoluteUrl(context.config, spec.pagePath),
    feed_url: absoluteUrl(context.config, spec.jsonPath),
    language: 'en',
    authors: [{ name: context.config.site.title }],
    items: entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      summary: entry.summary,
      content_html: entry.contentHtml,
      date_published: entry.published,
      date_modified: entry.updated,
      ...(entry.authors.length > 0 ? { authors: entry.authors.map((name) => ({ name })) } : {}),
      tags: [entry.marker, ...entry.products.map((product) => product.label)],
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
