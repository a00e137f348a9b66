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

export const revisionsInOrder: NoteRule = ({ advisory, field, report }) => {
  // The latest date so far, and what carries it: a revision may not precede any date before it.
  let latest = { date: advisory.date, what: 'the publication date' };
  advisory.revisions.forEach((revision, index) => {
    if (revision.date < latest.date) {
      report('revisions-order', `Revision ${revision.number} (${revision.date}) is dated before ${latest.what} (${latest.date})`, field(['revisions', index, 'date']));
    } else {
      latest = { date: revision.date, what: `revision ${revision.number}` };
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
