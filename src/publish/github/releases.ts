/**
 * GitHub releases as the final "done" mark of an announcement: a release
 * tagged `<ID>-r<revision>` exists once every channel has succeeded.
 */
import type { GithubClient } from './client.ts';
import type { GithubSettings } from './environment.ts';
import { isAlreadyExists, withGithubErrors } from './errors.ts';

export interface ReleaseRequest {
  tag: string;
  name: string;
  body: string;
  /** Commit the tag is created on when it does not exist yet; the default branch otherwise. */
  targetCommitish?: string;
}

/** One page of the repository's releases, newest first: their tags only. */
const releaseTagsQuery = `query ($owner: String!, $repo: String!, $after: String) {
  repository(owner: $owner, name: $repo) {
    releases(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { tagName isDraft }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface ReleaseTagsPage {
  repository: {
    releases: { nodes: { tagName: string; isDraft: boolean }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

/**
 * The tags of every published release (drafts left out, as a lookup by tag
 * leaves them out), read through the GraphQL API 100 at a time: one request
 * per 100 releases, where a lookup per tag would cost one per announcement
 * (10,000 at 10,000 advisories, ten times the hourly limit of a workflow's
 * token), and the REST list stops at 1,000 releases.
 */
export async function releaseTags(client: GithubClient, settings: GithubSettings): Promise<Set<string>> {
  const tags = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page: ReleaseTagsPage = await withGithubErrors('list the releases', () => client.graphql<ReleaseTagsPage>(releaseTagsQuery, { owner: settings.owner, repo: settings.repo, after }));
    if (!page.repository) throw new Error(`GitHub has no repository ${settings.owner}/${settings.repo}`);
    const { nodes, pageInfo } = page.repository.releases;
    for (const release of nodes) if (!release.isDraft) tags.add(release.tagName);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) return tags;
    after = pageInfo.endCursor;
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
