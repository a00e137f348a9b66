/**
 * Turns a failed GitHub call into a message a person can act on: what herald
 * was doing, what GitHub answered, and what to check. Never a stack trace,
 * never the token.
 */
import { ruleInfo, type RuleId } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { UnexpectedAnswer } from './answers.ts';

/** The shape of Octokit's `RequestError` that herald reads. */
export interface GithubRequestError {
  name: 'HttpError';
  status: number;
  message: string;
  request: { method: string; url: string };
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

/** True for an error Octokit raised for an HTTP answer (or a network failure, status 500). */
export function isGithubRequestError(error: unknown): error is GithubRequestError {
  return error instanceof Error && error.name === 'HttpError' && typeof (error as { status?: unknown }).status === 'number';
}

/** True when GitHub answered 422 with `code: already_exists` for `field`. */
export function isAlreadyExists(error: unknown, field: string): boolean {
  return isGithubRequestError(error) && error.status === 422 && validationErrors(error).some((e) => e.code === 'already_exists' && e.field === field);
}

interface ValidationError {
  resource?: string;
  field?: string;
  code?: string;
  message?: string;
}

function validationErrors(error: GithubRequestError): ValidationError[] {
  const data = error.response?.data;
  const errors = data !== null && typeof data === 'object' ? (data as { errors?: unknown }).errors : undefined;
  return Array.isArray(errors) ? errors.filter((e): e is ValidationError => e !== null && typeof e === 'object') : [];
}

function githubReason(error: GithubRequestError): string {
  const data = error.response?.data;
  const message = data !== null && typeof data === 'object' ? (data as { message?: unknown }).message : undefined;
  const details = validationErrors(error).map((e) => e.message ?? [e.resource, e.field, e.code].filter(Boolean).join(' '));
  const head = typeof message === 'string' ? message : error.message;
  return details.length > 0 ? `${head}: ${details.join('; ')}` : head;
}

/**
 * For a 403 or 429 that is a rate limit (GitHub sends `retry-after`, or
 * `x-ratelimit-remaining: 0` with its reset time): the seconds GitHub asks
 * to wait. Undefined for any other answer, such as a token refused.
 */
function rateLimitWait(error: GithubRequestError): number | undefined {
  if (error.status !== 403 && error.status !== 429) return undefined;
  const headers = error.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, Math.ceil(retryAfter));
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return Number.isFinite(reset) ? Math.max(0, Math.ceil(reset - Date.now() / 1000)) : 0;
  }
  return undefined;
}

function ruleFor(status: number): RuleId {
  if (status === 404) return 'github-not-found';
  if (status === 422) return 'github-unprocessable';
  if (status === 401 || status === 403) return 'github-forbidden';
  return 'github-unavailable';
}

/**
 * A `HeraldError` for `error`, raised while herald tried to `action` (e.g.
 * "list the files of pull request #5"). Errors that are not GitHub's are
 * returned unchanged: they are bugs and keep their stack.
 */
export function describeGithubError(error: unknown, action: string): unknown {
  if (isGraphqlError(error)) return graphqlMessage(error, action);
  if (error instanceof UnexpectedAnswer) {
    const url = error.url.replace(/\?.*$/, '');
    const hint = 'Check GITHUB_API_URL (or github.api_url): GitHub Enterprise Server answers at https://<host>/api/v3, and a proxy in the way answers with its own pages.';
    return new HeraldError([{ file: url, line: 1, column: 1, severity: 'error', ruleId: 'github-unavailable', message: `Could not ${action}: ${url} gave ${error.message}.`, hint }]);
  }
  if (!isGithubRequestError(error)) return error;
  const wait = rateLimitWait(error);
  // A rate limit herald did not wait out is GitHub being busy, not the token refused.
  const rule = wait === undefined ? ruleFor(error.status) : 'github-unavailable';
  const url = error.request.url.replace(/\?.*$/, '');
  const limit = wait === undefined ? '' : ` (a rate limit: GitHub asks to wait ${wait} s before the next request)`;
  const answer = error.status === 500 && !error.response ? `no answer (${error.message})` : `${error.status} ${githubReason(error)}${limit}`;
  return new HeraldError([
    {
      file: url,
      line: 1,
      column: 1,
      severity: 'error',
      ruleId: rule,
      message: `Could not ${action}: GitHub answered ${answer}.`,
      hint: ruleInfo(rule).hint,
    },
  ]);
}

/** The shape of Octokit's `GraphqlResponseError` (an answer of 200 that carries `errors`) that herald reads. */
interface GraphqlError {
  name: 'GraphqlResponseError';
  request: { url?: string };
  errors: { type?: string; message?: string }[];
}

function isGraphqlError(error: unknown): error is GraphqlError {
  return error instanceof Error && error.name === 'GraphqlResponseError' && Array.isArray((error as { errors?: unknown }).errors);
}

function graphqlMessage(error: GraphqlError, action: string): HeraldError {
  const types = new Set(error.errors.map((e) => e.type));
  const rule: RuleId = types.has('NOT_FOUND')
    ? 'github-not-found'
    : types.has('FORBIDDEN') || types.has('INSUFFICIENT_SCOPES')
      ? 'github-forbidden'
      : types.has('RATE_LIMITED')
        ? 'github-unavailable'
        : 'github-unprocessable';
  const reason = error.errors.map((e) => (e.message ?? e.type ?? 'error').replace(/\.$/, '')).join('; ');
  return new HeraldError([{ file: error.request.url ?? 'graphql', line: 1, column: 1, severity: 'error', ruleId: rule, message: `Could not ${action}: GitHub answered ${reason}.`, hint: ruleInfo(rule).hint }]);
}

/** Runs `call`, turning a GitHub failure into a `HeraldError` about `action`. */
export async function withGithubErrors<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeGithubError(error, action);
  }
}
