/**
 * The preview of a pull request as Markdown: for every note it changes, the
 * lint findings, the announcement email and the remediation checklist.
 * Pure: the caller gathers `NotePreview`s (reading, linting, rendering) and
 * this module only lays them out, within a size budget, because GitHub caps
 * a comment at 65,536 characters and a job summary at 1 MiB.
 */
import type { HeraldMessage } from '../errors/message.ts';
import type { Checklist, ChecklistStep } from '../render/checklists/model.ts';
import type { ChangeStatus } from './changes.ts';
import { code, codeCell, details, fence, inline, plural } from './markdown.ts';

/** What the preview shows of one changed note. */
export interface NotePreview {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  change: ChangeStatus;
  previousPath?: string;
  /** Set when the note loaded as an advisory. */
  advisory?: {
    id: string;
    title: string;
    status: 'draft' | 'published' | 'withdrawn';
    embargo?: string;
    /** Set when `herald publish` counts the advisory as announced before herald: its latest date, and `publish.announce_from`. */
    updated?: string;
    announceFrom?: string;
    /** The change edits a note published before it, and adds no update: merging it announces nothing. */
    addsNoUpdate?: boolean;
  };
  /** The change lists the note but the working tree does not have it. */
  missing?: boolean;
  /** Lint findings for this note (errors and warnings). */
  messages: readonly HeraldMessage[];
  /** `threadsUnder`: the messages it replies to, oldest first, as `the original` and `UPDATE 1`. */
  email?: { subject: string; to: string; text: string; threadsUnder?: string[] };
  checklist?: Checklist;
}

export interface PreviewOptions {
  /** The clock, to tell whether an embargo is still running. */
  now: Date;
  /** The largest output allowed, as measured by `measure`. */
  limit: number;
  /** How output size is counted: UTF-16 units for comments, UTF-8 bytes for job summaries. */
  measure?: (text: string) => number;
  /** Where the full preview can be read when this one had to be cut. */
  fullPreviewHint?: string;
}

/** GitHub's limit on an issue or pull request comment body, in characters. */
export const commentLimit = 65_536;
/** GitHub's limit on a step's job summary is 1 MiB of UTF-8; this leaves room for other steps. */
export const stepSummaryLimit = 1_000_000;

const maxLintRows = 50;
const defaultHint = 'run `herald preview` locally or read the workflow run\u2019s job summary for the full text';

/** UTF-8 length, for budgets GitHub counts in bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The whole preview. Sections are sized fairly: each note gets an equal
 * share of what is left, notes smaller than their share give the rest to
 * the others, and a section that does not fit is cut with a visible note
 * saying so. The result never exceeds `options.limit`.
 */
export function renderPreview(previews: readonly NotePreview[], options: PreviewOptions): string {
  const measure = options.measure ?? ((text: string) => text.length);
  const sorted = [...previews].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const head = previewHeader(sorted);
  if (sorted.length === 0) return head;
  const hint = options.fullPreviewHint ?? defaultHint;
  const footerReserve = measure(omittedNotice(sorted.length, hint)) + 2;
  let remaining = options.limit - measure(head) - footerReserve;
  const rendered = new Map<NotePreview, string>();
  const bySize = sorted
    .map((preview) => ({ preview, full: renderSection(preview, options.now) }))
    .sort((a, b) => measure(a.full) - measure(b.full));
  bySize.forEach(({ preview, full }, index) => {
    const share = Math.floor(remaining / (bySize.length - index)) - 2;
    const text = measure(full) <= share ? full : fitSection(preview, options.now, share, measure, hint);
    if (text === undefined) return;
    rendered.set(preview, text);
    remaining -= measure(text) + 2;
  });
  const parts = [head, ...sorted.filter((p) => rendered.has(p)).map((p) => rendered.get(p)!)];
  const omitted = sorted.length - rendered.size;
  if (omitted > 0) parts.push(omittedNotice(omitted, hint));
  return parts.join('\n\n');
}

function previewHeader(previews: readonly NotePreview[]): string {
  const lines = ['## herald preview'];
  if (previews.length === 0) {
    lines.push('', 'This change touches no note.');
    return lines.join('\n');
  }
  const errors = previews.filter((p) => p.messages.some((m) => m.severity === 'error')).length;
  const verdict = errors === 0 ? '\u2705 lint passes' : `\u274c ${plural(errors, 'note')} with lint errors`;
  lines.push(
    '',
    `${plural(previews.length, 'note')} changed; ${verdict}. What follows is a **private preview** of what herald would publish: every output below is marked PRIVATE PREVIEW.`,
  );
  return lines.join('\n');
}

function omittedNotice(count: number, hint: string): string {
  return `> [!NOTE]\n> ${plural(count, 'more note')} not shown: the preview is limited in size; ${hint}.`;
}

/** Heading, status line and lint findings: what is always shown of a note. */
function sectionHead(preview: NotePreview, now: Date): string {
  const lines: string[] = [];
  const a = preview.advisory;
  lines.push(a ? `### ${code(a.id)} ${inline(a.title)}` : `### ${code(preview.path)}`);
  const facts = [code(preview.path), changeText(preview)];
  if (a) facts.push(a.status);
  lines.push('', facts.join(' \u00b7 '));
  if (a?.embargo && Date.parse(a.embargo) > now.getTime()) {
    lines.push('', `> [!WARNING]\n> Under embargo until ${code(a.embargo)}: nothing about this note is published before then.`);
  }
  if (a?.status === 'draft') lines.push('', '> [!NOTE]\n> A draft: merging it publishes nothing until its status is `published`.');
  if (a?.announceFrom) {
    lines.push(
      '',
      `> [!NOTE]\n> \`herald publish\` will not announce this: its latest date, ${code(a.updated!)}, is before \`publish.announce_from\` (${code(a.announceFrom)}), so it counts as announced before herald. To announce a change, add a revision dated on or after that day.`,
    );
  }
  if (a?.addsNoUpdate && !a.announceFrom) {
    lines.push(
      '',
      `> [!NOTE]\n> This change edits a published note and adds no update: once merged, the site shows the edit, but \`herald publish\` neither mails it nor edits the wiki page (it publishes updates). To announce it, add one: \`herald revise ${a.id} "What changed"\`. For a fix not worth an announcement, \`herald wiki push ${a.id}\` updates the wiki page alone.`,
    );
  }
  if (preview.change === 'removed') {
    lines.push('', 'This change deletes the note. A note that was published should be withdrawn (`status: withdrawn`) rather than deleted.');
    return lines.join('\n');
  }
  if (preview.missing) {
    lines.push('', 'The note is not in the working tree herald ran in: run it in a checkout of the pull request\u2019s head.');
    return lines.join('\n');
  }
  if (!a) lines.push('', 'The note could not be read as an advisory; fix the errors below.');
  lines.push('', lintSummary(preview.messages));
  return lines.join('\n');
}

function changeText(preview: NotePreview): string {
  if (preview.change === 'renamed' && preview.previousPath) return `renamed from ${code(preview.previousPath)}`;
  return preview.change;
}

function lintSummary(messages: readonly HeraldMessage[]): string {
  if (messages.length === 0) return '**Lint:** \u2705 no problems.';
  const errors = messages.filter((m) => m.severity === 'error').length;
  const warnings = messages.length - errors;
  const counts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  // The hint, how to fix it, as `herald lint` prints it under the message: the author reads the comment, not the log.
  const rows = messages.slice(0, maxLintRows).map((m) => `| ${m.line}:${m.column} | ${m.severity} | ${codeCell(m.ruleId)} | ${inline(m.message)}${m.hint ? `<br>*Fix:* ${inline(m.hint)}` : ''} |`);
  const more = messages.length > maxLintRows ? [`\n${plural(messages.length - maxLintRows, 'more finding')}: run \`herald lint\` for all.`] : [];
  return [`**Lint:** ${errors > 0 ? '\u274c' : '\u26a0\ufe0f'} ${counts}.`, '', '| Line | Severity | Rule | Message |', '|---:|---|---|---|', ...rows, ...more].join('\n');
}

function emailSummary(email: NonNullable<NotePreview['email']>): string {
  return `Announcement email: ${email.subject}`;
}

function emailBody(email: NonNullable<NotePreview['email']>, text: string): string {
  const thread = email.threadsUnder?.length ? `<br>\nThreads under: ${email.threadsUnder.map(inline).join(' \u203a ')}` : '';
  return `To: ${inline(email.to)}<br>\nSubject: ${inline(email.subject)}${thread}\n\n${fence(text, 'text')}`;
}

function checklistSummary(checklist: Checklist): string {
  return `Remediation checklist: ${plural(checklist.steps.length, 'step')}, ${plural(checklist.verify.length, 'check')}`;
}

function stepMarkdown(step: ChecklistStep, index: number): string {
  const facts = [step.kind, step.role].filter(Boolean).join(' \u00b7 ');
  const lines = [`${index + 1}. **${inline(step.title)}** (${inline(facts)})`];
  const body: string[] = [];
  // The step's prose starts with its bold title sentence, already the heading.
  const prose = step.text.startsWith(step.title) ? step.text.slice(step.title.length).replace(/^[.:!]?\s*/, '') : step.text;
  if (prose) body.push(inline(prose));
  for (const edit of step.configEdits) body.push(`Edit ${code(edit.file)}:`, fence(edit.content, edit.lang));
  if (step.commands.length > 0) body.push(fence(step.commands.join('\n'), 'sh'));
  if (step.verify.length > 0) body.push(`Verified by: ${step.verify.map(code).join(', ')}`);
  if (step.rollback) body.push(`Rollback: ${inline(step.rollback)}`);
  for (const block of body) lines.push('', indent(block, 3));
  return lines.join('\n');
}

function checksMarkdown(checklist: Checklist): string {
  if (checklist.verify.length === 0) return '';
  const rows = checklist.verify.map((v) => {
    const target = codeCell('run' in v ? v.run : v.file);
    return `| ${codeCell(v.id)} | ${inline(v.title)} | ${target} | ${inline(v.description)} |`;
  });
  return ['**Checks** (`herald check` runs them on a host)', '', '| Id | Check | Command or file | Expectation |', '|---|---|---|---|', ...rows].join('\n');
}

function checklistBody(checklist: Checklist, steps: number): string {
  const parts = checklist.steps.slice(0, steps).map(stepMarkdown);
  if (checklist.steps.length === 0) parts.push('_No steps: "Recommended Actions" has no ordered list or sub-headings._');
  return parts.join('\n\n');
}

function indent(text: string, width: number): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** The note's full section. */
function renderSection(preview: NotePreview, now: Date): string {
  const parts = [sectionHead(preview, now)];
  if (preview.email) parts.push(details(emailSummary(preview.email), emailBody(preview.email, preview.email.text)));
  if (preview.checklist) {
    const checks = checksMarkdown(preview.checklist);
    parts.push(details(checklistSummary(preview.checklist), [checklistBody(preview.checklist, Infinity), checks].filter(Boolean).join('\n\n')));
  }
  return parts.join('\n\n');
}

/**
 * The note's section cut to `budget`: the head always, then as much of the
 * email and the checklist as fits, each cut one saying what is missing.
 * `undefined` when not even the head fits.
 */
function fitSection(preview: NotePreview, now: Date, budget: number, measure: (text: string) => number, hint: string): string | undefined {
  let out = sectionHead(preview, now);
  if (measure(out) > budget) return undefined;
  const cutNote = (what: string) => `_${what} cut to fit the size limit; ${hint}._`;
  const add = (candidates: readonly string[]) => {
    const fitting = candidates.find((c) => measure(out) + 2 + measure(c) <= budget);
    if (fitting !== undefined) out += `\n\n${fitting}`;
  };
  const email = preview.email;
  if (email) {
    const lines = email.text.split('\n');
    const full = details(emailSummary(email), emailBody(email, email.text));
    const truncated = (keep: number) =>
      details(emailSummary(email), `${emailBody(email, [...lines.slice(0, keep), `[\u2026 ${lines.length - keep} more lines]`].join('\n'))}\n\n${cutNote('The email is')}`);
    const keep = largestFitting(lines.length - 1, (k) => measure(out) + 2 + measure(truncated(k)) <= budget);
    add([full, ...(keep >= 0 ? [truncated(keep)] : []), cutNote('The announcement email is')]);
  }
  const checklist = preview.checklist;
  if (checklist) {
    const checks = checksMarkdown(checklist);
    const full = details(checklistSummary(checklist), [checklistBody(checklist, Infinity), checks].filter(Boolean).join('\n\n'));
    const truncated = (steps: number) =>
      details(checklistSummary(checklist), `${checklistBody(checklist, steps)}\n\n${cutNote(`${plural(checklist.steps.length - steps, 'more step')} and the checks were`)}`);
    const keep = largestFitting(checklist.steps.length - 1, (k) => measure(out) + 2 + measure(truncated(k)) <= budget);
    add([full, ...(keep >= 0 ? [truncated(keep)] : []), cutNote('The remediation checklist is')]);
  }
  return out;
}

/** The largest k in [0, max] with `fits(k)`, assuming `fits` is monotone; -1 when none fits. */
function largestFitting(max: number, fits: (k: number) => boolean): number {
  let low = 0;
  let high = max;
  let best = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (fits(mid)) {
      best = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}
