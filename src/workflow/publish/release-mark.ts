/**
 * The GitHub release as publish's done mark, behind the `DoneMark`
 * interface so the orchestration never sees Octokit.
 */
import type { Config } from '../../config/schema.ts';
import type { GithubClient } from '../../publish/github/client.ts';
import type { GithubSettings } from '../../publish/github/environment.ts';
import { createRelease, releaseTags, type KnownReleases } from '../../publish/github/releases.ts';
import { isReleaseTag, type Announcement, type PlannedAnnouncement } from './plan.ts';
import { releaseBody, releaseName } from './release-text.ts';
import type { DoneMark } from './run.ts';

/** Where the releases a run found are kept for the next run (`./known-releases.ts`). */
export interface KnownReleasesStore {
  load(): KnownReleases | undefined;
  save(known: KnownReleases): void;
}

/**
 * Releases in `settings`' repository; new tags are created on `targetSha`
 * (the commit being published, `GITHUB_SHA` in Actions) when given.
 */
export function releaseMark(client: GithubClient, settings: GithubSettings, config: Config, targetSha?: string, store?: KnownReleasesStore): DoneMark {
  // Every release's tag, read once per run at the first question: a run asks
  // about every public advisory. A release another run creates meanwhile
  // makes our create answer `already-exists`, which is done too.
  let scan: Promise<Set<string>> | undefined;
  let known: KnownReleases | undefined;
  const scanned = () =>
    (scan ??= releaseTags(client, settings, store?.load(), isReleaseTag).then((found) => {
      known = found.known;
      store?.save(known);
      return found.tags;
    }));
  return {
    isDone: async (announcement: PlannedAnnouncement) => (await scanned()).has(announcement.tag),
    mark: async (announcement: Announcement) => {
      const result = await createRelease(client, settings, {
        tag: announcement.tag,
        name: releaseName(announcement),
        body: releaseBody(announcement, config),
        ...(targetSha ? { targetCommitish: targetSha } : {}),
      });
      // A release the scan saw as a draft, published since: known as published from now on.
      if (result === 'already-exists' && store && known) {
        known = { ...known, releases: known.releases.map((release) => (release.tagName === announcement.tag ? { ...release, isDraft: false } : release)) };
        store.save(known);
      }
      return result;
    },
  };
}

/** Without a token a dry run cannot ask GitHub: every announcement counts as not done, and the report says so. */
export const unknownMark: DoneMark = {
  isDone: async () => false,
  mark: async () => {
    throw new Error('a dry run never creates releases');
  },
};
