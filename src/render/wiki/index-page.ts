/**
 * The index page: every advisory, newest first, with its date, a link to
 * its page, its title and the software it affects, as the "Security Notes"
 * table on OpenStack's wiki.
 */
import type { Advisory } from '../../model/types.ts';
import { lastUpdated } from '../../model/types.ts';
import { newestFirst } from '../../build/select.ts';
import type { RenderContext } from '../types.ts';
import { generatedComment, previewBanner } from './banner.ts';
import { escapeText } from './escape.ts';
import { externalLink } from './link-target.ts';
import { advisoryPageName } from './page-name.ts';
import { wikiRowLines, wikiTableOfLines } from './table.ts';
import { RowMemo } from '../row-memo.ts';

function dateCell(advisory: Advisory): string {
  const updated = lastUpdated(advisory);
  return escapeText(updated === advisory.date ? advisory.date : `${advisory.date} (updated ${updated})`);
}

function titleCell(advisory: Advisory): string {
  return escapeText(advisory.status === 'withdrawn' ? `Withdrawn: ${advisory.title}` : advisory.title);
}

function affectedCell(advisory: Advisory): string {
  return escapeText([...new Set(advisory.affects.map((affected) => affected.product))].join(', '));
}

/** Each advisory's row, kept between the builds of `serve --watch`. */
const rowsMemo = new RowMemo<string[]>();

export function renderWikiIndex(advisories: readonly Advisory[], context: RenderContext): string {
  const { config } = context;
  const sorted = [...advisories].sort(newestFirst);
  // A row depends on the config only through its page name.
  const key = `${config.wiki.page_name}\0${config.ids.prefix}`;
  // Page names hold no `|` or `]` (the config schema refuses them), so they sit safely in a link.
  const rows = sorted.map((advisory) =>
    rowsMemo.get(advisory, key, () => wikiRowLines({ cells: [dateCell(advisory), `[[${advisoryPageName(advisory, config)}|${escapeText(advisory.id)}]]`, titleCell(advisory), affectedCell(advisory)] })),
  );
  const intro = `Security notes published by ${escapeText(config.site.title)}, newest first. The full archive is at ${externalLink(config.site.base_url, escapeText(config.site.base_url))}.`;
  const parts = [
    generatedComment('the list of advisories'),
    context.preview ? previewBanner() : '',
    intro,
    wikiTableOfLines({ className: 'wikitable sortable herald-index', header: ['Date', 'Advisory', 'Title', 'Affected software'] }, rows),
  ];
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}
