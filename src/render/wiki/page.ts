/**
 * An advisory's wiki page: notices, the metadata table, the note's body,
 * the remediation checklist and the revision history. The text depends on
 * the advisory and the config only (never on the clock), so pushing an
 * unchanged note finds an unchanged page.
 */
import type { Advisory } from '../../model/types.ts';
import type { RenderContext } from '../types.ts';
import { absoluteUrl, advisoryPath } from '../site/urls.ts';
import { generatedComment, previewBanner, withdrawnBanner } from './banner.ts';
import { checklistSection } from './checklist.ts';
import { mdastToWikitext } from './compile.ts';
import { presentedBody } from '../../model/file-labels.ts';
import { headingIds } from '../../markdown/heading-ids.ts';
import { endnotes } from '../../model/endnotes.ts';
import { withCheckLinks } from '../../model/verify-ids.ts';
import { historySection } from './history.ts';
import { metadataTable } from './metadata.ts';
import { advisoryPageOfUrl } from './page-name.ts';

export function renderWikiPage(advisory: Advisory, context: RenderContext): string {
  const pageUrl = absoluteUrl(context.config, advisoryPath(advisory.slug));
  // Relative links in the note resolve against its page on the site.
  const sitePages = absoluteUrl(context.config, 'advisories/');
  const options = { code: context.config.wiki.code, baseUrl: pageUrl, wikiPageOf: (url: string) => advisoryPageOfUrl(url, context.config, sitePages), headingIds: headingIds(advisory.body) };
  const { body: text, notes } = endnotes(withCheckLinks(presentedBody(advisory.body), advisory.verify), 'reference');
  const body = mdastToWikitext(text, options);
  const parts = [
    generatedComment(`advisory ${advisory.id}`),
    context.preview ? previewBanner() : '',
    advisory.status === 'withdrawn' ? withdrawnBanner(advisory) : '',
    metadataTable(advisory, pageUrl),
    body,
    notes.length > 0 ? `== Footnotes ==\n\n${mdastToWikitext({ type: 'root', children: notes }, options)}` : '',
    checklistSection(advisory),
    historySection(advisory),
  ];
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}
