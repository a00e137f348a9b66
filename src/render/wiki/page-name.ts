/**
 * Wiki page names. The config's `page_name` has placeholders only (checked
 * by the config schema), so a name can never hold characters MediaWiki
 * refuses in titles.
 */
import type { Config } from '../../config/schema.ts';
import { headingIdPrefix } from '../../markdown/heading-ids.ts';
import type { Advisory } from '../../model/types.ts';
import { checkAnchor } from '../../model/verify-ids.ts';

/** The page of one advisory, e.g. `OSSN/OSSN-0007`. */
export function advisoryPageName(advisory: Pick<Advisory, 'id' | 'slug' | 'date'>, config: Config): string {
  const values: Record<string, string> = {
    id: advisory.id,
    slug: advisory.slug,
    prefix: config.ids.prefix,
    year: advisory.date.slice(0, 4),
  };
  return config.wiki.page_name.replace(/\{\{(id|slug|prefix|year)\}\}/g, (_, name: string) => values[name]!);
}

/** The page listing every advisory. */
export function indexPageName(config: Config): string {
  return config.wiki.index_page;
}

/** The index page of one year, when the index is split by year: a subpage of the index, e.g. `Security_Notes/2014`. */
export function yearIndexPageName(config: Config, year: string): string {
  return `${indexPageName(config)}/${year}`;
}

/** Where the build writes an advisory's wikitext, relative to the output root. */
export const advisoryWikiFile = (advisory: Pick<Advisory, 'id'>): string => `wiki/${advisory.id}.wiki`;

export const indexWikiFile = 'wiki/index.wiki';

/** Where the build writes the index page of one year, when the index is split by year. */
export const yearIndexWikiDir = 'wiki/index';
export const yearIndexWikiFile = (year: string): string => `${yearIndexWikiDir}/${year}.wiki`;

/** The year of a year's index file (`yearIndexWikiFile`), or undefined for any other file name. */
export const yearOfIndexFile = (name: string): string | undefined => /^(\d{4})\.wiki$/.exec(name)?.[1];

/**
 * The wiki page of the advisory whose page on the site `url` is (a note's
 * link to another note), or undefined for any other URL, and when the page
 * name needs the advisory's year, which the URL does not say. A fragment
 * the wiki page has too (a heading's id, `section-discussion`, or a
 * check's, `check-<id>`) follows the name; any other leads to the page.
 */
export function advisoryPageOfUrl(url: string, config: Config, sitePages: string): string | undefined {
  if (!url.startsWith(sitePages) || config.wiki.page_name.includes('{{year}}')) return undefined;
  const [, slug, fragment] = /^([^/?#]+)\/(?:#(.*))?$/.exec(url.slice(sitePages.length)) ?? [];
  if (slug === undefined) return undefined;
  const name = advisoryPageName({ id: decodeURIComponent(slug), slug: decodeURIComponent(slug), date: '' }, config);
  // Characters MediaWiki refuses in a title (a post's file name might hold one): keep the link to the site.
  if (refusedInTitle.test(name)) return undefined;
  const anchor = fragment === undefined ? undefined : decoded(fragment);
  return anchor !== undefined && wikiPageIds.test(anchor) && !refusedInTitle.test(anchor) ? `${name}#${anchor}` : name;
}

const refusedInTitle = /[#<>[\]|{}\u0000-\u001f]/;

/** The ids a note's wiki page shares with its page on the site. */
const wikiPageIds = new RegExp(`^(?:${headingIdPrefix}|${checkAnchor('')})`);

function decoded(fragment: string): string | undefined {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
}
