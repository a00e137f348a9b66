/**
 * The releases the last `herald publish` found, kept in `state/` beside the
 * ledgers (which the announce job carries between runs), so that the next
 * run reads one page of releases instead of every page (see `releaseTags`).
 * Only ever a shortcut: a file that is missing, damaged or of another
 * repository is ignored, and the scan checks it against GitHub's count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../../io/write-file.ts';
import type { KnownReleases } from '../../publish/github/releases.ts';
import type { KnownReleasesStore } from './release-mark.ts';

export const knownReleasesFile = path.join('state', 'github-releases.json');

export function knownReleasesStore(file: string, options: { readOnly: boolean }): KnownReleasesStore {
  return {
    load: () => {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        return isKnownReleases(data) ? data : undefined;
      } catch {
        return undefined;
      }
    },
    save: (known) => {
      if (options.readOnly) return;
      writeFileAtomically(file, `${JSON.stringify(known)}\n`);
    },
  };
}

function isKnownReleases(data: unknown): data is KnownReleases {
  if (data === null || typeof data !== 'object') return false;
  const { repository, releases } = data as Partial<KnownReleases>;
  return typeof repository === 'string' && Array.isArray(releases) && releases.every((r) => r !== null && typeof r === 'object' && typeof r.tagName === 'string' && typeof r.isDraft === 'boolean');
}
