/**
 * What `herald publish` has to announce: for every advisory, its current
 * revision (or its withdrawal), once it is public. Pure.
 *
 * Only the current revision is announced: when a note gained two updates
 * between runs, one announcement carrying UPDATE 2 (whose history lists
 * UPDATE 1) is what readers need, not two mails in a row.
 */
import { isPublic } from '../../build/select.ts';
import { currentRevision, type Advisory } from '../../model/types.ts';

export interface Announcement {
  advisory: Advisory;
  /** The revision announced: 0 for the original publication, n for UPDATE n. */
  revision: number;
  /** The withdrawal of the advisory is announced rather than a revision. */
  withdrawn: boolean;
  /** The GitHub release tag that marks the announcement done, e.g. `OSSN-0007-r1`. */
  tag: string;
}

export interface NotAnnounced {
  id: string;
  path: string;
  reason: string;
}

export interface PublishPlan {
  /** Sorted by id. */
  announcements: Announcement[];
  notYet: NotAnnounced[];
}

/** `OSSN-0007-r1`; `OSSN-0007-withdrawn` for a withdrawal. Git refuses some characters in tags: they become `-`. */
export function releaseTag(advisory: Advisory, withdrawn: boolean): string {
  const id = advisory.id.replace(/[^A-Za-z0-9._-]+/g, '-');
  return withdrawn ? `${id}-withdrawn` : `${id}-r${currentRevision(advisory)}`;
}

export function planAnnouncements(advisories: readonly Advisory[], now: Date): PublishPlan {
  const announcements: Announcement[] = [];
  const notYet: NotAnnounced[] = [];
  for (const advisory of [...advisories].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const skip = (reason: string) => notYet.push({ id: advisory.id, path: advisory.source.path, reason });
    if (advisory.kind === 'note' && advisory.id.endsWith('-XXXX')) {
      skip('has no id yet: `herald assign-ids` assigns one after merge');
    } else if (advisory.status === 'draft') {
      skip('is a draft');
    } else if (!isPublic(advisory, now)) {
      skip(`is under embargo until ${advisory.embargo}`);
    } else {
      const withdrawn = advisory.status === 'withdrawn';
      announcements.push({ advisory, revision: currentRevision(advisory), withdrawn, tag: releaseTag(advisory, withdrawn) });
    }
  }
  return { announcements, notYet };
}
