/** Fields cut off from the front matter by a stray `---` (`model/front-matter-end.ts`). */
import { closedEarlyText, fieldAfterFrontMatter } from '../../model/front-matter-end.ts';
import type { NoteRule } from '../rule.ts';

export const frontMatterNotClosedEarly: NoteRule = ({ advisory, report }) => {
  const found = fieldAfterFrontMatter(advisory.source.text, advisory.source.bodyLine);
  if (!found) return;
  const { text, hint } = closedEarlyText(found);
  report('frontmatter-closed-early', text, found.at, hint);
};
