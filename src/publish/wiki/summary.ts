/**
 * Edit summaries: each names the advisory and the revision it shows
 * ("as first published" or "UPDATE 2"), so the page history on the wiki
 * reads like the note's own history.
 */
import type { Advisory } from '../../model/types.ts';
import { currentRevision } from '../../model/types.ts';

// Summaries are shown as one line; MediaWiki cuts them at 500 characters.
const maxLength = 250;

function oneLine(text: string): string {
  // `[[…]]` in a summary becomes a link in the page history; note text is not meant as one.
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\[\[|\]\]/g, '').replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1).trimEnd()}…` : line;
}

export function advisorySummary(advisory: Advisory, overwrite: boolean): string {
  const revision = currentRevision(advisory);
  const latest = advisory.revisions.at(-1);
  const state = latest ? `UPDATE ${revision} (${latest.date}): ${latest.summary}` : `as first published (${advisory.date})`;
  const forced = overwrite ? ' [--force: replaces edits made on the wiki]' : '';
  return oneLine(`herald: ${advisory.id} ${state}`) + forced;
}

export function indexSummary(count: number, overwrite: boolean): string {
  const forced = overwrite ? ' [--force: replaces edits made on the wiki]' : '';
  return `herald: index of ${count} advisor${count === 1 ? 'y' : 'ies'}${forced}`;
}
