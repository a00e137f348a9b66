/**
 * Wiki page names. The config's `page_name` has placeholders only (checked
 * by the config schema), so a name can never hold characters MediaWiki
 * refuses in titles.
 */
import type { Config } from '../../config/schema.ts';
import type { Advisory } from '../../model/types.ts';

/** The page of one advisory, e.g. `OSSN/OSSN-0007`. */
export function advisoryPageName(advisory: Advisory, config: Config): string {
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
