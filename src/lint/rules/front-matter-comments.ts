/** A value cut short by an unquoted ` #`, which YAML reads as a comment (`model/yaml-comments.ts`). */
import { valuesCutByComments, type CutValue } from '../../model/yaml-comments.ts';
import type { NoteRule } from '../rule.ts';

/** A value or comment shortened for a message, where the hint gives it whole. */
const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);

/** The line as the author most likely meant it: the whole value quoted. */
function quoted(cut: CutValue): string | undefined {
  if (cut.meant === undefined) return undefined;
  const item = /\[\d+\]$/.test(cut.field);
  return `${item ? '-' : `${cut.field.replace(/^.*[.\]]/, '')}:`} ${JSON.stringify(cut.meant)}`;
}

export const noCommentsInValues: NoteRule = ({ frontMatterText, report }) => {
  for (const cut of valuesCutByComments(frontMatterText)) {
    const written = quoted(cut);
    report(
      'yaml-comment-in-value',
      `"${cut.field}" is read as ${shown(cut.read)}: the ${shown(cut.comment)} after it is a YAML comment (a "#" after a space starts one), and was dropped`,
      cut.at,
      `Quote the value if the "#" belongs to it${written ? `: ${written}` : ''}. If it is a comment, put it on a line of its own (or two spaces after the value).`,
    );
  }
};
