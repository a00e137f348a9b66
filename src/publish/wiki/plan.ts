/**
 * What to do with one page, decided from the text herald would write, the
 * page as it is on the wiki, and what the ledger says herald wrote last.
 * Pure: `push.ts` reads the wiki and applies the decision.
 */
import { createHash } from 'node:crypto';
import type { WikiPage } from './client.ts';
import type { LedgerEntry } from './ledger.ts';

export type PageDecision =
  | { action: 'create' }
  | { action: 'update'; overwrite: boolean }
  | { action: 'unchanged' }
  | { action: 'conflict'; reason: string };

/**
 * The wiki stores text NFC-normalized, with trailing whitespace and `\r`
 * removed: two texts that differ only so are the same page.
 */
const normalize = (text: string) => text.normalize('NFC').replace(/\r\n?/g, '\n').trimEnd();

export function sameWikiText(a: string, b: string): boolean {
  return normalize(a) === normalize(b);
}

/** sha256 of a page text as the wiki stores it, kept in the ledger. */
export function wikiTextHash(text: string): string {
  return createHash('sha256').update(normalize(text), 'utf8').digest('hex');
}

export function decide(desired: string, current: WikiPage, recorded: LedgerEntry | undefined, force: boolean): PageDecision {
  const latest = current.revision;
  if (!current.exists || !latest) {
    if (recorded && !force) return { action: 'conflict', reason: `the page was deleted after herald wrote revision ${recorded.revision_id}` };
    return { action: 'create' };
  }
  if (sameWikiText(latest.text, desired)) return { action: 'unchanged' };
  // Protecting or moving a page adds a revision with the same text: that is not an edit by hand.
  if (recorded && (recorded.revision_id === latest.id || recorded.sha256 === wikiTextHash(latest.text))) return { action: 'update', overwrite: false };
  if (force) return { action: 'update', overwrite: true };
  const change = `${latest.user || 'someone'} at ${latest.timestamp} (revision ${latest.id})`;
  return {
    action: 'conflict',
    reason: recorded
      ? `edited on the wiki by ${change} after herald wrote revision ${recorded.revision_id}`
      : `the page exists and herald has no record of writing it; last edited by ${change}`,
  };
}
