/**
 * Raw HTML inside a note becomes Markdown structure before compiling: the
 * tree goes through the same sanitizing pipeline as the site (rehype-raw,
 * then rehype-sanitize with GitHub's schema) and back to mdast with
 * hast-util-to-mdast. `<b>` becomes strong, `<ol><li>` an ordered list;
 * scripts, styles, event handlers and `javascript:` URLs are gone. Raw HTML
 * is never copied into wikitext.
 */
import type { Nodes, Parent, Root, RootContent } from 'mdast';
import { toMdast } from 'hast-util-to-mdast';
import { toString } from 'mdast-util-to-string';
import { sanitizedIdPrefix } from '../../markdown/fragment-links.ts';
import { mdastToSafeHast } from '../../markdown/html.ts';

export function containsHtml(node: Nodes): boolean {
  if (node.type === 'html') return true;
  return 'children' in node && node.children.some(containsHtml);
}

/** An equivalent tree without HTML nodes. */
export function htmlAsMdast(tree: Root): Root {
  const converted = toMdast(mdastToSafeHast(tree)) as Root;
  footnoteLinks(converted);
  return converted;
}

/**
 * The sanitized footnotes come back as links into the page: a reference
 * becomes a footnote reference again (shown as `[1]`), and the "back to
 * the text" link after each footnote goes (a wiki page has no such ids).
 */
function footnoteLinks(node: Parent): void {
  node.children = node.children.flatMap((child): RootContent[] => {
    if (child.type === 'link' && child.url.startsWith(`#${sanitizedIdPrefix}fnref-`)) return [];
    // Unprefixed: a reference whose footnote the page lists itself (`endnotes`), so the tree has no id for it.
    if (child.type === 'link' && (child.url.startsWith(`#${sanitizedIdPrefix}fn-`) || child.url.startsWith('#fn-'))) {
      const label = toString(child);
      return [{ type: 'footnoteReference', identifier: label, label }];
    }
    if ('children' in child) footnoteLinks(child);
    return [child];
  }) as typeof node.children;
}

/** The tree itself when it holds no raw HTML; otherwise `htmlAsMdast` of it (for callers that only need the tree). */
export function withoutRawHtml(tree: Root): Root {
  return containsHtml(tree) ? htmlAsMdast(tree) : tree;
}
