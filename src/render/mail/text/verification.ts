/**
 * "Verification": each check of the advisory with what it runs or reads
 * and what it expects, patterns never broken.
 */
import type { ChecklistVerify } from '../../checklists/model.ts';
import { columnsOf } from './columns.ts';
import { hangingLines, hangLines, joinBlocks, widthAfter, wrapText } from './wrap.ts';

/** The verify entries, each with what it runs or reads and what it expects. */
export function verificationLines(verify: readonly ChecklistVerify[], width: number): string[] {
  return joinBlocks(
    verify.map((entry) => {
      const lines = hangLines('* ', wrapText(`${entry.id}: ${entry.title}`, widthAfter(width, 2)));
      const target = 'file' in entry ? ['File:', entry.file] : ['Run:', entry.run];
      lines.push(`  ${target[0]!.padEnd(8)}${target[1]}`);
      lines.push(...expectationLines(entry, widthAfter(width, 2)).map((line) => `  ${line}`));
      return lines;
    }),
  );
}

/** Patterns are code: on their own line when they do not fit, never broken. */
function expectationLines({ expect, description }: ChecklistVerify, width: number): string[] {
  const label = 'Expect: ';
  let words: string;
  let pattern: string | undefined;
  switch (expect.kind) {
    case 'version':
      // With what a host without the package counts as, when the note says.
      words = description;
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
  if (pattern === undefined) return hangingLines(label.trimEnd(), words, label.length, width);
  const oneLine = `${label}${words} /${pattern}/`;
  if (columnsOf(oneLine) <= width) return [oneLine];
  return [`${label}${words}`, `${' '.repeat(label.length)}/${pattern}/`];
}
