/**
 * What `herald publish` has to announce: for every advisory, its current
 * revision (or its withdrawal), once it is public. Pure.
 *
 * Only the current revision is announced: when a note gained two updates
 * between runs, one announcement carrying UPDATE 2 (whose history lists
 * UPDATE 1) is what readers need, not two mails in a row.
 */
import { isPublic } from '../../build/select.ts';
import { cardOf, type AdvisoryCard } from '../../build/cache.ts';
import { madeBeforeHerald } from '../../model/announce-from.ts';
import { hasPlaceholderId } from '../../model/types.ts';
import type { Advisory } from '../../model/types.ts';

/**
 * What the plan reads of a note: its card (from the build cache, or made
 * from its advisory by `planNote`), with its path. Only the notes whose
 * announcement is due are read in full.
 */
export type PlanNote = Pick<AdvisoryCard, 'id' | 'kind' | 'status' | 'embargo' | 'revision' | 'updated'> & { path: string };

export function planNote(advisory: Advisory): PlanNote {
  return { ...cardOf(advisory), path: advisory.source.path };
}

export interface PlannedAnnouncement {
  id: string;
  /** The note's file. */
  path: string;
  /** The revision announced: 0 for the original publication, n for UPDATE n. */
  revision: number;
  /** The withdrawal of the advisory is announced rather than a revision. */
  withdrawn: boolean;
  /** The GitHub release tag that marks the announcement done, e.g. `OSSN-0007-r1`. */
  tag: string;
}

/** An announcement being made: its note read in full. */
export interface Announcement extends PlannedAnnouncement {
  advisory: Advisory;
}

export interface NotAnnounced {
  id: string;
  path: string;
  reason: string;
}

export interface PublishPlan {
  /** Sorted by id. */
  announcements: PlannedAnnouncement[];
  notYet: NotAnnounced[];
  /** Due, but dated before `publish.announce_from`: announced before herald took over. Sorted by id. */
  announcedBeforeHerald: NotAnnounced[];
}

export interface PlanOptions {
  /** `publish.announce_from`, `YYYY-MM-DD`. */
  announceFrom?: string;
}

/** `OSSN-0007-r1`; `OSSN-0007-withdrawn` for a withdrawal. Git refuses some characters in tags: they become `-`. */
export function releaseTag(note: Pick<PlanNote, 'id' | 'revision'>, withdrawn: boolean): string {
  const id = note.id.replace(/[^A-Za-z0-9._-]+/g, '-');
  return withdrawn ? `${id}-withdrawn` : `${id}-r${note.revision}`;
}

/** Whether a release's tag could be one `releaseTag` makes (another tool's `v1.2` is not). */
export function isReleaseTag(tag: string): boolean {
  return /^[A-Za-z0-9._-]+-(?:r\d+|withdrawn)$/.test(tag);
}

export function planAnnouncements(notes: readonly PlanNote[], now: Date, options: PlanOptions = {}): PublishPlan {
  const announcements: PlannedAnnouncement[] = [];
  const notYet: NotAnnounced[] = [];
  const announcedBeforeHerald: NotAnnounced[] = [];
  for (const note of [...notes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const skip = (reason: string) => notYet.push({ id: note.id, path: note.path, reason });
    // A draft is not announced whatever its id: it is the reason to give.
    if (note.status === 'draft') {
      skip('is a draft');
    } else if (hasPlaceholderId(note)) {
      skip('has no id yet: `herald assign-ids` assigns one after merge');
    } else if (!isPublic(note, now)) {
      skip(`is under embargo until ${note.embargo}`);
    } else if (madeBeforeHerald(note, options.announceFrom)) {
      announcedBeforeHerald.push({ id: note.id, path: note.path, reason: `is dated ${note.updated}, before publish.announce_from (${options.announceFrom})` });
    } else {
      const withdrawn = note.status === 'withdrawn';
      announcements.push({ id: note.id, path: note.path, revision: note.revision, withdrawn, tag: releaseTag(note, withdrawn) });
    }
  }
  return { announcements, notYet, announcedBeforeHerald };
}
