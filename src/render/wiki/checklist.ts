/**
 * The remediation checklist: the steps of "Recommended Actions" in a table
 * (what, kind, who, how to confirm, how to undo), then the machine-readable
 * verify entries that confirm them, each with an anchor (`check-<id>`) that
 * the steps and the body's `Verify:` lines link to.
 */
import type { Advisory, Expectation, Step, VerifyEntry } from '../../model/types.ts';
import { escapeText } from './escape.ts';
import { codeSpan } from './markup.ts';
import { wikiTable } from './table.ts';
import { internalLink } from './link-target.ts';
import { checkAnchor } from '../../model/verify-ids.ts';
import { notInstalledClause } from '../checklists/model.ts';

function stepKind(step: Step): string {
  const notes = [step.kind, step.restartRequired ? 'restart required' : '', step.migrationRequired ? 'live migration required' : ''];
  return escapeText(notes.filter(Boolean).join('; '));
}

function stepsTable(steps: readonly Step[]): string {
  const withRollback = steps.some((step) => step.rollback);
  const header = ['Step', 'Action', 'Kind', 'Applies to', 'Verified by', ...(withRollback ? ['Rollback'] : [])];
  const rows = steps.map((step, index) => ({
    cells: [
      String(index + 1),
      escapeText(step.title),
      stepKind(step),
      escapeText(step.role ?? ''),
      step.verify.map((id) => internalLink(`#${checkAnchor(id)}`, codeSpan(id))).join(', '),
      ...(withRollback ? [escapeText(step.rollback ?? '')] : []),
    ],
  }));
  return wikiTable({ className: 'wikitable herald-checklist', header, rows });
}

/** What a verify entry expects, in words, e.g. "version >= 1.0.1e-2+deb7u6 (deb)". */
export function expectationText(expect: Expectation): string {
  switch (expect.kind) {
    case 'version':
      return `version ${escapeText(`${expect.operator} ${expect.version}`)} (${expect.scheme})`;
    case 'present':
      return `a line matches ${codeSpan(expect.pattern)}`;
    case 'absent':
      return `no line matches ${codeSpan(expect.pattern)}`;
    case 'stdout':
      return `output matches ${codeSpan(expect.pattern)}`;
    case 'exit':
      return `exit status ${expect.code}`;
  }
}

function method(entry: VerifyEntry): string {
  if (entry.run !== undefined) return `run ${codeSpan(entry.run)}`;
  if (entry.file !== undefined) return `read ${codeSpan(entry.file)}`;
  return '';
}

function verifyTable(entries: readonly VerifyEntry[]): string {
  return wikiTable({
    className: 'wikitable herald-verify',
    header: ['Check', 'Description', 'How', 'Expected'],
    rows: entries.map((entry) => ({ cells: [`<span id="${checkAnchor(entry.id)}"></span>${codeSpan(entry.id)}`, escapeText(entry.title), method(entry), expectationText(entry.expect) + escapeText(notInstalledClause(entry))] })),
  });
}

/** The checklist section, or nothing for an advisory with neither steps nor verify entries. */
export function checklistSection(advisory: Advisory): string {
  const parts: string[] = [];
  if (advisory.steps.length > 0) parts.push(stepsTable(advisory.steps));
  if (advisory.verify.length > 0) parts.push(`=== Verification ===\n\n${verifyTable(advisory.verify)}`);
  return parts.length > 0 ? `== Remediation checklist ==\n\n${parts.join('\n\n')}` : '';
}
