/** Footnotes must be referenced to be shown: mdast-util-to-hast drops the others. */
import { startOf } from '../body-nodes.ts';
import type { NoteRule } from '../rule.ts';

/** A footnote no reference names is left out of the page and the mail without a word. */
export const footnotesReferenced: NoteRule = ({ report, bodyNodes }) => {
  const { footnotes, footnotesReferenced: referenced } = bodyNodes();
  for (const footnote of footnotes) {
    if (referenced.has(footnote.identifier)) continue;
    const label = footnote.label ?? footnote.identifier;
    report('footnote-unused', `Footnote [^${label}] is never referenced: the page and the mail leave it out`, startOf(footnote.position), `Refer to it as [^${label}] where it belongs in the text, or remove it.`);
  }
};
