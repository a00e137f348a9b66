/**
 * The places in an advisory's page a link may name by its fragment: the
 * note's headings, as GitHub's preview names them (`discussion`) or by the
 * id herald gives them on the page (`section-discussion`,
 * `src/markdown/heading-ids.ts`), and the ids the page gives itself. Lint checks a note's links to its own page and to
 * another note's (`OSSN-0004.md#discussion`) against them; the link to
 * another note is given its heading's id from the fragment alone
 * (`note-links.ts`), so that a note's outputs depend on no other note.
 */
import { headingIdPrefix, headingSlugs, headingText, type HeadingSlug } from '../markdown/heading-ids.ts';
import { closest } from './suggest.ts';
import type { Advisory } from './types.ts';
import { checkAnchor } from './verify-ids.ts';

/**
 * Ids of templates/site/advisory.hbs and layout.hbs a note may link, on
 * any advisory page (a section without content, say no affected products,
 * is left out of the page, but linking its place is not worth a warning);
 * `top` and the empty fragment are the top of the page in every browser.
 */
const pageIds = new Set(['', 'top', 'main', 'details-heading', 'affected-heading', 'history-heading', 'original', 'checklist-heading', 'references-heading', 'formats-heading']);

/** The page's ids that depend on the note: its updates, its steps and its checks. */
function noteIds(advisory: AnchoredNote): string[] {
  return [...advisory.revisions.map((_, index) => `update-${index + 1}`), ...advisory.steps.map((step) => step.id), ...advisory.verify.map((entry) => checkAnchor(entry.id))];
}

/** The shape of an id every advisory page has or may have (an update's, a step's, a check's), or of a heading's id already. */
const pageIdShape = new RegExp(`^(?:(?:update|step)-\\d+$|${checkAnchor('')}|${headingIdPrefix})`);

/**
 * Whether a link from another note keeps the fragment as written: an id of
 * the page, or one of their shapes (the note linked is not read). Any other
 * fragment names a heading as GitHub does, and is given the heading's id.
 * A heading whose anchor has such a shape (`## Update 1`) is reached all the
 * same: the site's script takes an address whose fragment the page has no
 * id for to the heading (site/site.js).
 */
export function keepsFragment(fragment: string): boolean {
  return pageIds.has(fragment) || pageIdShape.test(fragment);
}

export interface PageAnchors {
  /** The note's headings in document order, with their GitHub anchors. */
  headings: readonly HeadingSlug[];
  /** Every fragment that leads somewhere on the page: a heading's GitHub anchor and its id there (`section-…`, which links keep as written). */
  known: ReadonlySet<string>;
}

/** What of a note its page's anchors come from. */
export type AnchoredNote = Pick<Advisory, 'body' | 'revisions' | 'steps' | 'verify'>;

/** The anchors of the advisory's page; `more`: other ids a link from the note itself reaches (its raw HTML's). */
export function pageAnchors(advisory: AnchoredNote, more: readonly string[] = []): PageAnchors {
  const headings = headingSlugs(advisory.body);
  const slugs = headings.map((heading) => heading.slug);
  return { headings, known: new Set([...slugs, ...slugs.map((slug) => headingIdPrefix + slug), ...pageIds, ...noteIds(advisory), ...more]) };
}

/** What `link-anchor-unknown` says of a link to `fragment`, which `anchors` lack (of `other`'s page, `OSSN-0004`, or the note's own): the heading likely meant, and the headings there. */
export function unknownAnchor(url: string, fragment: string, anchors: PageAnchors, other?: string): { text: string; hint: string } {
  const { headings } = anchors;
  const slugs = headings.map((heading) => heading.slug);
  // Else written as a heading's id on the page (`section-discusion`): the heading meant, written the same way.
  const direct = closest(fragment, slugs);
  const prefix = direct === undefined && fragment.startsWith(headingIdPrefix) ? headingIdPrefix : '';
  const meant = direct ?? (prefix ? closest(fragment.slice(prefix.length), slugs) : undefined);
  const heading = meant === undefined ? undefined : headings.find((candidate) => candidate.slug === meant)!.heading;
  const suggestion = heading ? `; did you mean #${prefix}${meant} (the heading "${headingText(heading).trim()}")?` : '';
  const owner = other ?? 'The note';
  const listed = headings.length > 0 ? `${owner}'s headings are ${headings.slice(0, 8).map((h) => `#${h.slug}`).join(', ')}${headings.length > 8 ? ', …' : ''}.` : `${owner} has no heading.`;
  return {
    text: `Link to "${url}" leads nowhere: no heading of ${other ?? 'this note'}, nor the page around it, has that anchor${suggestion}`,
    hint: `${listed} A heading's anchor is its text in lower case, punctuation dropped, spaces as hyphens, as GitHub's preview shows it; a repeated heading's gets -1, -2.`,
  };
}
