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
import { wikiTable } from './table.ts';

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

export function renderWikiIndex(advisories: readonly Advisory[], context: RenderContext): string {
  const { config } = context;
  const sorted = [...advisories].sort(newestFirst);
  // Page names hold no `|` or `]` (the config schema refuses them), so they sit safely in a link.
  const rows = sorted.map((advisory) => ({
    cells: [dateCell(advisory), `[[${advisoryPageName(advisory, config)}|${escapeText(advisory.id)}]]`, titleCell(advisory), affectedCell(advisory)],
  }));
  const intro = `Security notes published by ${escapeText(config.site.title)}, newest first. The full archive is at ${externalLink(config.site.base_url, escapeText(config.site.base_url))}.`;
  const parts = [
    generatedComment('the list of advisories'),
    context.preview ? previewBanner() : '',
    intro,
    wikiTable({ className: 'wikitable sortable herald-index', header: ['Date', 'Advisory', 'Title', 'Affected software'], rows }),
  ];
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}
