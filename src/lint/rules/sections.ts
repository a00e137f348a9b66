/** Rules on the body's structure: the template's sections, and the steps of Recommended Actions. */
import { canonicalSections } from '../../model/body.ts';
import { closest } from '../../model/suggest.ts';
import { stepKinds } from '../../model/types.ts';
import type { NoteRule } from '../rule.ts';

export const sectionsPresent: NoteRule = ({ advisory, report }) => {
  if (advisory.kind !== 'note') return;
  const names = new Set(advisory.sections.map((s) => s.name));
  for (const name of canonicalSections) {
    if (!names.has(name)) report('section-missing', `Section "${name}" is missing`, advisory.sections[0]?.position ?? lastLine(advisory.source.text), `Add a heading "## ${name}" with its content.`);
  }
  for (const section of advisory.sections) {
    if (section.name !== section.heading && canonicalSections.includes(section.name as (typeof canonicalSections)[number])) {
      report('section-heading-drift', `Heading "${section.heading}" is read as "${section.name}"`, section.position, `Write the heading as "${section.name}".`);
    }
  }
};

/** Where a note without sections gets told what is missing: its last line. */
function lastLine(text: string): { line: number; column: number } {
  return { line: text.split('\n').length, column: 1 };
}

export const stepsHaveWork: NoteRule = ({ advisory, report }) => {
  for (const step of advisory.steps) {
    if (step.text.trim() === '' && step.commands.length === 0 && step.configEdits.length === 0) {
      report('step-empty', `Step ${step.id.replace('step-', '')} ("${step.title}") has nothing to do`, step.position);
    }
  }
};

export const stepKindsKnown: NoteRule = ({ advisory, report }) => {
  for (const step of advisory.steps) {
    if (step.unknownKind === undefined) continue;
    const meant = closest(step.unknownKind, stepKinds);
    report(
      'step-kind-unknown',
      `Step ${step.id.replace('step-', '')} has "Kind: ${step.unknownKind}", which is no step kind${meant ? `; did you mean "${meant}"?` : ''}`,
      step.fieldPositions.kind ?? step.position,
      `Write one of ${stepKinds.join(', ')}${meant ? ` (Kind: ${meant})` : ''}, or remove the line and let herald infer the kind.`,
    );
  }
};
