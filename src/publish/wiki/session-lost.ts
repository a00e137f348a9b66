/**
 * A wiki that does not keep herald's session: its session store keeps
 * nothing between requests, or the session cookie is lost on the way (a
 * proxy stripping Set-Cookie or Cookie). Every page would fail alike, so
 * the push stops with `wiki-session-lost` instead.
 */
import type { HeraldError } from '../../errors/message.ts';
import { wikiError } from './errors.ts';

/** Error codes of the action API that mean the wiki no longer knows herald's session. */
export const sessionCodes = new Set(['badtoken', 'assertuserfailed', 'assertbotfailed']);

/**
 * MediaWiki's reason for a login whose token's session it cannot find
 * (`authpage-cannot-login-continue`, code `sessionlost`). The API writes
 * a login's reason in English whatever the wiki's language.
 */
const sessionLostReason = /session most likely timed out/i;

export function isSessionLostLogin(reason: string | undefined): boolean {
  return reason !== undefined && sessionLostReason.test(reason);
}

export function sessionLost(url: string, what: string): HeraldError {
  return wikiError('wiki-session-lost', `The wiki at ${url} does not keep herald's session: ${what}. Every page would fail the same way, so the push stops here`, url);
}
