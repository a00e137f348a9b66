/**
 * The remediation checklist as the advisory page shows it: each step in
 * order with its commands (copyable), config edits and the verify entries
 * that prove it done, each with its expected result in words. It reads the
 * steps and verify entries as `buildChecklist` (../checklists/model.ts)
 * does for `checklists/<ID>.json`, with the same words for expectations, so
 * the page and the file never disagree; building the whole checklist (its
 * targets, package queries and config directives) would only be thrown away.
 */
import type { Advisory, Step, VerifyEntry } from '../../model/types.ts';
import { describeExpectation, notInstalledClause } from '../checklists/model.ts';
import { titleLead } from '../../model/step-title.ts';
import { checkAnchor } from '../../model/verify-ids.ts';

export interface VerifyView {
  id: string;
  title: string;
  /** The command whose output is tested, or null when a file is matched. */
  run: string | null;
  file: string | null;
  expected: string;
  /** `check-<id>` where the checklist shows the entry first (the body's `Verify:` lines link there), else null. */
  anchor: string | null;
}

export interface StepView {
  anchor: string;
  title: string;
  /** The step's prose, paragraph by paragraph. */
  paragraphs: string[];
  kind: string;
  role: string | null;
  commands: string[];
  configEdits: { file: string; lang: string; content: string }[];
  rollback: string | null;
  restartRequired: boolean;
  migrationRequired: boolean;
  verify: VerifyView[];
}

export interface ChecklistView {
  steps: StepView[];
  /** Verify entries no step names: still worth running after the steps. */
  otherChecks: VerifyView[];
  empty: boolean;
}

/** The target the checklist file gives the entry: the file for line matches, else the command (the loader guarantees it has that one). */
function verifyView(entry: VerifyEntry): VerifyView {
  const matchesLines = entry.expect.kind === 'absent' || entry.expect.kind === 'present';
  return {
    id: entry.id,
    title: entry.title,
    run: matchesLines ? null : (entry.run ?? null),
    file: matchesLines ? (entry.file ?? null) : null,
    expected: describeExpectation(entry.expect) + notInstalledClause(entry),
    anchor: null,
  };
}

/** The prose without its lead sentence when that sentence is the title, which the page shows already. */
function bodyOf(step: Step): string {
  const lead = titleLead(step.title, step.text);
  if (lead?.restated !== 'whole') return step.text;
  return step.text.slice(lead.length).replace(/^[.:!?]?\s*/, '');
}

/**
 * A section with neither numbered steps nor headings is one step. Its
 * edits and commands, pulled out of their prose, could read as things to
 * do one after another when the prose offers them as alternatives
 * (OSSN-0007's four libvirtd.conf settings): the body just above has them
 * in their place, so the step points there instead.
 */
const wholeSectionText = 'These recommended actions are not split into steps: apply them as written above, where each edit and command stands with the case it is for.';

function stepView(step: Step, byId: ReadonlyMap<string, VerifyView>): StepView {
  const whole = step.wholeSection === true;
  return {
    anchor: step.id,
    title: step.title,
    paragraphs: whole ? [wholeSectionText] : bodyOf(step).split(/\n{2,}/).filter((paragraph) => paragraph.trim() !== ''),
    kind: step.kind,
    role: step.role ?? null,
    commands: whole ? [] : step.commands,
    configEdits: whole ? [] : step.configEdits.map(({ file, lang, content }) => ({ file, lang, content })),
    rollback: step.rollback ?? null,
    restartRequired: step.restartRequired,
    migrationRequired: step.migrationRequired,
    verify: step.verify.flatMap((id) => byId.get(id) ?? []),
  };
}

export function checklistView(advisory: Advisory): ChecklistView {
  const byId = new Map(advisory.verify.map((entry) => [entry.id, verifyView(entry)]));
  const named = new Set(advisory.steps.flatMap((step) => step.verify));
  const steps = advisory.steps.map((step) => stepView(step, byId));
  const otherChecks = advisory.verify.filter((entry) => !named.has(entry.id)).map((entry) => byId.get(entry.id)!);
  // A check several steps name is anchored where it first appears: an id is unique in a page.
  const anchored = new Set<string>();
  const withAnchor = (view: VerifyView): VerifyView => {
    if (anchored.has(view.id)) return view;
    anchored.add(view.id);
    return { ...view, anchor: checkAnchor(view.id) };
  };
  for (const step of steps) step.verify = step.verify.map(withAnchor);
  return { steps, otherChecks: otherChecks.map(withAnchor), empty: steps.length === 0 && otherChecks.length === 0 };
}
