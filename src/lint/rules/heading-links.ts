/**
 * A link to a place in the note's own page (`[see below](#discussion)`)
 * must name a heading of the note, as GitHub's preview names it
 * (`src/markdown/heading-ids.ts`), or an id the advisory page always gives
 * (`src/model/page-anchors.ts`). Links to another note's heading
 * (`OSSN-0004.md#discussion`) are checked across notes (`../run.ts`),
 * against that note's page.
 */
import { pageAnchors, unknownAnchor } from '../../model/page-anchors.ts';
import type { Advisory } from '../../model/types.ts';
import { fragmentOf } from '../../markdown/heading-ids.ts';
import type { NoteRule } from '../rule.ts';

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
  // Raw HTML's links (`<a href="#x">`, at the start of their HTML) too: they are led to a heading as Markdown's are.
  const links = bodyNodes().urls.filter((link) => !link.image && link.url.startsWith('#'));
  if (links.length === 0) return;
  const anchors = pageAnchors(advisory, rawHtmlIds(advisory));
  const hasFootnotes = bodyNodes().footnotes.length > 0;
  for (const link of links) {
    const fragment = fragmentOf(link.url)!;
    if (anchors.known.has(fragment) || (hasFootnotes && footnoteId.test(fragment))) continue;
    const { text, hint } = unknownAnchor(link.url, fragment, anchors);
    report('link-anchor-unknown', text, link.at, hint);
  }
};
