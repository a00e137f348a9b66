/** `herald check` output: one line per entry for people, or the JSON machines read. */
import { oneLine } from '../model/control-chars.ts';
import type { Checklist } from '../render/checklists/schema.ts';
import type { CheckStatus } from './evaluate.ts';
import type { CheckReport } from './run-checklist.ts';

const marks: Record<CheckStatus, string> = { pass: 'PASS ', fail: 'FAIL ', error: 'ERROR', skipped: 'SKIP ' };

/** Under a line, aligned with the entry's id. */
const indent = ' '.repeat(marks.pass.length + 2);
/** At most this many lines of a passing command's stderr are shown (--json has it all). */
const maxStderrLines = 10;
/** A line longer than this is cut (an inline quote is cut at 120; these lines have the width to themselves). */
const maxStderrWidth = 200;

/**
 * A passing command's stderr, under its line: a pass's detail says nothing
 * of it, yet a warning there is for the operator to read (a failure's
 * detail quotes its last line instead). Control characters become spaces,
 * so a command cannot move the cursor or colour the terminal.
 */
function stderrLines(stderr: string): string[] {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trimEnd())
    .filter((line) => line.trim() !== '')
    .map((line) => (line.length > maxStderrWidth ? `${line.slice(0, maxStderrWidth)}\u2026` : line));
  const shown = lines.slice(0, maxStderrLines).map((line) => `${indent}stderr: ${line}`);
  const more = lines.length - maxStderrLines;
  if (more > 0) shown.push(`${indent}stderr: \u2026 ${more} more line${more === 1 ? '' : 's'} (--json has them all)`);
  return shown;
}

/** The counts line of an advisory without verify entries: exit status 0, but nothing was verified. */
export const noChecks = '0 checks: the advisory has no verify entries, so nothing was verified on this host';

/** The last line: the counts, or that there was nothing to verify. */
export function summaryLine({ total, pass, fail, error, skipped }: CheckReport['summary']): string {
  return total === 0 ? noChecks : `${total} check${total === 1 ? '' : 's'}: ${pass} pass, ${fail} fail, ${error} error, ${skipped} skipped`;
}

/**
 * The lines before the results, each one line of text: the advisory's id,
 * revision and title, then whether it is a private preview and whether it
 * was withdrawn (and why). The shell export prints the same lines.
 */
export function advisoryLines(checklist: Checklist): string[] {
  const { advisory } = checklist;
  const lines = [`${advisory.id} revision ${advisory.revision}: ${advisory.title}`];
  if (checklist.privatePreview) lines.push('PRIVATE PREVIEW: not for publication');
  if (advisory.status === 'withdrawn') lines.push(`WITHDRAWN${advisory.withdrawnReason ? `: ${advisory.withdrawnReason}` : ''}`);
  return lines.map(oneLine);
}

/**
 * The advisory line, then `MARK  id  detail` per entry (the shell export
 * prints the same lines), each pass followed by what its command wrote to
 * stderr, if anything (`       stderr: …`; not in the exports), then the
 * counts.
 */
export function formatCheckText(checklist: Checklist, report: CheckReport): string {
  const lines = advisoryLines(checklist);
  for (const result of report.results) {
    lines.push(`${marks[result.status]}  ${result.id}  ${result.detail}`);
    if (result.status === 'pass' && result.stderr) lines.push(...stderrLines(result.stderr));
  }
  lines.push(summaryLine(report.summary));
  // A note's text (a title, a reason, a path, a pattern) gives the terminal no escape sequence and no line of its own.
  return lines.map(oneLine).join('\n') + '\n';
}

/**
 * `{"advisory", "withdrawn"?, "privatePreview"?, "results": [{"id", "status",
 * "detail", "stderr"?}], "summary"}`, 2-space indented: what the text's
 * first lines say of the advisory (`advisoryLines`), a script reads too.
 */
export function formatCheckJson(checklist: Checklist, report: CheckReport): string {
  const { advisory } = checklist;
  const json = {
    advisory: report.advisory,
    ...(advisory.status === 'withdrawn' ? { withdrawn: { reason: advisory.withdrawnReason ?? null } } : {}),
    ...(checklist.privatePreview ? { privatePreview: true } : {}),
    results: report.results.map(({ id, status, detail, stderr }) => ({ id, status, detail, ...(stderr ? { stderr } : {}) })),
    summary: report.summary,
  };
  return JSON.stringify(json, null, 2) + '\n';
}
