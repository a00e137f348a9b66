/** The revision history: the original publication, then each UPDATE in order. */
import type { Advisory } from '../../model/types.ts';
import { escapeText } from './escape.ts';

export function historySection(advisory: Advisory): string {
  const lines = [`* ${escapeText(advisory.date)}: Original publication.`];
  for (const revision of advisory.revisions) {
    lines.push(`* ${escapeText(revision.date)}: '''UPDATE ${revision.number}:''' ${escapeText(revision.summary)}`);
  }
  return `== Revision history ==\n\n${lines.join('\n')}`;
}
