/** Calendar dates written `YYYY-MM-DD`, as notes, the config and the command line give them. */

/** `YYYY-MM-DD`; the note and config schemas publish it to editors. */
export const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Written `YYYY-MM-DD`. */
export function looksLikeDate(value: string): boolean {
  return datePattern.test(value);
}

/** A real day of the calendar written `YYYY-MM-DD` (not 2014-02-30). */
export function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return looksLikeDate(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** The day after `day` (`YYYY-MM-DD`), in UTC. */
export function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The days a date written another way most likely means, as `YYYY-MM-DD`:
 * `2026-1-5`, `2026/01/05`, `20260105`, a date-time's day, `5 January
 * 2026`, `January 5, 2026`; both days of `05/01/2026`, which reads either
 * way round. None when it names no day.
 */
export function meantDates(written: string | number): string[] {
  const value = String(written).trim();
  const day = (year: string, month: string | number, date: string) => {
    const candidate = `${year}-${String(month).padStart(2, '0')}-${date.padStart(2, '0')}`;
    return isCalendarDate(candidate) ? [candidate] : [];
  };
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (match) return day(match[1]!, match[2]!, match[3]!);
  match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
  if (match) return [...new Set([...day(match[3]!, match[2]!, match[1]!), ...day(match[3]!, match[1]!, match[2]!)])];
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? (\d{4})$/.exec(value);
  const monthFirst = /^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(value);
  const named = dayFirst ? { date: dayFirst[1]!, month: dayFirst[2]!, year: dayFirst[3]! } : monthFirst ? { date: monthFirst[2]!, month: monthFirst[1]!, year: monthFirst[3]! } : undefined;
  const month = named ? months.indexOf(named.month.slice(0, 3).toLowerCase()) + 1 : 0;
  if (named && month > 0) return day(named.year, month, named.date);
  return [];
}
