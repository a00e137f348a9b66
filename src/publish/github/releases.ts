/**
 * GitHub releases as the final "done" mark of an announcement: a release
 * tagged `<ID>-r<revision>` exists once every channel has succeeded.
 */
import type { GithubClient } from './client.ts';
import type { GithubSettings } from './environment.ts';
import { isAlreadyExists, isGithubRequestError, withGithubErrors } from './errors.ts';

export interface ReleaseRequest {
  tag: string;
  name: string;
  body: string;
  /** Commit the tag is created on when it does not exist yet; the default branch otherwise. */
  targetCommitish?: string;
}

/** True when a release with `tag` exists (published; GitHub hides drafts from this lookup). */
export async function releaseExists(client: GithubClient, settings: GithubSettings, tag: string): Promise<boolean> {
  try {
    await client.rest.repos.getReleaseByTag({ owner: settings.owner, repo: settings.repo, tag });
    return true;
  } catch (error) {
    if (isGithubRequestError(error) && error.status === 404) return false;
    return withGithubErrors(`look up the release ${tag}`, () => Promise.reject(error));
  }
}

/**
 * Creates the release. A 422 `already_exists` on `tag_name` means an earlier
 * run (or a concurrent one) already marked it done: that is success, and
 * the answer says so.
 */
export async function createRelease(
  client: GithubClient,
  settings: GithubSettings,
  release: ReleaseRequest,
): Promise<'created' | 'already-exists'> {
  try {
    await client.rest.repos.createRelease({
      owner: settings.owner,
      repo: settings.repo,
      tag_name: release.tag,
      name: release.name,
      body: release.body,
      ...(release.targetCommitish ? { target_commitish: release.targetCommitish } : {}),
    });
    return 'created';
  } catch (error) {
    if (isAlreadyExists(error, 'tag_name')) return 'already-exists';
    return withGithubErrors(`create the release ${release.tag}`, () => Promise.reject(error));
  }
}
