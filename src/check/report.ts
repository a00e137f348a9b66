/** `herald check` output: one line per entry for people, or the JSON machines read. */
import type { Checklist } from '../render/checklists/schema.ts';
import type { CheckStatus } from './evaluate.ts';
import type { CheckReport } from './run-checklist.ts';

const marks: Record<CheckStatus, string> = { pass: 'PASS ', fail: 'FAIL ', error: 'ERROR', skipped: 'SKIP ' };

/** The counts line of an advisory without verify entries: exit status 0, but nothing was verified. */
export const noChecks = '0 checks: the advisory has no verify entries, so nothing was verified on this host';

/**
 * The advisory line, then `MARK  id  detail` per entry (the shell export
 * prints the same lines), then the counts.
 */
export function formatCheckText(checklist: Checklist, report: CheckReport): string {
  const { advisory } = checklist;
  const lines = [`${advisory.id} revision ${advisory.revision}: ${advisory.title}`];
  if (checklist.privatePreview) lines.push('PRIVATE PREVIEW: not for publication');
  if (advisory.status === 'withdrawn') lines.push(`WITHDRAWN${advisory.withdrawnReason ? `: ${advisory.withdrawnReason}` : ''}`);
  for (const result of report.results) lines.push(`${marks[result.status]}  ${result.id}  ${result.detail}`);
  const { total, pass, fail, error, skipped } = report.summary;
  lines.push(total === 0 ? noChecks : `${total} check${total === 1 ? '' : 's'}: ${pass} pass, ${fail} fail, ${error} error, ${skipped} skipped`);
  return lines.join('\n') + '\n';
}

/** `{"advisory", "results": [{"id", "status", "detail"}], "summary"}`, 2-space indented. */
export function formatCheckJson(report: CheckReport): string {
  const json = {
    advisory: report.advisory,
    results: report.results.map(({ id, status, detail }) => ({ id, status, detail })),
    summary: report.summary,
  };
  return JSON.stringify(json, null, 2) + '\n';
}
