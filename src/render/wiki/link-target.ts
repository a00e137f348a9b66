/**
 * Where a link in a note may point on the wiki: http(s) and mailto URLs,
 * with relative ones resolved against the advisory's page on the site.
 * Anything else (`javascript:`, `data:`, `file:`) is not a link at all.
 */
import { escapeUrl } from './escape.ts';
import { fragmentOf, headingIdPrefix } from '../../markdown/heading-ids.ts';
import type { WikitextOptions } from './compile.ts';

const linkableProtocols = new Set(['http:', 'https:', 'mailto:']);

/** The absolute URL a link in a note points at, or `undefined` when it must not be a link. */
export function resolveLinkTarget(url: string, baseUrl: string): string | undefined {
  // An empty URL is what sanitizing leaves of a `javascript:` link: not a link to the page itself.
  if (url.trim() === '') return undefined;
  try {
    const resolved = new URL(url, baseUrl);
    return linkableProtocols.has(resolved.protocol) ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

/** `[url text]`, an external link; `text` is wikitext already escaped. */
export function externalLink(url: string, text: string): string {
  return `[${escapeUrl(url)} ${text}]`;
}

/** `[[page|text]]`, a link to another page of the wiki; `text` is wikitext already escaped. */
export function internalLink(page: string, text: string): string {
  return `[[${page}|${text}]]`;
}

/**
 * `[[#section-discussion|text]]` for a link to a heading of the note, by
 * GitHub's fragment (`#discussion`) or by the heading's id, or undefined.
 */
export function headingLink(url: string, text: string, options: WikitextOptions): string | undefined {
  const fragment = fragmentOf(url);
  const ids = options.headingIds;
  if (fragment === undefined || ids === undefined) return undefined;
  const id = ids.ofSlug.get(fragment) ?? (fragment.startsWith(headingIdPrefix) && ids.ofSlug.get(fragment.slice(headingIdPrefix.length)) === fragment ? fragment : undefined);
  return id === undefined ? undefined : internalLink(`#${id}`, text);
}
