/** Rules on the body's structure: the template's sections, and the steps of Recommended Actions. */
import type { Heading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { canonicalSectionFor, canonicalSections, sectionContent, sectionDepth, type CanonicalSection } from '../../model/body.ts';
import { closest } from '../../model/suggest.ts';
import { stepKinds, type Advisory, type Position, type Section } from '../../model/types.ts';
import { startOf } from '../body-nodes.ts';
import type { NoteRule } from '../rule.ts';

export const sectionsPresent: NoteRule = ({ advisory, report }) => {
  if (advisory.kind !== 'note') return;
  const names = new Set(advisory.sections.map((s) => s.name));
  const depth = sectionDepth(advisory.body);
  // The `#` of a section heading here: the note's own, or the template's when it has no heading.
  const marks = '#'.repeat(depth > 6 ? 2 : depth);
  const headings = advisory.body.children.filter((node): node is Heading => node.type === 'heading');
  for (const name of canonicalSections) {
    if (names.has(name)) continue;
    // Written, but deeper than the sections (`# Summary` above `## Discussion`): a subsection.
    const deeper = headings.find((heading) => heading.depth > depth && canonicalSectionFor(toString(heading)) === name);
    if (deeper) {
      const written = toString(deeper).trim();
      report(
        'section-missing',
        `Section "${name}" is missing: its heading "${written}" is level ${deeper.depth} ("${'#'.repeat(deeper.depth)}"), under the level-${depth} section headings (${firstSection(advisory, marks)})`,
        startOf(deeper.position),
        'Give every section heading the same level; the note template uses "##".',
      );
      continue;
    }
    // A heading no section is read from, a letter or two off: a misspelt section heading.
    const meant = headings.find((heading) => canonicalSectionFor(toString(heading)) === undefined && closest(toString(heading).trim(), [name]) !== undefined);
    if (meant) {
      const written = toString(meant).trim();
      report('section-missing', `Section "${name}" is missing; did you mean the heading "${written}"?`, startOf(meant.position), `Write the heading as "${marks} ${name}".`);
      continue;
    }
    const place = missingPlace(advisory, name);
    report('section-missing', `Section "${name}" is missing: ${place.text}`, place.at, `Add a heading "${marks} ${name}" with its content ${place.where}.`);
  }
  for (const section of advisory.sections) {
    if (section.name !== section.heading && canonicalSections.includes(section.name as (typeof canonicalSections)[number])) {
      report('section-heading-drift', `Heading "${section.heading}" is read as "${section.name}"`, section.position, `Write the heading as "${section.name}".`);
    }
  }
};

/**
 * The template's sections once each, in its order, none empty. A second
 * section of a name is only text: herald reads the first as that section
 * (the steps, the listings' summary, the exports' details). An empty
 * Recommended Actions is `step-empty`'s to say.
 */
export const sectionsInOrder: NoteRule = ({ advisory, report }) => {
  if (advisory.kind !== 'note') return;
  const first = new Map<string, Section>();
  let reached: { rank: number; name: string } | undefined;
  for (const section of advisory.sections) {
    const rank = canonicalSections.indexOf(section.name as CanonicalSection);
    if (rank === -1) continue;
    const earlier = first.get(section.name);
    if (earlier) {
      report('section-duplicate', `Section "${section.name}" is here a second time (first on line ${earlier.position.line}): only the first is read as that section (for the steps, the listings' summary and the exports), the second is shown as text`, section.position, 'Merge the two into one section.');
      continue;
    }
    first.set(section.name, section);
    if (reached && rank < reached.rank) {
      report('section-order', `Section "${section.name}" comes after "${reached.name}": the template's order is ${canonicalSections.join(', ')}`, section.position, `Move it above "${reached.name}": the mail and the wiki show the sections in the note's order.`);
    } else reached = { rank, name: section.name };
  }
  for (const name of canonicalSections) {
    if (name === 'Recommended Actions') continue;
    const content = first.has(name) ? sectionContent(advisory.body, name) : undefined;
    if (content && content.nodes.length === 0) report('section-empty', `Section "${name}" is empty`, startOf(content.heading.position), name === 'Summary' ? 'Write the summary: listings, feeds and the mail\u2019s first lines show it.' : 'Write what it should say, or remove the heading.');
  }
};

/** A heading shallower than the sections' (a title written as `# …` above `## Summary`) would cut the note in two. */
export const headingsAboveSections: NoteRule = ({ advisory, report }) => {
  if (advisory.kind !== 'note') return;
  const depth = sectionDepth(advisory.body);
  for (const node of advisory.body.children) {
    if (node.type !== 'heading' || node.depth >= depth) continue;
    const written = toString(node).trim();
    const level = `level ${node.depth} ("${'#'.repeat(node.depth)}")`;
    const text =
      written.toLowerCase() === advisory.title.trim().toLowerCase()
        ? `The heading "${written}" repeats the note's title as a ${level} heading above its sections`
        : `The heading "${written}" is ${level}, above the section headings (${firstSection(advisory, '#'.repeat(depth))})`;
    report('heading-above-sections', text, startOf(node.position));
  }
};

/** The first section heading as written, for messages that show the sections' level: `"## Summary"`. */
function firstSection(advisory: Advisory, marks: string): string {
  return `"${marks} ${advisory.sections[0]?.heading ?? 'Summary'}"`;
}

/**
 * Where a missing section goes, in the template's order: at the heading of
 * the first section the note has of those that follow it, or at the end
 * of the body when it has none of them; and what to say of it.
 */
function missingPlace(advisory: Advisory, name: CanonicalSection): { at: Position; text: string; where: string } {
  const rank = canonicalSections.indexOf(name);
  const follows = rank === 0 ? 'it comes first' : `it follows "${canonicalSections[rank - 1]}"`;
  const later = canonicalSections.slice(rank + 1);
  const next = advisory.sections.find((section) => later.includes(section.name as CanonicalSection));
  if (next) return { at: next.position, text: `${follows}, here above "${next.heading}"`, where: `above "${next.heading}"` };
  return { at: endOfBody(advisory), text: `${follows}, here at the end of the note`, where: 'at the end of the note' };
}

/** Where the body ends: after its last node, or the file's last line. */
function endOfBody(advisory: Advisory): Position {
  const end = advisory.body.children.at(-1)?.position?.end;
  if (end) return { line: end.line, column: end.column };
  const lines = advisory.source.text.replace(/\n$/, '').split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

export const stepsHaveWork: NoteRule = ({ advisory, report }) => {
  for (const step of advisory.steps) {
    if (step.text.trim() === '' && step.commands.length === 0 && step.configEdits.length === 0) {
      report('step-empty', `Step ${step.id.replace('step-', '')} ("${step.title}") has nothing to do`, step.position);
    }
  }
};

/** An absolute path of a config file the step's text names, e.g. `/etc/glance/glance-api.conf`. */
const configPath = /(?<![\w.-])\/(?:[\w.+-]+\/)+[\w.+-]+\.(?:conf|ini|cfg|cnf|toml|ya?ml|properties|service)\b/g;

export const configBlocksFiled: NoteRule = ({ advisory, report }) => {
  for (const step of advisory.steps) {
    if (!step.unfiledConfig) continue;
    const paths = [...new Set(step.text.match(configPath) ?? [])];
    for (const block of step.unfiledConfig) {
      const named = paths.length === 1 ? paths[0] : undefined;
      report(
        'config-block-no-file',
        `Step ${step.id.replace('step-', '')}'s ${block.lang} block names no file: the checklist, the exports and the wiki read no config edit from it`,
        block.position,
        `Name the file in the block's info string: \`\`\`${block.lang} file=${named ?? '/path/of/the/file'}${named ? ' (the file the step names)' : ''}.`,
      );
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
