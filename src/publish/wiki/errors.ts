/**
 * User-facing errors of wiki publishing, as `HeraldError`s the CLI prints
 * without a stack trace. They name the wiki (or the config file) as their
 * place, never the password.
 */
import { ruleInfo, type RuleId } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';

export function wikiError(ruleId: RuleId, text: string, place: string | { file: string; line: number; column: number }, hint?: string): HeraldError {
  const info = ruleInfo(ruleId);
  const at = typeof place === 'string' ? { file: place, line: 1, column: 1 } : place;
  return new HeraldError([{ ...at, severity: info.severity, ruleId, message: text, hint: hint ?? info.hint }]);
}

/** An error answer of the action API: `{ error: { code, info, ... } }`. */
export class ApiError extends Error {
  readonly code: string;
  readonly info: string;
  /** The whole error object, with what an extension adds to it (AbuseFilter's `abusefilter`: the filter that matched). */
  readonly answer: Readonly<Record<string, unknown>>;
  constructor(code: string, info: string, answer: Readonly<Record<string, unknown>> = {}) {
    super(`${code}: ${info}`);
    this.name = 'ApiError';
    this.code = code;
    this.info = info;
    this.answer = answer;
  }
}

/**
 * An error answer to a request herald cannot go on without (the login, a
 * token, reading pages), as the located `wiki-api-error` the CLI prints:
 * never an internal error with a stack trace.
 */
export function unexpectedAnswer(error: ApiError, asked: string, url: string): HeraldError {
  return wikiError('wiki-api-error', `The wiki at ${url} answered ${asked} with the error ${error.code}: ${error.info || 'no reason given'}`, url);
}
