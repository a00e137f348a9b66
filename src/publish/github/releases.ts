/**
 * GitHub releases as the final "done" mark of an announcement: a release
 * tagged `<ID>-r<revision>` exists once every channel has succeeded.
 */
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { answerOf, releaseTagsAnswer } from './answers.ts';
import type { GithubClient } from './client.ts';
import type { GithubSettings } from './environment.ts';
import { isAlreadyExists, withGithubErrors } from './errors.ts';
import { cursorsOnce } from './pages.ts';

export interface ReleaseRequest {
  tag: string;
  name: string;
  body: string;
  /** Commit the tag is created on when it does not exist yet; the default branch otherwise. */
  targetCommitish?: string;
}

/** One page of the repository's releases, newest first: their tags, and how many there are. */
const releaseTagsQuery = `query ($owner: String!, $repo: String!, $after: String) {
  repository(owner: $owner, name: $repo) {
    releases(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      nodes { tagName isDraft }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface ReleaseNode {
  tagName: string;
  isDraft: boolean;
}

/** GitHub answered that the repository is not there (GraphQL gives `repository: null` for one the token cannot see). */
function noRepository(repository: string): HeraldError {
  const rule = 'github-not-found';
  return new HeraldError([{ file: 'graphql', line: 1, column: 1, severity: 'error', ruleId: rule, message: `Could not list the releases: GitHub has no repository ${repository}.`, hint: ruleInfo(rule).hint }]);
}

/** Every release of a repository as a scan found it, newest first (drafts included: they count in `totalCount`). */
export interface KnownReleases {
  repository: string;
  releases: ReleaseNode[];
}

/**
 * The tags of every published release (drafts left out, as a lookup by tag
 * leaves them out), read through the GraphQL API 100 at a time: one request
 * per 100 releases, where a lookup per tag would cost one per announcement
 * (10,000 at 10,000 advisories, ten times the hourly limit of a workflow's
 * token), and the REST list stops at 1,000 releases. Octokit spaces GraphQL
 * requests a second apart, so 10,000 releases take about 100 s.
 *
 * With `known`, the releases an earlier scan found, one request usually
 * does: releases are listed newest first, so every release created since
 * is on the first page as long as that page reaches a known one; and if
 * the count GitHub gives equals the known releases and that page together,
 * none was deleted (a tag has at most one release, so a known tag on a new
 * release means its old release was deleted). A draft published since keeps
 * its place (the order is by creation), so a known draft beyond the first
 * page whose tag is `watched` could be published now: then, too, every page
 * is read.
 */
export async function releaseTags(
  client: GithubClient,
  settings: GithubSettings,
  known?: KnownReleases,
  watched: (tag: string) => boolean = () => true,
): Promise<{ tags: Set<string>; known: KnownReleases }> {
  const repository = `${settings.owner}/${settings.repo}`;
  const page = async (after: string | null) => {
    const answer = await withGithubErrors('list the releases', async () => answerOf(releaseTagsAnswer, await client.graphql(releaseTagsQuery, { owner: settings.owner, repo: settings.repo, after }), `${settings.apiUrl}/graphql`));
    if (!answer.repository) throw noRepository(repository);
    return answer.repository.releases;
  };
  const first = await page(null);
  const everyPage = async () => {
    const releases = [...first.nodes];
    const cursors = cursorsOnce(`${settings.apiUrl}/graphql`);
    for (let info = first.pageInfo; info.hasNextPage && info.endCursor; ) {
      const cursor = info.endCursor;
      await withGithubErrors('list the releases', async () => cursors.next(cursor));
      const next = await page(cursor);
      releases.push(...next.nodes);
      info = next.pageInfo;
    }
    return releases;
  };
  const before = known?.repository === repository ? known.releases : undefined;
  const releases = (before && continues(first, before, watched)) ?? (await everyPage());
  const tags = new Set(releases.filter((release) => !release.isDraft).map((release) => release.tagName));
  return { tags, known: { repository, releases } };
}

/** The releases now, when the first page and the known ones together are all of them (see `releaseTags`); else undefined. */
function continues(first: { totalCount: number; nodes: ReleaseNode[]; pageInfo: { hasNextPage: boolean } }, before: readonly ReleaseNode[], watched: (tag: string) => boolean): ReleaseNode[] | undefined {
  const knownTags = new Set(before.map((release) => release.tagName));
  if (first.pageInfo.hasNextPage && !first.nodes.some((release) => knownTags.has(release.tagName))) return undefined;
  const onPage = new Set(first.nodes.map((release) => release.tagName));
  if (before.some((release) => release.isDraft && !onPage.has(release.tagName) && watched(release.tagName))) return undefined;
  const releases = [...first.nodes, ...before.filter((release) => !onPage.has(release.tagName))];
  return releases.length === first.totalCount ? releases : undefined;
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
