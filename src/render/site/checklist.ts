/**
 * The remediation checklist as the advisory page shows it: each step in
 * order with its commands (copyable), config edits and the verify entries
 * that prove it done, each with its expected result in words. Built from
 * the same checklist as `checklists/<ID>.json`, so the page and the file
 * never disagree.
 */
import type { Advisory } from '../../model/types.ts';
import { buildChecklist, type ChecklistStep, type ChecklistVerify } from '../checklists/model.ts';

export interface VerifyView {
  id: string;
  title: string;
  /** The command whose output is tested, or null when a file is matched. */
  run: string | null;
  file: string | null;
  expected: string;
}

export interface StepView {
  anchor: string;
  title: string;
  text: string;
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

function verifyView(entry: ChecklistVerify): VerifyView {
  return {
    id: entry.id,
    title: entry.title,
    run: 'run' in entry ? entry.run : null,
    file: 'file' in entry ? entry.file : null,
    expected: entry.description,
  };
}

/** The prose without its lead sentence when that sentence is the title, which the page shows already. */
function bodyOf(step: ChecklistStep): string {
  if (!step.text.startsWith(step.title)) return step.text;
  return step.text.slice(step.title.length).replace(/^[.:!?]?\s*/, '');
}

function stepView(step: ChecklistStep, byId: ReadonlyMap<string, VerifyView>): StepView {
  return {
    anchor: step.id,
    title: step.title,
    text: bodyOf(step),
    kind: step.kind,
    role: step.role ?? null,
    commands: step.commands,
    configEdits: step.configEdits.map(({ file, lang, content }) => ({ file, lang, content })),
    rollback: step.rollback ?? null,
    restartRequired: step.restartRequired,
    migrationRequired: step.migrationRequired,
    verify: step.verify.flatMap((id) => byId.get(id) ?? []),
  };
}

export function checklistView(advisory: Advisory): ChecklistView {
  const checklist = buildChecklist(advisory);
  const byId = new Map(checklist.verify.map((entry) => [entry.id, verifyView(entry)]));
  const named = new Set(checklist.steps.flatMap((step) => step.verify));
  const steps = checklist.steps.map((step) => stepView(step, byId));
  const otherChecks = checklist.verify.filter((entry) => !named.has(entry.id)).map(verifyView);
  return { steps, otherChecks, empty: steps.length === 0 && otherChecks.length === 0 };
}
