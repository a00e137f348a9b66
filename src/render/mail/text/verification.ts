/**
 * "Recommended Actions" and "Verification" as numbered, copy-pasteable
 * text: each step with its role, config edits and commands (indented,
 * never wrapped), the checks that prove it done, and how to roll it back.
 */
import type { ChecklistStep, ChecklistVerify } from '../../checklists/model.ts';
import type { Expectation } from '../../../model/types.ts';
import { titleLead } from '../../../model/step-title.ts';
import { codeLines, hangLines, hangingLines, indentLines, joinBlocks, widthAfter, wrapParagraph, wrapText } from './wrap.ts';

/** Code sits this far right of the text it belongs to. */
const codeIndent = 4;

/** The numbered steps; `verify` supplies the titles of the checks each step names. */
export function stepsLines(steps: readonly ChecklistStep[], verify: readonly ChecklistVerify[], width: number): string[] {
  const indent = `${steps.length}. `.length;
  const inner = widthAfter(width, indent);
  const titles = new Map(verify.map((entry) => [entry.id, entry.title]));
  const items = steps.map((step, index) => hangLines(`${index + 1}. `, stepLines(step, titles, inner), indent));
  return joinBlocks(items);
}

function stepLines(step: ChecklistStep, verifyTitles: ReadonlyMap<string, string>, width: number): string[] {
  const blocks: string[][] = [];
  const paragraphs = step.text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  // The title is the bold lead sentence of the first paragraph (or that sentence, perhaps cut short), or a heading that is not.
  if (!titleLead(step.title, paragraphs[0]?.trim() ?? '')) blocks.push(wrapText(step.title, width));
  // A paragraph is not blank, so it wraps to one line at least, its soft breaks re-flowed.
  blocks.push(...paragraphs.map((p) => wrapParagraph(p, width)));
  const facts = step.role ? hangingLines('Role:', step.role, 6, width) : [];
  if (facts.length > 0) blocks.push(facts);
  for (const edit of step.configEdits) {
    blocks.push([...wrapText(`In ${edit.file}:`, width), ...indentLines(codeLines(edit.content), codeIndent)]);
  }
  if (step.commands.length > 0) {
    blocks.push(['Run:', ...indentLines(step.commands.flatMap((command) => codeLines(command)), codeIndent)]);
  }
  const closing: string[] = [];
  if (step.verify.length > 0) {
    const checks = step.verify.map((id) => (verifyTitles.has(id) ? `${id} (${verifyTitles.get(id)})` : id));
    closing.push(...hangingLines('Verify:', checks.join('; '), 10, width));
  }
  if (step.rollback) closing.push(...hangingLines('Rollback:', step.rollback, 10, width));
  if (closing.length > 0) blocks.push(closing);
  return joinBlocks(blocks);
}

/** The verify entries, each with what it runs or reads and what it expects. */
export function verificationLines(verify: readonly ChecklistVerify[], width: number): string[] {
  return joinBlocks(
    verify.map((entry) => {
      const lines = hangLines('* ', wrapText(`${entry.id}: ${entry.title}`, widthAfter(width, 2)));
      const target = 'file' in entry ? ['File:', entry.file] : ['Run:', entry.run];
      lines.push(`  ${target[0]!.padEnd(8)}${target[1]}`);
      lines.push(...expectationLines(entry.expect, widthAfter(width, 2)).map((line) => `  ${line}`));
      return lines;
    }),
  );
}

/** Patterns are code: on their own line when they do not fit, never broken. */
function expectationLines(expect: Expectation, width: number): string[] {
  const label = 'Expect: ';
  let words: string;
  let pattern: string | undefined;
  switch (expect.kind) {
    case 'version':
      words = `version ${expect.operator} ${expect.version} (${expect.scheme})`;
      break;
    case 'exit':
      words = `exit status ${expect.code}`;
      break;
    case 'absent':
      words = 'no line matches';
      pattern = expect.pattern;
      break;
    case 'present':
      words = 'a line matches';
      pattern = expect.pattern;
      break;
    case 'stdout':
      words = 'a line of the output matches';
      pattern = expect.pattern;
      break;
  }
  if (pattern === undefined) return [`${label}${words}`];
  const oneLine = `${label}${words} /${pattern}/`;
  if (oneLine.length <= width) return [oneLine];
  return [`${label}${words}`, `${' '.repeat(label.length)}/${pattern}/`];
}
