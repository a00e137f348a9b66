/** Code and config lines cannot be re-wrapped for a 72-column email the way prose is. */
import { columnsOf } from '../../render/mail/text/columns.ts';
import type { NoteRule } from '../rule.ts';

export const maxCodeColumns = 72;

export const codeLineWidth: NoteRule = ({ advisory, report, bodyNodes }) => {
  for (const node of bodyNodes().codes) {
    const first = node.position?.start.line ?? 1;
    let index = 0;
    for (const line of node.value.split('\n')) {
      // A character shows at most two columns wide (CJK, emoji) and takes at least one UTF-16 unit: count only lines that may be wider.
      const width = line.length * 2 > maxCodeColumns ? columnsOf(line) : 0;
      if (width > maxCodeColumns) {
        report('line-too-long', `Code line is ${width} columns wide; mail keeps code to ${maxCodeColumns}`, { line: first + index + (isFenced(advisory.source.text, first) ? 1 : 0), column: (node.position?.start.column ?? 1) + charactersWithin(line, maxCodeColumns) });
      }
      index++;
    }
  }
};

/** How many characters of `line` show within its first `columns` columns: the next one is the first past them. */
function charactersWithin(line: string, columns: number): number {
  let shown = 0;
  let count = 0;
  for (const character of line) {
    shown += columnsOf(character);
    if (shown > columns) break;
    count++;
  }
  return count;
}

/** A fenced block's content starts on the line after the fence; an indented one on its first line. */
function isFenced(text: string, line: number): boolean {
  return /^(`{3,}|~{3,})/.test(text.split('\n')[line - 1]?.trimStart() ?? '');
}

/**
 * A fence never closed makes the rest of its container code: in a note,
 * often every section after it, which lint would otherwise only report as
 * missing, at the top of the body. A fenced block whose last line is not a
 * closing fence of its kind ran to the end of its list item, quote or note.
 */
export const codeFencesClosed: NoteRule = ({ advisory, report, bodyNodes }) => {
  const source = advisory.source.text;
  for (const node of bodyNodes().codes) {
    const start = node.position?.start;
    const end = node.position?.end;
    if (start?.offset === undefined || end?.offset === undefined) continue;
    const block = source.slice(start.offset, end.offset).replace(/\r?\n$/, '');
    const fence = /^(`{3,}|~{3,})/.exec(block)?.[1];
    if (!fence) continue;
    const last = block.slice(block.lastIndexOf('\n') + 1).replace(/^[\s>]*/, '').trimEnd();
    const closes = block.includes('\n') && last.length >= fence.length && [...last].every((char) => char === fence[0]);
    if (closes) continue;
    report(
      'code-fence-unclosed',
      `This code block's ${fence} fence is never closed: every line after it, to the end of its list item, quote or note (sections included), is read as code`,
      { line: start.line, column: start.column },
      `Close the block with a ${fence} line where its code ends.`,
    );
  }
};
