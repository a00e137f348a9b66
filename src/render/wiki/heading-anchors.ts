/**
 * A note's links to its own headings (`[see below](#discussion)`, GitHub's
 * anchor) as links to the anchor MediaWiki gives that heading: its text,
 * whitespace runs and underscores as one `_`, case kept (`#Discussion`);
 * a heading whose text another before it has, in any case, gets `_2`,
 * `_3`… (MediaWiki counts them without regard to case: `== Discussion ==`
 * then `== discussion ==` is `Discussion`, `discussion_2`). Read back by
 * a real MediaWiki in test/wiki/mediawiki.test.ts.
 */
import type { Root } from 'mdast';
import { headingSlugs, headingText } from '../../markdown/heading-ids.ts';

/**
 * Text a link target cannot hold as written (link syntax, templates, tags,
 * entities, signatures, quote marks): a heading with such text keeps the
 * link to the page.
 */
const unsafeInTarget = /[[\]{}|<>#&\n]|~~~|''/;

/** The MediaWiki anchor of each heading of the body, by its GitHub slug; none for a heading whose text a link target cannot hold. */
export function wikiHeadingAnchors(body: Root): Map<string, string> {
  const anchors = new Map<string, string>();
  const taken = new Set<string>();
  for (const { heading, slug } of headingSlugs(body)) {
    const base = headingText(heading).replace(/[\s_]+/g, ' ').trim().replace(/ /g, '_');
    let anchor = base;
    for (let n = 2; taken.has(anchor.toLowerCase()); n++) anchor = `${base}_${n}`;
    taken.add(anchor.toLowerCase());
    if (!unsafeInTarget.test(anchor)) anchors.set(slug, anchor);
  }
  return anchors;
}
