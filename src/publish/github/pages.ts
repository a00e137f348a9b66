/**
 * GitHub's pages, each read once. Octokit follows a `Link: <…>; rel="next"`
 * header wherever it points, and herald follows GraphQL's `endCursor` while
 * `hasNextPage`: a next page that points back at one already read (a proxy
 * or cache in the way, a server that is not GitHub) would make a run read
 * the same pages for ever. Such an answer is `UnexpectedAnswer`, said as
 * `github-unavailable`.
 */
import { UnexpectedAnswer } from './answers.ts';

/** What a loop back is, for the message. */
const loopsBack = (page: string) => `a "next" page that leads back to one it gave already (${page})`;

/** The pages of `iterator` (Octokit's `paginate.iterator`), stopping with `UnexpectedAnswer` at the first page given twice. */
export async function* eachPageOnce<T extends { url: string }>(iterator: AsyncIterable<T>): AsyncGenerator<T> {
  const seen = new Set<string>();
  for await (const page of iterator) {
    const key = samePage(page.url);
    if (seen.has(key)) throw new UnexpectedAnswer(page.url, loopsBack(page.url));
    seen.add(key);
    yield page;
  }
}

/** One key for the addresses of one page: the first is asked for without `page=1`, a link back names it. */
function samePage(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('page')) parsed.searchParams.set('page', '1');
  parsed.searchParams.sort();
  return parsed.href;
}

/** Remembers GraphQL cursors: `next(cursor)` throws `UnexpectedAnswer` for a cursor given before. */
export function cursorsOnce(url: string): { next: (cursor: string) => void } {
  const seen = new Set<string>();
  return {
    next(cursor) {
      if (seen.has(cursor)) throw new UnexpectedAnswer(url, loopsBack(`after cursor ${cursor}`));
      seen.add(cursor);
    },
  };
}
