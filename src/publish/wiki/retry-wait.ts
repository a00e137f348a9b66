/**
 * The waits between the tries of one request. herald waits as long as the
 * wiki asks (its Retry-After, with an HTTP 429 or 503 or a `maxlag` or
 * `ratelimited` refusal; 5 s for those two without one), else 1, 2, 4 …
 * seconds, at most 60, after a failure. These waits are bounded apart from
 * the 2 minutes herald gives one request's answers: 10 minutes in all for
 * one request. A wait the wiki asks for that would pass that bound is not
 * begun. A long wait says how it goes every 30 s, as the mail's waits do.
 */
import { formatDuration } from '../duration.ts';

/** The most herald waits between the tries of one request, in all. */
export const defaultWaitLimitMs = 10 * 60_000;
/** The longest wait of herald's own choosing (after a failure with no Retry-After). */
const maxBackoffMs = 60_000;
/** The longest a wait goes without a progress line. */
const reportEveryMs = 30_000;

/**
 * The retries of one request so far, and their waits. An edit whose answer
 * was lost is sent again in a new session as a request of its own
 * (`client.ts`): it carries on with its first sending's budget, so that its
 * backoff goes on growing (1, 2, 4 … s) and `retries` and the 10 minutes
 * bound all its sendings together, not each anew.
 */
export interface RetryBudget {
  /** Tries made, the first included. */
  attempts: number;
  /** Retries begun (waits made). */
  retried: number;
  /** The waits so far, in all. */
  waitedMs: number;
}

export const newRetryBudget = (): RetryBudget => ({ attempts: 0, retried: 0, waitedMs: 0 });

/**
 * The wait a Retry-After header asks for, in ms: delay-seconds, or an
 * HTTP-date (RFC 9110 10.2.3) counted from the answer's own Date header
 * when it has one (the wiki's clock, not herald's, which may be off), else
 * from `now`; a date already past asks for no wait. Undefined when absent
 * or not one of those.
 */
export function retryAfterMs(header: string | undefined, dateHeader: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (!/[a-z]/i.test(value) || Number.isNaN(at)) return undefined;
  const sent = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
  return Math.max(0, at - (Number.isNaN(sent) ? now : sent));
}

/** How long to wait before try `attempt` (1 for the first retry): what the wiki asked, or herald's own backoff. */
export function retryDelay(retryAfterMs: number | undefined, attempt: number): number {
  return retryAfterMs ?? Math.min(1000 * 2 ** (attempt - 1), maxBackoffMs);
}

export interface RetryWait {
  delayMs: number;
  /** What is retried, e.g. `action=edit of "OSSN/OSSN-0007"`. */
  what: string;
  /** Why, e.g. `HTTP 429`; with `asked`, the wiki asked for this wait. */
  why: string;
  asked: boolean;
  /** The waits of this request so far, this one excluded, and their bound. */
  waitedMs: number;
  limitMs: number;
  sleep: (milliseconds: number) => Promise<void>;
  log: ((line: string) => void) | undefined;
}

/** Waits `delayMs` (a 0 too: a turn of the event loop) in stretches of 30 s at most, with a line after each stretch but the last. */
export async function waitToRetry(wait: RetryWait): Promise<void> {
  const cause = wait.asked ? `as the wiki asked (${wait.why})` : `after ${wait.why}`;
  let waited = 0;
  do {
    const stretch = Math.min(reportEveryMs, wait.delayMs - waited);
    await wait.sleep(stretch);
    waited += stretch;
    if (waited < wait.delayMs) {
      wait.log?.(
        `herald: waiting ${formatDuration(wait.delayMs)} ${cause} before sending ${wait.what} again, ${formatDuration(waited)} so far ` +
          `(herald waits at most ${formatDuration(wait.limitMs)} in all for one request; ${formatDuration(wait.waitedMs + waited)} of it used)`,
      );
    }
  } while (waited < wait.delayMs);
}

/** Why herald does not begin a wait (`asked`: one the wiki asked for): it would pass the bound. */
export function waitTooLong(delayMs: number, waitedMs: number, limitMs: number, asked: boolean): string {
  const used = waitedMs > 0 ? ` after waiting ${formatDuration(waitedMs)} already` : '';
  const bound = `the ${formatDuration(limitMs)} herald waits in all for one request`;
  return asked ? `the wiki asked herald to wait ${formatDuration(delayMs)} more${used}, which would pass ${bound}` : `the next wait, ${formatDuration(delayMs)}${used}, would pass ${bound}`;
}
