/**
 * The steps of a list-style "Recommended Actions" are the items of its first
 * numbered list. A step's lines not indented under its number end the list:
 * the steps after them, and the field lines themselves, silently leave the
 * checklist, the exports and the steps' Verify: links.
 */
import type { List, RootContent } from 'mdast';
import { fieldLine, sectionContent } from '../../model/body.ts';
import type { NoteRule } from '../rule.ts';

export const stepsInOneList: NoteRule = ({ advisory, report }) => {
  const nodes = sectionContent(advisory.body, 'Recommended Actions')?.nodes ?? [];
  const first = nodes.findIndex((node) => node.type === 'list' && node.ordered === true);
  if (first === -1) return;
  const steps = nodes[first] as List;
  const lastNumber = (steps.start ?? 1) + steps.children.length - 1;
  for (const node of nodes.slice(first + 1)) {
    if (node.type === 'list' && node.ordered === true && (node.start ?? 1) > 1 && node.position) {
      report('step-outside-list', `Step ${node.start} is not read as a step: the numbered list of steps ended after step ${lastNumber} (line ${steps.position?.end.line ?? '?'}), at a line not indented into it`, node.position.start);
      continue;
    }
    const field = fieldLineOf(node, advisory.source.text);
    if (field) report('step-outside-list', `"${field.text}" is outside every step, so no step reads it: the numbered list of steps ended after step ${lastNumber}`, field.at);
  }
};

/** The first `Role:`/`Verify:`/`Rollback:`/`Kind:` line of a paragraph at the section's top level. */
function fieldLineOf(node: RootContent, source: string): { text: string; at: { line: number; column: number } } | undefined {
  if (node.type !== 'paragraph' || node.position?.start.offset === undefined || node.position.end.offset === undefined) return undefined;
  const lines = source.slice(node.position.start.offset, node.position.end.offset).split('\n');
  const index = lines.findIndex((line) => fieldLine.test(line.trim()));
  if (index === -1) return undefined;
  const line = lines[index]!;
  const column = index === 0 ? node.position.start.column : line.length - line.trimStart().length + 1;
  return { text: line.trim(), at: { line: node.position.start.line + index, column } };
}
