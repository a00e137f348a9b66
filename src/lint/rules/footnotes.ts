/** Footnotes must be referenced to be shown, and nothing else may look like their marks. */
import { placeInSource, startOf, walkPlaced } from '../body-nodes.ts';
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

const bracketedNumber = /\[(\d+)\]/g;

/**
 * The mail, the OSV `details` and the CSAF notes mark a note's footnotes as
 * `[1]`, `[2]` in its text, and the wiki as a superscript `[1]`: a note with
 * footnotes whose own text holds a bracketed number reads as if it pointed
 * at one of them. Text only: code keeps what it shows.
 */
export const noFootnoteLookalikes: NoteRule = ({ advisory, report, bodyNodes }) => {
  const { footnotesReferenced: referenced } = bodyNodes();
  if (referenced.size === 0) return;
  const source = advisory.source.text;
  walkPlaced(advisory.body, (node, placed) => {
    if (node.type !== 'text' || !node.value.includes('[')) return;
    for (const match of node.value.matchAll(bracketedNumber)) {
      report('footnote-lookalike', `"${match[0]}" reads like footnote ${match[1]} in the mail and the wiki, which mark this note's footnotes as [1], [2]`, placeInSource(source, placed, match[0], node.value.slice(0, match.index).split(match[0]).length - 1), `Make it a footnote ([^${match[1]}] and its definition), or reword it, e.g. "source ${match[1]}".`);
    }
  });
};
