/**
 * The one place an Octokit is built. Every GitHub call herald makes goes
 * through this client, so rate limits and transient failures are handled
 * the same way everywhere: GitHub's primary limit (403 or 429 with
 * `x-ratelimit-remaining: 0`) and secondary limits (`retry-after`) are waited
 * out by @octokit/plugin-throttling; 5xx and network errors are retried with
 * back-off by @octokit/plugin-retry.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { version } from '../../version.ts';
import { notJson, UnexpectedAnswer } from './answers.ts';
import type { GithubSettings } from './environment.ts';

const HeraldOctokit = Octokit.plugin(retry, throttling);

/** An authenticated, throttled, retrying Octokit. */
export type GithubClient = InstanceType<typeof HeraldOctokit>;

export interface GithubClientOptions {
  /** Reports waits and give-ups, one line each (the CLI's stderr). */
  log: (line: string) => void;
  /**
   * The longest rate-limit wait accepted (primary or secondary), in
   * seconds; beyond it the call fails instead of holding a CI job for an hour.
   */
  maxRateLimitWait?: number;
  /** Retries after a rate limit before giving up. */
  maxRateLimitRetries?: number;
  /**
   * The longest one request may take, its whole answer read (60 s unless
   * set). fetch's own limits restart on every chunk, so an answer that
   * comes a byte at a time would otherwise hold herald for ever.
   */
  timeoutMs?: number;
}

/**
 * fetch, with each request and the reading of its whole answer ended after
 * `timeoutMs`. The answer is read here, not by Octokit: Octokit takes a body
 * it could not finish reading for an empty one (a 200 of "no JSON"), where
 * this is a request that failed, and is retried like a 5xx.
 */
function fetchWithin(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const limit = AbortSignal.timeout(timeoutMs);
    const response = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, limit]) : limit });
    const body = await response.arrayBuffer();
    const nullBody = [101, 204, 205, 304].includes(response.status);
    const read = new Response(nullBody ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // Octokit names each page by its address (pagination, messages).
    Object.defineProperty(read, 'url', { value: response.url });
    return read;
  };
}

/** A client for `settings`, reporting rate-limit waits on `options.log`. */
export function createGithubClient(settings: GithubSettings, options: GithubClientOptions): GithubClient {
  const maxWait = options.maxRateLimitWait ?? 900;
  const maxRetries = options.maxRateLimitRetries ?? 3;
  const say = (text: string): void => options.log(`herald: ${text}`);
  const client = new HeraldOctokit({
    auth: settings.token,
    baseUrl: settings.apiUrl,
    userAgent: `herald/${version}`,
    // Octokit reads the whole answer inside this fetch's signal: a trickling one is a failed request (retried as a 5xx).
    request: { fetch: fetchWithin(options.timeoutMs ?? 60_000) },
    // Octokit logs request failures at `warn`/`error`; herald reports them
    // itself with a hint, so only waits (below) reach the user.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    // plugin-retry would retry a 429 on its own schedule (1 s, 4 s, 9 s),
    // ignoring `retry-after`; leaving 429 to the throttling plugin makes
    // every rate-limit answer wait exactly as long as GitHub asks.
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: {
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const what = `${request.method} ${request.url}`;
        if (retryCount >= maxRetries || retryAfter > maxWait) {
          say(`GitHub rate limit reached for ${what}; the limit resets in ${retryAfter} s, longer than herald waits (${maxWait} s).`);
          return false;
        }
        say(`GitHub rate limit reached for ${what}; waiting ${retryAfter} s for it to reset, then retrying.`);
        return true;
      },
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const what = `${request.method} ${request.url}`;
        // `retry-after` is GitHub's (or a proxy's) to set: an hour's wait would hold the job for an hour.
        if (retryAfter > maxWait) {
          say(`GitHub secondary rate limit hit for ${what}; GitHub asks to wait ${retryAfter} s, longer than herald waits (${maxWait} s); giving up.`);
          return false;
        }
        if (retryCount >= maxRetries) {
          say(`GitHub secondary rate limit hit ${retryCount + 1} times for ${what}; giving up.`);
          return false;
        }
        say(`GitHub secondary rate limit hit for ${what}; waiting ${retryAfter} s as asked, then retrying.`);
        return true;
      },
    },
  });
  // Every call herald makes answers JSON: anything else (a proxy's page, a
  // server that is not GitHub's API) is said before Octokit reads into it.
  client.hook.after('request', (response, request) => {
    const data: unknown = response.data;
    if (response.status !== 204 && (data === null || typeof data !== 'object')) throw new UnexpectedAnswer(request.url, notJson(data));
  });
  return client;
}
