/**
 * What to do with one page, decided from the text herald would write, the
 * page as it is on the wiki, and what the ledger says herald wrote last.
 * Pure: `push.ts` reads the wiki and applies the decision.
 */
import { createHash } from 'node:crypto';
import type { WikiPage, WikiRevision } from './client.ts';
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

/** The wiki's spelling of an account: spaces for underscores, the first letter upper case. */
const accountName = (name: string) => {
  const spaced = name.replace(/_/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

/**
 * Whether a revision is an edit herald made: its summary is herald's, by
 * the account of `wiki.user` (`User@appid` for a bot password) when known.
 * The summary alone would not do (anyone may begin one with `herald: `):
 * the account is what tells, as only herald logs in with it. A change tag
 * would need registering on each wiki and a grant to apply it, and would
 * not tell a person using herald's account apart either. This only names
 * who made an edit and recognises a lost edit (with its exact text, summary
 * and parent, `lost-edit.ts`); whether a page is updated or in conflict
 * rests on the ledger's revision id and text hash alone (`decide`).
 */
export function isHeraldRevision(revision: WikiRevision, wikiUser: string | undefined): boolean {
  if (!revision.comment.startsWith('herald: ')) return false;
  if (!wikiUser) return true;
  const at = wikiUser.lastIndexOf('@');
  return accountName(revision.user) === accountName(at > 0 ? wikiUser.slice(0, at) : wikiUser);
}

/**
 * The reason of a conflict whose latest revision is herald's own edit but
 * not the one it recorded: the wiki merged herald's edit with another made
 * meanwhile. Names who made that other edit (`other`, the first revision
 * after herald's recorded one that herald did not make), never herald.
 */
export function reasonAfterOwnRevision(latest: WikiRevision, recorded: LedgerEntry, other: WikiRevision | undefined): string {
  const merged = `the latest revision, ${latest.id}, is herald's edit merged with it`;
  if (!other) {
    return `changed on the wiki after herald wrote revision ${recorded.revision_id}, by someone herald cannot name: the latest revision, ${latest.id}, is herald's own edit, not the one it recorded, and the page's history since names no other editor; check that history`;
  }
  return `edited on the wiki by ${other.user || 'someone whose name is hidden'} at ${other.timestamp} (revision ${other.id}) after herald wrote revision ${recorded.revision_id}; ${merged}`;
}
