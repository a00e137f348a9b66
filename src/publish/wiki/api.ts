/**
 * The transport to a MediaWiki action API (`api.php`): form-encoded POSTs,
 * the session cookie, JSON answers (format version 2), and retries. A
 * request is retried after a network error, a 429 or 5xx answer, or the
 * wiki's `maxlag` or `ratelimited` refusal (sent when its database replicas
 * lag behind, as the API etiquette asks of bots, or herald edits too fast),
 * waiting as the wiki's Retry-After says (seconds or an HTTP-date) or twice
 * as long each time (`retry-wait.ts`): two minutes at the most waiting for one request's
 * answers, and apart from those, ten minutes at the most waiting between
 * its tries. A wiki that kept asking herald to wait is `wiki-rate-limited`
 * (HTTP 429, `ratelimited`) or `wiki-lagged` (`maxlag`), not
 * `wiki-unreachable`. A refusal that holds for every page stops the push
 * (`wiki-wide.ts`). Requests go through an agent of the wiki's own
 * (`post-form.ts`), which trusts the CAs of `wiki.ca_file` too.
 */
import type { Agent, IncomingHttpHeaders } from 'node:http';
import type { HeraldError } from '../../errors/message.ts';
import { version } from '../../version.ts';
import type { TrustedCas } from '../ca-file.ts';
import { ApiError, wikiError } from './errors.ts';
import { PostFailure, postForm, wikiAgent, type PostAnswer } from './post-form.ts';
import { defaultWaitLimitMs, newRetryBudget, retryAfterMs, retryDelay, waitToRetry, waitTooLong, type RetryBudget } from './retry-wait.ts';
import { wikiWideRefusal, type ErrorAnswer } from './wiki-wide.ts';

export interface ApiOptions {
  /** The action API endpoint, e.g. `https://wiki.example.org/w/api.php`. */
  url: string;
  /** Seconds of replication lag at which the wiki should refuse (and herald wait). */
  maxlag: number;
  /** How many times a failed request is tried again. */
  retries: number;
  /** Waits before a retry; injected so tests need not wait. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** Time limit of one attempt, for the whole answer (60 s). */
  timeoutMs?: number;
  /** Time limit of one request's answers, its retries included, the waits between them not (2 minutes). */
  deadlineMs?: number;
  /** Time limit of the waits between one request's tries, all together (10 minutes). */
  waitLimitMs?: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** The CAs of `wiki.ca_file` with Node's roots (`readTrustedCas`); Node's roots alone when absent. */
  trust?: TrustedCas;
}

export type ApiParams = Record<string, string | number | boolean | undefined>;

/** The answer of a request, as JSON; callers read the fields they asked for. */
export type ApiResponse = Record<string, unknown>;

const retryableStatus = new Set([429, 500, 502, 503, 504]);
/** Error codes that mean "not now": the same request can succeed later. */
const retryableCodes = new Set(['maxlag', 'ratelimited']);

/** Node's codes for a server certificate it cannot verify (self-signed, unknown CA, wrong name, expired). */
const certificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/**
 * One request is given up on after this long spent waiting for answers,
 * its retries included (the waits between them are bounded apart,
 * `retry-wait.ts`): an answer that trickles in is cut at each attempt's
 * 60 s, and five retries of it would take six and a half minutes.
 */
const defaultDeadlineMs = 120_000;
/**
 * The longest answer herald reads. MediaWiki cuts an answer at
 * $wgAPIMaxResultSize (8 MiB by default, counted before JSON escaping) and
 * a page at $wgMaxArticleSize (2 MiB); a longer one comes from something
 * broken, and would otherwise be read into memory whole.
 */
const maxAnswerBytes = 32 * 2 ** 20;

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Thrown for one attempt that may be repeated. */
class RetryableFailure extends Error {
  readonly retryAfterMs: number | undefined;
  /** Why the wiki asked to wait: its error code (`maxlag`, `ratelimited`), or `http-429`. */
  readonly code: string | undefined;
  /** An answer that began and did not end: too slow, or cut. */
  readonly incomplete: boolean;
  /** The wiki may have acted on the request, its answer lost (a connection cut or timed out after it was sent, a 5xx of a proxy). */
  readonly maybeActedOn: boolean;
  /** Nothing was heard before the try's time ran out. */
  readonly silent: boolean;
  constructor(message: string, options: { retryAfterMs?: number | undefined; code?: string; incomplete?: boolean; maybeActedOn?: boolean; silent?: boolean } = {}) {
    super(message);
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
    this.incomplete = options.incomplete ?? false;
    this.maybeActedOn = options.maybeActedOn ?? false;
    this.silent = options.silent ?? false;
  }
}

/**
 * Thrown instead of a retry, for a request sent with `resendBlind: false`,
 * when the wiki may have acted on it and its answer was lost.
 */
export class AnswerLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerLost';
  }
}

/** Network errors of a request that never reached the wiki. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function retryAfter(headers: IncomingHttpHeaders): number | undefined {
  return retryAfterMs(headers['retry-after'], headers.date, Date.now());
}

export class MediaWikiApi {
  readonly url: string;
  private readonly options: ApiOptions;
  private readonly cookies = new Map<string, string>();
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly agent: Agent;

  constructor(options: ApiOptions) {
    this.url = options.url;
    this.options = options;
    this.sleep = options.sleep ?? defaultSleep;
    this.agent = wikiAgent(new URL(options.url), options.trust);
  }

  /** How many times a failed request is tried again. */
  get retries(): number {
    return this.options.retries;
  }

  /** Drops the session's cookies: the next request is a visitor's, and a login begins a new session. */
  forgetSession(): void {
    this.cookies.clear();
  }

  /** Closes the connections kept open for the next request. */
  close(): void {
    this.agent.destroy();
  }

  /**
   * Sends one request (always a POST: passwords and page text belong in a
   * body, never in a URL or a server log) and returns its JSON. An error
   * answer throws `ApiError`; a wiki that stays unreachable throws a
   * `HeraldError` (wiki-unreachable; wiki-rate-limited or wiki-lagged when
   * it kept asking herald to wait). `anonymous` sends it without the
   * session's cookies, and keeps none it sets: as a visitor would ask.
   * `resendBlind: false` throws `AnswerLost` (after the wait before a
   * retry) rather than send the request again when the wiki may have acted
   * on it (an edit: the same edit sent again in the same session passes an
   * abuse filter's warning unseen). `budget` carries the retries and waits
   * of an earlier sending of the same request on (`RetryBudget`).
   */
  async call(
    params: ApiParams,
    { anonymous = false, resendBlind = true, budget = newRetryBudget() }: { anonymous?: boolean; resendBlind?: boolean; budget?: RetryBudget } = {},
  ): Promise<ApiResponse> {
    const body = new URLSearchParams({ format: 'json', formatversion: '2', maxlag: String(this.options.maxlag) });
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === false) continue;
      body.set(key, value === true ? '1' : String(value));
    }
    const answerLimitMs = this.options.deadlineMs ?? defaultDeadlineMs;
    const waitLimitMs = this.options.waitLimitMs ?? defaultWaitLimitMs;
    const what = `action=${String(params.action)}${params.title === undefined ? '' : ` of "${String(params.title)}"`}`;
    /** Time spent sending and waiting for answers, which `answerLimitMs` bounds; the waits between tries are bounded apart. */
    let answeringMs = 0;
    let failure: RetryableFailure | undefined;
    let outOfTime = false;
    let tooLong: string | undefined;
    for (;;) {
      if (failure) {
        if (budget.retried >= this.options.retries) break;
        const delayMs = retryDelay(failure.retryAfterMs, budget.retried + 1);
        if (budget.waitedMs + delayMs > waitLimitMs) {
          tooLong = waitTooLong(delayMs, budget.waitedMs, waitLimitMs, failure.retryAfterMs !== undefined);
          break;
        }
        budget.retried += 1;
        this.options.log?.(`herald: ${failure.message}; retrying in ${Math.round(delayMs / 100) / 10} s (${budget.retried}/${this.options.retries})`);
        await waitToRetry({ delayMs, what, why: failure.message, asked: failure.retryAfterMs !== undefined, waitedMs: budget.waitedMs, limitMs: waitLimitMs, sleep: this.sleep, log: this.options.log });
        budget.waitedMs += delayMs;
        // The wiki may have acted on it: the caller sends it again, its own way.
        if (failure.maybeActedOn && !resendBlind) throw new AnswerLost(failure.message);
      }
      const tryLimitMs = this.options.timeoutMs ?? 60_000;
      const timeoutMs = Math.floor(Math.min(tryLimitMs, answerLimitMs - answeringMs));
      outOfTime = timeoutMs <= 0;
      if (outOfTime) break;
      budget.attempts += 1;
      const began = performance.now();
      try {
        return await this.attempt(body, timeoutMs, anonymous);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        // A last try given only what was left of the time, that heard nothing in it, tells less than the
        // failure before it (an answer that began, a 503): that one is what the user is told.
        if (!(error.silent && failure && timeoutMs < tryLimitMs)) failure = error;
      } finally {
        answeringMs += performance.now() - began;
      }
    }
    throw this.givenUp(what, failure!, {
      tried:
        `after ${budget.attempts} attempt${budget.attempts === 1 ? '' : 's'}` +
        (budget.attempts > 1 && !resendBlind && failure!.maybeActedOn ? ', each in a session of its own' : '') +
        (outOfTime ? `, ${Math.round(answeringMs / 100) / 10} s spent waiting for answers, the most herald gives one request` : '') +
        (tooLong ? `; ${tooLong}` : ''),
    });
  }

  /** The error of a request given up on, by its last failure: a wiki that kept asking herald to wait is not one that did not answer. */
  private givenUp(what: string, failure: RetryableFailure, { tried }: { tried: string }): HeraldError {
    if (failure.code === 'ratelimited' || failure.code === 'http-429') {
      return wikiError('wiki-rate-limited', `The wiki at ${this.url} kept refusing herald\u2019s requests as too many, up to ${what}: ${failure.message} (${tried})`, this.url);
    }
    if (failure.code === 'maxlag') {
      return wikiError('wiki-lagged', `The wiki at ${this.url} kept asking herald to wait while its database replicas lag more than wiki.maxlag (${this.options.maxlag} s), up to ${what}: ${failure.message} (${tried})`, this.url);
    }
    if (failure.incomplete) return wikiError('wiki-answer-incomplete', `The wiki at ${this.url} began to answer ${what} but did not finish: ${failure.message} (${tried})`, this.url);
    return wikiError('wiki-unreachable', `The wiki at ${this.url} did not answer ${what}: ${failure.message} (${tried})`, this.url);
  }

  private async attempt(body: URLSearchParams, timeoutMs: number, anonymous: boolean): Promise<ApiResponse> {
    let response: PostAnswer;
    try {
      response = await postForm(new URL(this.url), body.toString(), {
        agent: this.agent,
        headers: {
          'user-agent': `herald/${version} (security advisory publisher)`,
          ...(this.cookies.size > 0 && !anonymous ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
        },
        timeoutMs,
        maxBytes: maxAnswerBytes,
      });
    } catch (error) {
      if (!(error instanceof PostFailure)) throw error;
      // A certificate that does not verify will not verify on a retry either.
      if (error.code && certificateCodes.has(error.code)) {
        const trusted = this.options.trust ? `, neither by Node\u2019s CAs nor by those in ${this.options.trust.file} (wiki.ca_file)` : '';
        throw wikiError('wiki-certificate', `The wiki at ${this.url} presented a TLS certificate that cannot be verified (${error.code})${trusted}`, this.url);
      }
      // A broken or hostile server would send it again: not retried, and not read into memory.
      if (error.kind === 'too-large') {
        throw wikiError('wiki-answer-too-large', `The wiki at ${this.url} sent ${error.message}: herald stopped reading it`, this.url);
      }
      if (error.kind === 'too-slow' || error.kind === 'cut') throw new RetryableFailure(error.message, { incomplete: true, maybeActedOn: true });
      throw new RetryableFailure(`network error (${error.code ?? error.message})`, { maybeActedOn: !(error.code && notSentCodes.has(error.code)), silent: error.kind === 'no-answer' });
    }
    if (!anonymous) this.keepCookies(response.headers);
    if (retryableStatus.has(response.status)) {
      throw new RetryableFailure(`HTTP ${response.status}`, { retryAfterMs: retryAfter(response.headers), maybeActedOn: response.status !== 429, ...(response.status === 429 ? { code: 'http-429' } : {}) });
    }
    // Never followed: the bot password would go along to wherever it points.
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      throw wikiError('wiki-api-error', `${this.url} answered HTTP ${response.status}, a redirect to ${response.headers.location}: set \`wiki.api_url\` to the address the API answers at`, this.url);
    }
    let json: ApiResponse;
    try {
      json = JSON.parse(response.text) as ApiResponse;
    } catch {
      throw wikiError('wiki-api-error', `${this.url} answered HTTP ${response.status} with something other than JSON: is this the wiki's api.php?`, this.url);
    }
    const error = json.error as ErrorAnswer | undefined;
    if (error) {
      const code = String(error.code ?? 'unknown');
      if (retryableCodes.has(code)) throw new RetryableFailure(`the wiki asked to wait (${code}: ${error.info ?? ''})`, { retryAfterMs: retryAfter(response.headers) ?? 5000, code });
      // Read-only mode, a block, a missing right: no page would fare better, so the push stops here.
      const refusal = wikiWideRefusal(this.url, { ...error, code });
      if (refusal) throw refusal;
      throw new ApiError(code, String(error.info ?? ''), error as unknown as Record<string, unknown>);
    }
    return json;
  }

  /** Keeps the session cookie (and any other) for the next requests, as a browser would for this one site. */
  private keepCookies(headers: IncomingHttpHeaders): void {
    for (const header of headers['set-cookie'] ?? []) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute)) || value === 'deleted';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
