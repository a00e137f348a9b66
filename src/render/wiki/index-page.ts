/**
 * The index page: every advisory, newest first, with its date, a link to
 * its page, its title and the software it affects, as the "Security Notes"
 * table on OpenStack's wiki. Split into a page per year when one page
 * would pass the wiki's size limit.
 */
import type { Advisory } from '../../model/types.ts';
import { lastUpdated } from '../../model/types.ts';
import { newestFirst } from '../../build/select.ts';
import { linesKey } from '../aggregate-key.ts';
import type { KeyedGroup, RenderContext } from '../types.ts';
import { generatedComment, previewBanner } from './banner.ts';
import { escapeText } from './escape.ts';
import { externalLink } from './link-target.ts';
import { advisoryPageName, indexPageName, indexWikiFile, yearIndexPageName, yearIndexWikiFile } from './page-name.ts';
import { wikiRowLines, wikiTableOfLines } from './table.ts';
import { RowMemo } from '../row-memo.ts';

function dateCell(advisory: Advisory): string {
  const updated = lastUpdated(advisory);
  return escapeText(updated === advisory.date ? advisory.date : `${advisory.date} (updated ${updated})`);
}

function titleCell(advisory: Advisory): string {
  return escapeText(advisory.status === 'withdrawn' ? `Withdrawn: ${advisory.title}` : advisory.title);
}

const products = (advisory: Advisory): string => [...new Set(advisory.affects.map((affected) => affected.product))].join(', ');

function affectedCell(advisory: Advisory): string {
  return escapeText(products(advisory));
}

/** Each advisory's row, kept between the builds of `serve --watch`. */
const rowsMemo = new RowMemo<string[]>();

/** One page of the index: its name on the wiki, where the build writes it, its text and how many advisories it lists. */
export interface WikiIndexPage {
  page: string;
  file: string;
  text: string;
  count: number;
  /** The year it lists, on a split index's year pages. */
  year?: string;
}

const indexTable = (rows: readonly (readonly string[])[]): string =>
  wikiTableOfLines({ className: 'wikitable sortable herald-index', header: ['Date', 'Advisory', 'Title', 'Affected software'] }, rows);

function page(context: RenderContext, what: string, intro: string, table: string): string {
  const parts = [generatedComment(what), context.preview ? previewBanner() : '', intro, table];
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}

/** The year an advisory is listed under in a split index: the year it was first published, as `{{year}}` in page names. */
const yearOf = (advisory: Advisory): string => advisory.date.slice(0, 4);

/**
 * The index pages: one page listing every advisory while it fits in
 * `wiki.max_page_kib` (MediaWiki's `$wgMaxArticleSize`, which refuses a
 * longer page); past that, a page of years linking to one page per year,
 * `<index_page>/<year>`.
 */
export function renderWikiIndex(advisories: readonly Advisory[], context: RenderContext): WikiIndexPage[] {
  return renderSorted([...advisories].sort(newestFirst), context);
}

/**
 * The index pages as the build's keyed group: its key is what the rows
 * show of each advisory (and their order), so an edit to a note's text
 * alone keeps the pages as they are without making 10,000 rows again.
 */
export function wikiIndexGroup(advisories: readonly Advisory[], context: RenderContext): KeyedGroup {
  const sorted = [...advisories].sort(newestFirst);
  const shown = sorted.map((advisory) => `${advisory.kind}\0${advisory.id}\0${advisory.slug}\0${advisory.date}\0${lastUpdated(advisory)}\0${advisory.status}\0${advisory.title}\0${products(advisory)}`);
  return {
    group: 'wiki-index',
    key: linesKey(shown),
    render: () => renderSorted(sorted, context).map((page) => ({ path: page.file, contents: page.text })),
  };
}

function renderSorted(sorted: readonly Advisory[], context: RenderContext): WikiIndexPage[] {
  const { config } = context;
  // A row depends on the config only through its page name.
  const key = `${config.wiki.page_name}\0${config.ids.prefix}`;
  // Page names hold no `|` or `]` (the config schema refuses them), so they sit safely in a link.
  const rows = sorted.map((advisory) =>
    rowsMemo.get(advisory, key, () => wikiRowLines({ cells: [dateCell(advisory), `[[${advisoryPageName(advisory, config)}|${escapeText(advisory.id)}]]`, titleCell(advisory), affectedCell(advisory)] })),
  );
  const title = escapeText(config.site.title);
  const archive = `The full archive is at ${externalLink(config.site.base_url, escapeText(config.site.base_url))}.`;
  const indexPage = indexPageName(config);
  const whole = page(context, 'the list of advisories', `Security notes published by ${title}, newest first. ${archive}`, indexTable(rows));
  if (Buffer.byteLength(whole) <= config.wiki.max_page_kib * 1024) return [{ page: indexPage, file: indexWikiFile, text: whole, count: sorted.length }];

  const years = new Map<string, (readonly string[])[]>();
  sorted.forEach((advisory, index) => {
    const year = yearOf(advisory);
    const list = years.get(year) ?? years.set(year, []).get(year)!;
    list.push(rows[index]!);
  });
  const yearPages = [...years].map(([year, yearRows]): WikiIndexPage => ({
    year,
    page: yearIndexPageName(config, year),
    file: yearIndexWikiFile(year),
    count: yearRows.length,
    text: page(context, `the list of advisories of ${year}`, `Security notes first published by ${title} in ${year}, newest first. All years: [[${indexPage}]]. ${archive}`, indexTable(yearRows)),
  }));
  const yearRows = yearPages.map((yearPage) => wikiRowLines({ cells: [`[[${yearPage.page}|${yearPage.year}]]`, String(yearPage.count)] }));
  const intro = `Security notes published by ${title}: ${sorted.length} advisor${sorted.length === 1 ? 'y' : 'ies'}, listed by the year each was first published (one page would be longer than the wiki accepts). ${archive}`;
  const yearsTable = wikiTableOfLines({ className: 'wikitable herald-index-years', header: ['Year', 'Advisories'] }, yearRows);
  return [{ page: indexPage, file: indexWikiFile, text: page(context, 'the list of advisories', intro, yearsTable), count: sorted.length }, ...yearPages];
}
