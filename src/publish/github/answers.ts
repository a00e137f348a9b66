/**
 * The parts of GitHub's answers herald reads, checked where they come in:
 * a proxy's login page, a GitHub Enterprise URL without `/api/v3`, or a
 * server that is not GitHub at all answers 200 with something else, and
 * that is said as such (`UnexpectedAnswer`, reported as
 * `github-unavailable`), never met later as a stack trace.
 */
import { z } from 'zod';

/** An answer of GitHub's that is not what its API gives. */
export class UnexpectedAnswer extends Error {
  constructor(
    readonly url: string,
    readonly what: string,
  ) {
    super(`an answer that is not GitHub's API (${what})`);
    this.name = 'UnexpectedAnswer';
  }
}

/** `data` as `schema` reads it, or `UnexpectedAnswer` saying what came instead. */
export function answerOf<T>(schema: z.ZodType<T>, data: unknown, url: string): T {
  const read = schema.safeParse(data);
  if (read.success) return read.data;
  throw new UnexpectedAnswer(url, describe(data, read.error));
}

/** What an answer that is not JSON is, in words. */
export function notJson(data: unknown): string {
  if (typeof data !== 'string') return 'no JSON';
  return /^\s*</.test(data) ? 'an HTML or XML page' : 'text, not JSON';
}

function describe(data: unknown, error: z.ZodError): string {
  if (typeof data === 'string') return notJson(data);
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the answer';
  if (issue?.code !== 'invalid_type') return `${where} is not what GitHub gives`;
  return /received undefined$/.test(issue.message) ? `${where} is missing` : `${where} is not ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
}

export const pullRequestFileAnswer = z.object({ filename: z.string(), status: z.string(), previous_filename: z.string().optional() });
export const pullRequestAnswer = z.object({ head: z.object({ sha: z.string() }) });
export const commentAnswer = z.object({ id: z.number(), body: z.string().nullish(), html_url: z.string() });

const releaseNode = z.object({ tagName: z.string(), isDraft: z.boolean() });
export const releaseTagsAnswer = z.object({
  repository: z
    .object({
      releases: z.object({
        totalCount: z.number(),
        nodes: z.array(releaseNode),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      }),
    })
    .nullable(),
});
