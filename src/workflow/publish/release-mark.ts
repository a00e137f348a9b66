/**
 * The GitHub release as publish's done mark, behind the `DoneMark`
 * interface so the orchestration never sees Octokit.
 */
import type { Config } from '../../config/schema.ts';
import type { GithubClient } from '../../publish/github/client.ts';
import type { GithubSettings } from '../../publish/github/environment.ts';
import { createRelease, releaseTags } from '../../publish/github/releases.ts';
import type { Announcement, PlannedAnnouncement } from './plan.ts';
import { releaseBody, releaseName } from './release-text.ts';
import type { DoneMark } from './run.ts';

/**
 * Releases in `settings`' repository; new tags are created on `targetSha`
 * (the commit being published, `GITHUB_SHA` in Actions) when given.
 */
export function releaseMark(client: GithubClient, settings: GithubSettings, config: Config, targetSha?: string): DoneMark {
  // Every release's tag, read once per run at the first question: a run asks
  // about every public advisory. A release another run creates meanwhile
  // makes our create answer `already-exists`, which is done too.
  let tags: Promise<Set<string>> | undefined;
  return {
    isDone: async (announcement: PlannedAnnouncement) => (await (tags ??= releaseTags(client, settings))).has(announcement.tag),
    mark: (announcement: Announcement) =>
      createRelease(client, settings, {
        tag: announcement.tag,
        name: releaseName(announcement),
        body: releaseBody(announcement, config),
        ...(targetSha ? { targetCommitish: targetSha } : {}),
      }),
  };
}

/** Without a token a dry run cannot ask GitHub: every announcement counts as not done, and the report says so. */
export const unknownMark: DoneMark = {
  isDone: async () => false,
  mark: async () => {
    throw new Error('a dry run never creates releases');
  },
};
