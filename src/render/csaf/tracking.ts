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
    const time = Math.max(Date.parse(`${date}T00:00:00Z`), previous + 1000);
    times.push(new Date(time).toISOString().replace('.000Z', 'Z'));
    previous = time;
  }
  return times;
}

export function trackingOf(advisory: Advisory, generator: { name: string; version: string }): CsafDocument['document']['tracking'] {
  let history: CsafRevision[];
  if (advisory.status === 'draft') {
    // A draft has never been released: CSAF wants version 0 and no released revision.
    const [time] = revisionTimes([advisory.revisions.at(-1)?.date ?? advisory.date]);
    history = [{ number: '0', date: time!, summary: 'Draft, not yet released.' }];
  } else {
    const entries = [{ date: advisory.date, summary: 'Initial release.' }, ...advisory.revisions.map((r) => ({ date: r.date, summary: `UPDATE ${r.number}: ${r.summary}` }))];
    const times = revisionTimes(entries.map((e) => e.date));
    history = entries.map((entry, index) => ({ number: String(index + 1), date: times[index]!, summary: entry.summary }));
  }
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
