/** Rules on dates: publication, revisions, embargo, withdrawal. */
import type { NoteRule } from '../rule.ts';

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export const datesNotInFuture: NoteRule = ({ advisory, now, field, report }) => {
  if (advisory.date > today(now)) {
    report('date-future', `Date ${advisory.date} is after today (${today(now)})`, field(['date']));
  }
  advisory.revisions.forEach((revision, index) => {
    if (revision.date > today(now)) report('date-future', `Revision ${revision.number} is dated ${revision.date}, after today (${today(now)})`, field(['revisions', index, 'date']));
  });
};

/**
 * Revisions are listed oldest first, none before the publication date. An
 * entry out of order is said with the one above it dated later (the latest
 * so far) and where it belongs: above the first entry dated after it. One
 * dated before the publication cannot be moved anywhere: its date is wrong,
 * or the note's.
 */
export const revisionsInOrder: NoteRule = ({ advisory, field, place, report }) => {
  const { revisions } = advisory;
  const lineOf = (path: readonly PropertyKey[]) => place(field(path)).line;
  const named = (index: number) => `revision ${revisions[index]!.number} (${revisions[index]!.date}, line ${lineOf(['revisions', index, 'date'])})`;
  // The entry with the latest date so far, which no later entry may precede.
  let latest: number | undefined;
  revisions.forEach((revision, index) => {
    const at = field(['revisions', index, 'date']);
    const what = `Revision ${revision.number} (${revision.date}) is dated before`;
    if (revision.date < advisory.date) {
      const line = lineOf(['date']);
      report('revisions-order', `${what} the publication date (${advisory.date}, line ${line})`, at, `No revision comes before the publication: correct this date, or the note's \`date\` (line ${line}) if that is the wrong one.`);
    } else if (latest !== undefined && revision.date < revisions[latest]!.date) {
      const above = revisions.findIndex((other) => other.date > revision.date);
      report('revisions-order', `${what} ${named(latest)}, which is listed above it`, at, `Revisions are listed oldest first: move this entry up, above ${named(above)}, or correct whichever of the two dates is wrong.`);
    } else {
      latest = index;
    }
  });
};

export const embargoValid: NoteRule = ({ advisory, field, report }) => {
  if (advisory.embargo === undefined) return;
  if (!isoDateTime.test(advisory.embargo) || Number.isNaN(Date.parse(advisory.embargo))) {
    report('embargo-invalid', `Embargo "${advisory.embargo}" is not an ISO 8601 date-time with a time zone`, field(['embargo']));
  }
};

export const withdrawnHasReason: NoteRule = ({ advisory, field, report }) => {
  if (advisory.status === 'withdrawn' && !advisory.withdrawnReason) {
    report('withdrawn-reason-missing', 'The note is withdrawn but says no reason', field(['status']));
  }
};
