/**
 * Copy-on-write over a body's paragraphs: the node with `rewrite` applied to
 * each paragraph it is or holds in lists, list items and block quotes.
 * Containers are copied only where a paragraph changed; otherwise the same
 * node comes back (the advisory's own tree, shared by every renderer, is
 * never modified).
 */
import type { Paragraph, RootContent } from 'mdast';

export function mapParagraphs<T extends RootContent>(node: T, rewrite: (paragraph: Paragraph) => Paragraph): T {
  if (node.type === 'paragraph') return rewrite(node) as T;
  if (node.type !== 'list' && node.type !== 'listItem' && node.type !== 'blockquote') return node;
  let changed = false;
  const children = (node.children as RootContent[]).map((child) => {
    const rewritten = mapParagraphs(child, rewrite);
    if (rewritten !== child) changed = true;
    return rewritten;
  });
  return changed ? { ...node, children } : node;
}
