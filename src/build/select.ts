/**
 * Which advisories a build may show. Drafts, notes still under embargo and
 * notes without their id never reach public output; a preview build shows
 * them, marked.
 */
import { hasPlaceholderId, type Advisory } from '../model/types.ts';
import { noteStem } from '../io/note-file.ts';

export function isPublic(advisory: Pick<Advisory, 'status' | 'embargo' | 'id' | 'kind'>, now: Date): boolean {
  if (advisory.status === 'draft' || hasPlaceholderId(advisory)) return false;
  return !underEmbargo(advisory, now);
}

/** Whether the advisory's embargo has not lifted yet at `now`. */
export function underEmbargo(advisory: Pick<Advisory, 'embargo'>, now: Date): boolean {
  return advisory.embargo !== undefined && advisory.embargo !== '' && Date.parse(advisory.embargo) > now.getTime();
}

/** Newest first: by date, then by id, so equal dates still sort stably. */
export function newestFirst(a: Pick<Advisory, 'date' | 'id'>, b: Pick<Advisory, 'date' | 'id'>): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Whether a note (its summary or card; none when it could not be read) is published by this build. */
export function isShown(advisory: Pick<Advisory, 'status' | 'embargo' | 'id' | 'kind'> | undefined, now: Date, preview: boolean): boolean {
  return advisory !== undefined && (preview || isPublic(advisory, now));
}

/** The items whose note (its summary or card, through `cardOf`) this build publishes, newest first: what the aggregates list. */
export function shownNewestFirst<T>(items: readonly T[], cardOf: (item: T) => Pick<Advisory, 'status' | 'embargo' | 'id' | 'kind' | 'date'> | undefined, now: Date, preview: boolean): T[] {
  return items.filter((item) => isShown(cardOf(item), now, preview)).sort((a, b) => newestFirst(cardOf(a)!, cardOf(b)!));
}

export function selectForBuild(advisories: readonly Advisory[], now: Date, preview: boolean): Advisory[] {
  return advisories.filter((a) => preview || isPublic(a, now)).sort(newestFirst);
}

/**
 * In a preview build, a note without its id goes by its file name, so that
 * notes written side by side (`OSSN-XXXX-tls.md`, `OSSN-XXXX-dns.md`) each
 * get their own pages and files: `OSSN-XXXX-tls`, `OSSN-XXXX-dns`.
 */
export function withPreviewId(advisory: Advisory): Advisory {
  if (!hasPlaceholderId(advisory)) return advisory;
  const id = previewIdOf(advisory, advisory.source.path);
  return { ...advisory, id, slug: id };
}

/** The id a preview gives the advisory of the note `file` (its own id, unless it is the placeholder). */
export function previewIdOf(advisory: Pick<Advisory, 'id' | 'kind'>, file: string): string {
  if (!hasPlaceholderId(advisory)) return advisory.id;
  const base = noteStem(file).replace(/[^A-Za-z0-9._-]+/g, '-');
  return base === advisory.id || base.startsWith(`${advisory.id}-`) ? base : `${advisory.id}-${base}`;
}

/** Of `ids`, those a preview gave notes whose id is the placeholder `id` (`OSSN-XXXX` → `OSSN-XXXX-tls`), sorted; none for any other id. */
export function previewIdsFor(id: string, ids: Iterable<string>): string[] {
  if (!hasPlaceholderId({ id, kind: 'note' })) return [];
  return [...ids].filter((other) => other.startsWith(`${id}-`)).sort();
}
