/**
 * Which advisories a build may show. Drafts and notes still under embargo
 * never reach public output; a preview build shows them, marked.
 */
import type { Advisory } from '../model/types.ts';

export function isPublic(advisory: Pick<Advisory, 'status' | 'embargo'>, now: Date): boolean {
  if (advisory.status === 'draft') return false;
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
