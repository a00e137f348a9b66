/**
 * AbuseFilter's refusals of an edit: `abusefilter-disallowed`, and
 * `abusefilter-warning`, which refuses an edit once per session, page and
 * filter and saves it when the same edit comes again. A warning is meant
 * for a person, who reads it and decides: herald never submits an edit
 * again to get past one. Either fails that page alone, naming the filter.
 */
import type { RuleId } from '../../errors/catalog.ts';
import type { ApiError } from './errors.ts';

/** The filter that matched an edit, as the wiki's error answer names it (`error.abusefilter`). */
export interface AbuseFilterMatch {
  ruleId: Extract<RuleId, 'wiki-abuse-filter' | 'wiki-abuse-filter-warning'>;
  /** `1`, or `global-1` for a filter shared by a wiki farm. */
  id: string;
  /** The filter's public description; the wiki's whole message when it sent none. */
  description: string;
}

/** The filter that refused the edit, or undefined for another refusal. */
export function abuseFilterMatch(error: ApiError): AbuseFilterMatch | undefined {
  if (error.code !== 'abusefilter-disallowed' && error.code !== 'abusefilter-warning') return undefined;
  const filter = (error.answer.abusefilter ?? {}) as { id?: unknown; description?: unknown };
  const description = typeof filter.description === 'string' && filter.description.trim() ? filter.description.trim() : error.info;
  return { ruleId: error.code === 'abusefilter-warning' ? 'wiki-abuse-filter-warning' : 'wiki-abuse-filter', id: String(filter.id ?? '?'), description };
}

/**
 * Why the page failed and what to do, for the push report. `exportCommand`
 * prints the page's text (`herald wiki export OSSN-0007`).
 */
export function abuseFilterReason(match: AbuseFilterMatch, exportCommand: string): string {
  const filter = `abuse filter ${match.id} (\u201c${match.description}\u201d)`;
  const where = /^\d+$/.test(match.id) ? ` (Special:AbuseFilter/${match.id})` : '';
  if (match.ruleId === 'wiki-abuse-filter') {
    return `the wiki's ${filter} disallows this edit: change what in the note the filter matches, or ask the wiki's administrators to change the filter${where} so that this page passes`;
  }
  return (
    `the wiki's ${filter} warns against this edit; the wiki would save it if sent again, but a warning is for a person to read, and herald does not send an edit again past it: ` +
    `check the page's text (${exportCommand}); if it is right, save it on the wiki by hand, confirming the warning (the next push finds the page unchanged), or ask the wiki's administrators to change the filter${where}`
  );
}
