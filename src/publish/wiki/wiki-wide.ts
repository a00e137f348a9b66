/**
 * Error answers that hold for every page, not for the one asked about: the
 * wiki is read-only, herald's user is blocked (or its IP address is), or
 * the user lacks a right every edit needs. No page would fare better, so
 * the push stops at the first one with a stable error instead of failing
 * each page in turn. Refusals of one page (protection, a spam blacklist, an
 * abuse filter on its text, a partial block) stay that page's failure.
 */
import type { HeraldError } from '../../errors/message.ts';
import { wikiError } from './errors.ts';

/** An API error answer, with the fields MediaWiki adds to these refusals. */
export interface ErrorAnswer {
  code: string;
  info?: string;
  readonlyreason?: string;
  blockinfo?: { blockreason?: string; blockedby?: string; blockexpiry?: string; blockpartial?: boolean };
}

/** Codes of a user who lacks a right every edit needs (a bot password without its grants, a user outside the groups that may edit). */
const missingRightCodes = new Set(['permissiondenied', 'noedit', 'noedit-anon', 'writeapidenied', 'readapidenied']);

const quoted = (text: string | undefined) => (text?.trim() ? ` (\u201c${text.trim()}\u201d)` : '');

/** The error that stops the push for `error`, or undefined when it concerns the page asked about alone. */
export function wikiWideRefusal(url: string, error: ErrorAnswer): HeraldError | undefined {
  if (error.code === 'readonly') {
    return wikiError('wiki-read-only', `The wiki at ${url} is in read-only mode${quoted(error.readonlyreason)}: it refuses every edit and login until it is writable again`, url);
  }
  if ((error.code === 'blocked' || error.code === 'autoblocked') && error.blockinfo?.blockpartial !== true) {
    const block = error.blockinfo ?? {};
    const by = [block.blockedby ? `by ${block.blockedby}` : '', block.blockexpiry ? `until ${block.blockexpiry}` : ''].filter(Boolean).join(', ');
    const who = error.code === 'autoblocked' ? 'the IP address herald connects from is blocked automatically, because a blocked user used it' : 'herald\u2019s user is blocked';
    return wikiError('wiki-blocked', `The wiki at ${url} refuses every edit: ${who}${by ? ` (${by})` : ''}${quoted(block.blockreason)}`, url);
  }
  if (missingRightCodes.has(error.code)) {
    const what = error.code === 'readapidenied' ? 'reading through its API' : 'every edit';
    return wikiError('wiki-permission-denied', `The wiki at ${url} refuses herald\u2019s user ${what} (${error.code}: ${error.info ?? 'no reason given'})`, url);
  }
  return undefined;
}
