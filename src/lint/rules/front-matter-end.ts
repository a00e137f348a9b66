/** Fields cut off from the front matter by a stray `---` (`model/front-matter-end.ts`). */
import { closedEarlyText, fieldAfterFrontMatter } from '../../model/front-matter-end.ts';
import { knownKeysAt } from '../../model/schema.ts';
import type { NoteRule } from '../rule.ts';

let noteKeys: ReadonlySet<string> | undefined;

export const frontMatterNotClosedEarly: NoteRule = ({ advisory, report }) => {
  noteKeys ??= new Set(knownKeysAt([]));
  const found = fieldAfterFrontMatter(advisory.source.text, advisory.source.bodyLine, noteKeys);
  if (!found) return;
  const { text, hint } = closedEarlyText(found);
  report('frontmatter-closed-early', text, found.at, hint);
};
