/**
 * The sticky comment: one comment per pull request, found again by a hidden
 * marker and edited in place, so a pull request pushed twenty times still
 * has one preview, not twenty.
 */
import { z } from 'zod';
import { answerOf, commentAnswer } from './answers.ts';
import type { GithubClient } from './client.ts';
import type { GithubSettings } from './environment.ts';
import { withGithubErrors } from './errors.ts';
import { eachPageOnce } from './pages.ts';

export interface StickyComment {
  /** `created`, `updated`, or `unchanged` when the body was already the same. */
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

/**
 * The first comment of issue or pull request `number` whose body starts with
 * `marker`, searching every page. Only a body that starts with the marker
 * counts: a person quoting the comment starts theirs with `>`.
 */
export async function findMarkedComment(
  client: GithubClient,
  settings: GithubSettings,
  number: number,
  marker: string,
): Promise<{ id: number; body: string; url: string } | undefined> {
  return withGithubErrors(`list the comments of #${number}`, async () => {
    let found: { id: number; body: string; url: string } | undefined;
    const iterator = client.paginate.iterator(client.rest.issues.listComments, {
      owner: settings.owner,
      repo: settings.repo,
      issue_number: number,
      per_page: 100,
    });
    for await (const page of eachPageOnce(iterator)) {
      const match = answerOf(z.array(commentAnswer), page.data, page.url).find((c) => c.body?.startsWith(marker));
      if (match) {
        found = { id: match.id, body: match.body ?? '', url: match.html_url };
        break;
      }
    }
    return found;
  });
}

/**
 * Creates the marked comment on `number`, or edits the existing one to
 * `body`. `body` must start with `marker`. With `createIfMissing: false`
 * only an existing comment is edited; `undefined` when there is none.
 */
export async function upsertMarkedComment(
  client: GithubClient,
  settings: GithubSettings,
  number: number,
  marker: string,
  body: string,
  options: { createIfMissing?: boolean } = {},
): Promise<StickyComment | undefined> {
  if (!body.startsWith(marker)) throw new Error('a sticky comment body must start with its marker');
  const existing = await findMarkedComment(client, settings, number, marker);
  if (existing?.body === body) return { action: 'unchanged', id: existing.id, url: existing.url };
  if (!existing && options.createIfMissing === false) return undefined;
  if (existing) {
    return withGithubErrors(`update comment ${existing.id} on #${number}`, async () => {
      const { data, url } = await client.rest.issues.updateComment({ owner: settings.owner, repo: settings.repo, comment_id: existing.id, body });
      const comment = answerOf(commentAnswer, data, url);
      return { action: 'updated' as const, id: comment.id, url: comment.html_url };
    });
  }
  return withGithubErrors(`comment on #${number}`, async () => {
    const { data, url } = await client.rest.issues.createComment({ owner: settings.owner, repo: settings.repo, issue_number: number, body });
    const comment = answerOf(commentAnswer, data, url);
    return { action: 'created' as const, id: comment.id, url: comment.html_url };
  });
}
