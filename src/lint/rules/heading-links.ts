/**
 * A link to a place in the note's own page (`[see below](#discussion)`)
 * must name a heading of the note, as GitHub's preview names it
 * (`src/markdown/heading-ids.ts`), or an id the advisory page always gives.
 *
 * Links to another note's heading (`OSSN-0004.md#discussion`) are not
 * checked: the checks across notes (`../run.ts`) see only what the build
 * cache keeps of each note (its id, page and links, `IdentifiedNote`), not
 * its headings, and keeping those for every note would grow every cache
 * entry for a rare link. Nor does a renderer point such a link at the
 * heading's `section-` id: a note's outputs depend on no other note.
 */
import { closest } from '../../model/suggest.ts';
import { checkAnchor } from '../../model/verify-ids.ts';
import type { Advisory } from '../../model/types.ts';
import { fragmentOf, headingSlugs, headingText } from '../../markdown/heading-ids.ts';
import type { NoteRule } from '../rule.ts';

/**
 * Ids of templates/site/advisory.hbs and layout.hbs a note may link, on
 * any advisory page (a section without content, say no affected products,
 * is left out of the page, but linking its place is not worth a warning);
 * `top` and the empty fragment are the top of the page in every browser.
 */
const pageIds = ['', 'top', 'main', 'details-heading', 'affected-heading', 'history-heading', 'original', 'checklist-heading', 'references-heading', 'formats-heading'];

/** The page's ids that depend on the note: its updates, its steps and its checks. */
function noteIds(advisory: Advisory): string[] {
  return [...advisory.revisions.map((_, index) => `update-${index + 1}`), ...advisory.steps.map((step) => step.id), ...advisory.verify.map((entry) => checkAnchor(entry.id))];
}

/** An id the sanitizer keeps for the note (`user-content-…`) and its links reach: a footnote's, or one raw HTML gives. */
const footnoteId = /^(fn|fnref)-|^footnote-label$/;
const htmlId = /\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

function rawHtmlIds(advisory: Advisory): string[] {
  const ids: string[] = [];
  const stack = [...advisory.body.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'html') for (const match of node.value.matchAll(htmlId)) ids.push(match[1] ?? match[2] ?? match[3] ?? '');
    if ('children' in node) stack.push(...(node.children as typeof stack));
  }
  return ids;
}

export const headingLinksLead: NoteRule = ({ advisory, report, bodyNodes }) => {
  // Raw HTML's own links (`<a href="#x">`) are left as written by every output: only Markdown links are checked.
  const links = bodyNodes().urls.filter((link) => link.node !== undefined && link.url.startsWith('#'));
  if (links.length === 0) return;
  const headings = headingSlugs(advisory.body);
  const known = new Set([...headings.map((heading) => heading.slug), ...pageIds, ...noteIds(advisory), ...rawHtmlIds(advisory)]);
  const hasFootnotes = bodyNodes().footnotes.length > 0;
  for (const link of links) {
    const fragment = fragmentOf(link.url)!;
    if (known.has(fragment) || (hasFootnotes && footnoteId.test(fragment))) continue;
    const meant = closest(fragment, headings.map((heading) => heading.slug));
    const heading = meant === undefined ? undefined : headings.find((candidate) => candidate.slug === meant)!.heading;
    const suggestion = heading ? `; did you mean #${meant} (the heading "${headingText(heading).trim()}")?` : '';
    const listed = headings.length > 0 ? `The note's headings are ${headings.slice(0, 8).map((h) => `#${h.slug}`).join(', ')}${headings.length > 8 ? ', …' : ''}.` : 'The note has no heading.';
    report('link-anchor-unknown', `Link to "${link.url}" leads nowhere: no heading of this note, nor the page around it, has that anchor${suggestion}`, link.at, `${listed} A heading's anchor is its text in lower case, punctuation dropped, spaces as hyphens, as GitHub's preview shows it; a repeated heading's gets -1, -2.`);
  }
};
