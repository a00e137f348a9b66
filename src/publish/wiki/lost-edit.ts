/**
 * An edit whose answer was lost may have been saved. herald sends it again
 * (in a new session, `client.ts`), and then the wiki refuses a create with
 * `articleexists`, an update with `editconflict`, or takes the update for no
 * change: the page holds the lost edit. Whether the page's latest revision
 * is that edit, decided here (pure): herald's text, saved by herald's account
 * with the summary herald sent, straight over the revision herald read (or
 * as the page's first revision). Anything else stays what the wiki said.
 */
import type { WikiRevision } from './client.ts';
import { isHeraldRevision, sameWikiText } from './plan.ts';

/** The page's latest revision, with its parent (0 for a page's first revision). */
export interface LatestRevision extends WikiRevision {
  parentId: number;
  text: string;
}

/** What herald sent: the text, its summary and the revision it replaces (absent for a create). */
export interface SentEdit {
  text: string;
  summary: string;
  baseId?: number;
}

/** Error codes of an edit sent again that a saved lost edit explains. */
export const lostEditConflictCodes = new Set(['articleexists', 'editconflict']);

export function isLostEditSaved(latest: LatestRevision, sent: SentEdit, wikiUser: string): boolean {
  return (
    isHeraldRevision(latest, wikiUser) &&
    latest.comment === sent.summary &&
    latest.parentId === (sent.baseId ?? 0) &&
    sameWikiText(latest.text, sent.text)
  );
}
