/**
 * `document.tracking` from the note: integer versions (the original is
 * version 1, "UPDATE n" is version n + 1), dates from the note only.
 */
import type { Advisory } from '../../model/types.ts';
import type { CsafDocument, CsafRevision } from './types.ts';

/**
 * Revision timestamps. Notes date revisions by day; when two fall on the
 * same day, each later one is placed one second after the previous, so the
 * history sorts by date in the same order as by number (CSAF test 6.1.14).
 */
function revisionTimes(dates: readonly string[]): string[] {
  const times: string[] = [];
  let previous = -Infinity;
  for (const date of dates) {
    previous = nextRevisionTime(date, previous);
    times.push(isoSeconds(previous));
  }
  return times;
}

const nextRevisionTime = (date: string, previous: number): number => Math.max(Date.parse(`${date}T00:00:00Z`), previous + 1000);
const isoSeconds = (time: number): string => new Date(time).toISOString().replace('.000Z', 'Z');

/** The dates `trackingOf` gives the revisions, in order. */
function revisionDates(advisory: Advisory): string[] {
  // A draft has never been released: one revision, dated by its latest change.
  if (advisory.status === 'draft') return [advisory.revisions.at(-1)?.date ?? advisory.date];
  return [advisory.date, ...advisory.revisions.map((revision) => revision.date)];
}

/**
 * `trackingOf(advisory).current_release_date`, without the rest: the
 * provider's index and changes list need it of every advisory.
 */
export function currentReleaseDate(advisory: Advisory): string {
  let time = -Infinity;
  for (const date of revisionDates(advisory)) time = nextRevisionTime(date, time);
  return isoSeconds(time);
}

export function trackingOf(advisory: Advisory, generator: { name: string; version: string }): CsafDocument['document']['tracking'] {
  const times = revisionTimes(revisionDates(advisory));
  // A draft has never been released: CSAF wants version 0 and no released revision.
  const history: CsafRevision[] =
    advisory.status === 'draft'
      ? [{ number: '0', date: times[0]!, summary: 'Draft, not yet released.' }]
      : [{ number: '1', date: times[0]!, summary: 'Initial release.' }, ...advisory.revisions.map((r, index) => ({ number: String(index + 2), date: times[index + 1]!, summary: `UPDATE ${r.number}: ${r.summary}` }))];
  const first = history[0]!;
  const last = history.at(-1)!;
  return {
    id: advisory.id,
    status: advisory.status === 'draft' ? 'draft' : 'final',
    version: last.number,
    initial_release_date: first.date,
    current_release_date: last.date,
    revision_history: history,
    generator: { date: last.date, engine: generator },
  };
}
