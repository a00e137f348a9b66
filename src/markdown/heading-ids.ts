/**
 * Ids for a note's own headings, so that a link to one (`[see
 * below](#discussion)`, as GitHub's preview of the note makes work) leads
 * somewhere on the site and in the mail's HTML part.
 *
 * The fragment an author writes is GitHub's: the heading's text through
 * github-slugger (lower case, punctuation dropped, spaces to hyphens, `-1`,
 * `-2` for repeats). The id herald writes is that slug behind
 * `headingIdPrefix`, and the note's own `#slug` links are rewritten to it.
 * Without the prefix a heading could take an id the page around the note
 * uses: `details-heading`, `original`, `update-1`, `step-1`, `check-<id>`
 * (any lower-case check id), `filter-*`... The ids of the note's other
 * elements all start with `user-content-` (the sanitizer's), so no id of a
 * page can start with `section-` unless a template gives one such an id:
 * do not.
 *
 * Headings are keyed by where they start in the note (their offset), not
 * by node: renderers copy the nodes around them (file labels, images as
 * links), and the sanitizing pipeline rebuilds the tree, keeping only
 * positions. A heading without a position (made by code, not read) gets no
 * id.
 */
import GithubSlugger from 'github-slugger';
import type { Element, Root as HastRoot } from 'hast';
import { visit } from 'unist-util-visit';
import type { Definition, Heading, Html, Link, Nodes, Parent, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

/** What every heading id starts with: see above for why. */
export const headingIdPrefix = 'section-';

export interface HeadingIds {
  /** The id of each heading, by the offset it starts at. */
  readonly atOffset: ReadonlyMap<number, string>;
  /** The id for a fragment as GitHub names the heading (`discussion` → `section-discussion`). */
  readonly ofSlug: ReadonlyMap<string, string>;
}

export const noHeadingIds: HeadingIds = { atOffset: new Map(), ofSlug: new Map() };

/** A heading with the fragment GitHub gives it. */
export interface HeadingSlug {
  heading: Heading;
  slug: string;
}

const holdsBlocks = new Set(['root', 'blockquote', 'list', 'listItem', 'footnoteDefinition']);

/** The text GitHub makes a heading's anchor from: no image alt text, no raw HTML tags. */
export function headingText(heading: Heading): string {
  return toString(heading, { includeImageAlt: false, includeHtml: false });
}

/** Every heading of the tree, in document order (in quotes, lists and footnotes too), with its GitHub slug. */
export function headingSlugs(nodes: Root | readonly RootContent[]): HeadingSlug[] {
  const slugger = new GithubSlugger();
  const found: HeadingSlug[] = [];
  // In document order without recursion, as lint's walk (src/lint/body-nodes.ts),
  // into the nodes that hold blocks only: a heading is never inline.
  const stack: Nodes[] = 'type' in nodes ? [nodes] : [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'heading') found.push({ heading: node, slug: slugger.slug(headingText(node)) });
    else if (holdsBlocks.has(node.type)) {
      const children = (node as Parent).children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return found;
}

/** The ids of the tree's headings (those with a position). */
export function headingIds(nodes: Root | readonly RootContent[]): HeadingIds {
  const atOffset = new Map<number, string>();
  const ofSlug = new Map<string, string>();
  for (const { heading, slug } of headingSlugs(nodes)) {
    const offset = heading.position?.start.offset;
    if (offset === undefined) continue;
    atOffset.set(offset, headingIdPrefix + slug);
    ofSlug.set(slug, headingIdPrefix + slug);
  }
  return { atOffset, ofSlug };
}

/** The id a heading node gets, if any. */
export function idOfHeading(heading: Heading, ids: HeadingIds): string | undefined {
  const offset = heading.position?.start.offset;
  return offset === undefined ? undefined : ids.atOffset.get(offset);
}

/** The fragment of a `#…` URL, percent-decoded as a browser matches it against ids. */
export function fragmentOf(url: string): string | undefined {
  if (!url.startsWith('#')) return undefined;
  try {
    return decodeURIComponent(url.slice(1));
  } catch {
    return url.slice(1);
  }
}

/**
 * The nodes with every link (and link definition, and raw HTML's `<a
 * href>`) to one of their headings by its GitHub fragment pointed at the
 * heading's id; copied only where a link changed. Other fragments are left
 * as written: they may name an id of the page around the note, or of a
 * footnote (`fragment-links.ts`). Raw HTML is rewritten as text, before
 * the sanitizer reads it: what it keeps of the tag is unchanged.
 */
export function withHeadingLinks<T extends Root | RootContent[]>(nodes: T, ids: HeadingIds): T {
  if (ids.ofSlug.size === 0) return nodes;
  if (Array.isArray(nodes)) return relinked(nodes, ids) as T;
  const root = nodes as Root;
  const children = relinked(root.children, ids);
  return (children === root.children ? root : { ...root, children }) as T;
}

/** The children with their links relinked; the same array when none changed (most notes link no heading). */
function relinked<T extends RootContent>(nodes: T[], ids: HeadingIds): T[] {
  let copy: T[] | undefined;
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    const next = relink(node, ids);
    if (next !== node) copy ??= nodes.slice(0, index);
    copy?.push(next);
  }
  return copy ?? nodes;
}

function relink<T extends RootContent>(node: T, ids: HeadingIds): T {
  if (node.type === 'link' || node.type === 'definition') {
    const id = headingIdOfUrl((node as Link | Definition).url, ids);
    if (id !== undefined) node = { ...node, url: `#${id}` };
  } else if (node.type === 'html') {
    const value = rawHtmlRelinked((node as Html).value, ids);
    if (value !== (node as Html).value) node = { ...node, value };
  }
  if (!('children' in node)) return node;
  const parent = node as Parent;
  const children = relinked(parent.children, ids);
  return children === parent.children ? node : ({ ...node, children } as T);
}

function headingIdOfUrl(url: string, ids: HeadingIds): string | undefined {
  const fragment = fragmentOf(url);
  return fragment === undefined ? undefined : ids.ofSlug.get(fragment);
}

/**
 * An `<a>` tag of raw HTML and its `href`, quoted either way or bare. A tag
 * these miss (an attribute value holding `>`, a fragment written with
 * character references) keeps its link as written.
 */
const anchorTag = /<a\s[^>]*>/gi;
const hrefAttribute = /(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/i;

function rawHtmlRelinked(html: string, ids: HeadingIds): string {
  return html.replace(anchorTag, (tag) =>
    tag.replace(hrefAttribute, (attribute, lead: string, double?: string, single?: string, bare?: string) => {
      const id = headingIdOfUrl(double ?? single ?? bare!, ids);
      return id === undefined ? attribute : `${lead}"#${id}"`;
    }),
  );
}

/**
 * Gives the sanitized tree's headings their ids, after the sanitizer (which
 * would prefix them with `user-content-`). Only a heading element made from
 * a Markdown heading starts where one did; a heading in raw HTML gets none,
 * as on GitHub.
 */
export function giveHeadingIds(tree: HastRoot, ids: HeadingIds): void {
  if (ids.atOffset.size === 0) return;
  visit(tree, 'element', (node: Element) => {
    if (!headingElement.test(node.tagName)) return;
    const offset = node.position?.start.offset;
    const id = offset === undefined ? undefined : ids.atOffset.get(offset);
    if (id !== undefined) node.properties.id = id;
  });
}

const headingElement = /^h[1-6]$/;
