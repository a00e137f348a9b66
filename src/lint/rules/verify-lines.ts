/**
 * A `verify` entry no step names is meaningful: `herald check` and the
 * exports run it with the others, and the page lists it under "Further
 * checks", a check of the whole advisory. What is a mistake is a step that
 * meant to name it on a line herald does not read as its `Verify:` line:
 * bold (`**Verify:**`), without the colon (``Verify `x` ``), misspelt
 * (`Verfy:`), or inside a list or a quote within the step. The entry then
 * silently stops proving that step. Said only where such a line names an entry no step names.
 */
import type { Nodes, Paragraph } from 'mdast';
import { fieldLine, sectionContent } from '../../model/body.ts';
import { closest } from '../../model/suggest.ts';
import type { NoteRule } from '../rule.ts';

/** A line that starts as a field line, perhaps with markup or a list marker around its word, or without its colon: that word. */
const startsAsFieldLine = /^(?:[-*+>]\s*|\d+[.)]\s+)*(?:\*\*|__|\*|_)?([a-z]+)(?:\*\*|__|\*|_)?\s*(?::|(?=`))/i;

/** The word of a line that starts as a `Verify:` line, the word perhaps misspelt (`Verfy:`). */
function verifyWord(line: string): string | undefined {
  const word = startsAsFieldLine.exec(line)?.[1];
  return word !== undefined && closest(word, ['verify']) !== undefined ? word : undefined;
}

export const verifyLinesRead: NoteRule = ({ advisory, report }) => {
  const named = new Set(advisory.steps.flatMap((step) => step.verify));
  const unnamed = new Set(advisory.verify.map((entry) => entry.id).filter((id) => !named.has(id)));
  if (unnamed.size === 0) return;
  const section = sectionContent(advisory.body, 'Recommended Actions');
  for (const { paragraph, topLevel } of paragraphsOf(section?.nodes ?? [])) {
    const { start, end } = paragraph.position ?? {};
    if (start?.offset === undefined || end?.offset === undefined) continue;
    advisory.source.text.slice(start.offset, end.offset).split('\n').forEach((line, index) => {
      const trimmed = line.trim();
      // A field line at the section's top level is read, or said by step-outside-list.
      const word = verifyWord(trimmed);
      if (word === undefined || (topLevel && fieldLine.test(trimmed))) return;
      const ids = [...unnamed].filter((id) => new RegExp(`(?<![\\w-])${id}(?![\\w-])`).test(line));
      if (ids.length === 0) return;
      for (const id of ids) unnamed.delete(id);
      const misspelt = word.toLowerCase() !== 'verify';
      const why = misspelt
        ? `"${word}" is not the field name Verify`
        : fieldLine.test(trimmed)
          ? 'it is inside a list or a quote, and a step reads its field lines only in its own paragraphs'
          : 'a field line is the word Verify and a colon at the start of its line, without bold or other markup';
      const [checks, outcome] =
        ids.length === 1 ? [`the check ${quoted(ids)}`, 'it proves no step: it is checked on its own'] : [`the checks ${quoted(ids)}`, 'they prove no step: they are checked on their own'];
      report(
        'verify-line-not-read',
        `This line names ${checks}, but no step reads it as its Verify: line (${why}), so ${outcome}, under "Further checks"`,
        { line: start.line + index, column: index === 0 ? start.column : line.length - line.trimStart().length + 1 },
        `${misspelt ? `Write Verify, not ${word}` : "Write it on a line of its own in the step's paragraph, after its text"}: Verify: ${ids.map((id) => `\`${id}\``).join(', ')}.`,
      );
    });
  }
};

function quoted(ids: readonly string[]): string {
  const each = ids.map((id) => `"${id}"`);
  return each.length === 1 ? each[0]! : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}

/** Every paragraph under `nodes`, in order, and whether it is at the section's top level. */
function paragraphsOf(nodes: readonly Nodes[], topLevel = true): { paragraph: Paragraph; topLevel: boolean }[] {
  return nodes.flatMap((node) => {
    if (node.type === 'paragraph') return [{ paragraph: node, topLevel }];
    return 'children' in node ? paragraphsOf(node.children as Nodes[], false) : [];
  });
}
