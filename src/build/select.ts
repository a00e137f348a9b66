/**
 * Which advisories a build may show. Drafts, notes still under embargo and
 * notes without their id never reach public output; a preview build shows
 * them, marked.
 */
import path from 'node:path';
import type { Advisory } from '../model/types.ts';

/**
 * A note whose id is still the placeholder `<PREFIX>-XXXX`. It is not
 * public until `herald assign-ids` numbers it: its pages would move to a
 * new address then, and two such notes would claim the same files.
 */
export function hasPlaceholderId(advisory: Pick<Advisory, 'id' | 'kind'>): boolean {
  return advisory.kind === 'note' && advisory.id.endsWith('-XXXX');
}

export function isPublic(advisory: Pick<Advisory, 'status' | 'embargo' | 'id' | 'kind'>, now: Date): boolean {
  if (advisory.status === 'draft' || hasPlaceholderId(advisory)) return false;
  if (advisory.embargo && Date.parse(advisory.embargo) > now.getTime()) return false;
  return true;
}

/** Newest first: by date, then by id, so equal dates still sort stably. */
export function newestFirst(a: Pick<Advisory, 'date' | 'id'>, b: Pick<Advisory, 'date' | 'id'>): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
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
  const base = path.basename(file).replace(/\.(md|markdown)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return base === advisory.id || base.startsWith(`${advisory.id}-`) ? base : `${advisory.id}-${base}`;
}
