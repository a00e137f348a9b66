/**
 * `publish.announce_from`: the day herald took over the announcements of an
 * archive announced by hand. Asked by `herald publish` (what not to
 * announce again), its preview (a changed note it will not announce) and
 * lint (no `list-none` warning for a note that will never be mailed).
 */
import { lastUpdated, type Advisory } from './types.ts';

/**
 * True when `herald publish` counts an advisory as announced by hand before
 * herald took over on `announceFrom`: its latest date (`lastUpdated`) is
 * before that day, and no embargo kept it private until that day (an
 * embargo lifting on that day or later means nobody could have announced
 * it before). Its release tag never exists, so nothing else could tell.
 */
export function madeBeforeHerald(advisory: { updated: string; embargo?: string }, announceFrom: string | undefined): boolean {
  if (announceFrom === undefined || advisory.updated >= announceFrom) return false;
  return advisory.embargo === undefined || Date.parse(advisory.embargo) < Date.parse(`${announceFrom}T00:00:00Z`);
}

/** `madeBeforeHerald` of a whole advisory (its card holds `updated` already). */
export function advisoryMadeBeforeHerald(advisory: Advisory, announceFrom: string | undefined): boolean {
  return madeBeforeHerald({ updated: lastUpdated(advisory), ...(advisory.embargo !== undefined ? { embargo: advisory.embargo } : {}) }, announceFrom);
}
