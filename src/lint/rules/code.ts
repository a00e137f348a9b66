/** Code and config lines cannot be re-wrapped for a 72-column email the way prose is. */
import type { Code } from 'mdast';
import { visit } from 'unist-util-visit';
import type { NoteRule } from '../rule.ts';

export const maxCodeColumns = 72;

export const codeLineWidth: NoteRule = ({ advisory, report }) => {
  visit(advisory.body, 'code', (node: Code) => {
    const first = node.position?.start.line ?? 1;
    // A fenced block's content starts on the line after the fence; an indented one on its first line.
    const fenced = advisory.source.text.split('\n')[first - 1]?.trimStart().match(/^(`{3,}|~{3,})/);
    node.value.split('\n').forEach((line, index) => {
      const width = [...line].length;
      if (width > maxCodeColumns) {
        report('line-too-long', `Code line is ${width} columns wide; mail keeps code to ${maxCodeColumns}`, { line: first + index + (fenced ? 1 : 0), column: (node.position?.start.column ?? 1) + maxCodeColumns });
      }
    });
  });
};
