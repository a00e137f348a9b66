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
