/** Code and config lines cannot be re-wrapped for a 72-column email the way prose is. */
import type { NoteRule } from '../rule.ts';

export const maxCodeColumns = 72;

export const codeLineWidth: NoteRule = ({ advisory, report, bodyNodes }) => {
  for (const node of bodyNodes().codes) {
    const first = node.position?.start.line ?? 1;
    let index = 0;
    for (const line of node.value.split('\n')) {
      // No line of at most 72 UTF-16 units is wider than 72 code points: count only longer ones.
      const width = line.length > maxCodeColumns ? [...line].length : 0;
      if (width > maxCodeColumns) {
        report('line-too-long', `Code line is ${width} columns wide; mail keeps code to ${maxCodeColumns}`, { line: first + index + (isFenced(advisory.source.text, first) ? 1 : 0), column: (node.position?.start.column ?? 1) + maxCodeColumns });
      }
      index++;
    }
  }
};

/** A fenced block's content starts on the line after the fence; an indented one on its first line. */
function isFenced(text: string, line: number): boolean {
  return /^(`{3,}|~{3,})/.test(text.split('\n')[line - 1]?.trimStart() ?? '');
}
