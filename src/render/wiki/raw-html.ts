/**
 * Raw HTML inside a note becomes Markdown structure before compiling: the
 * tree goes through the same sanitizing pipeline as the site (rehype-raw,
 * then rehype-sanitize with GitHub's schema) and back to mdast with
 * hast-util-to-mdast. `<b>` becomes strong, `<ol><li>` an ordered list;
 * scripts, styles, event handlers and `javascript:` URLs are gone. Raw HTML
 * is never copied into wikitext.
 */
import type { Code, Nodes, Root } from 'mdast';
import { toMdast } from 'hast-util-to-mdast';
import { mdastToSafeHast } from '../../markdown/html.ts';

export function containsHtml(node: Nodes): boolean {
  if (node.type === 'html') return true;
  return 'children' in node && node.children.some(containsHtml);
}

function codeNodes(node: Nodes, found: Code[] = []): Code[] {
  if (node.type === 'code') found.push(node);
  else if ('children' in node) for (const child of node.children) codeNodes(child, found);
  return found;
}

/**
 * An equivalent tree without HTML nodes. HTML has no place for a code
 * block's info string (`ini file=/etc/…`), so it is carried over to the
 * block with the same code.
 */
export function htmlAsMdast(tree: Root): Root {
  const metaByCode = new Map(codeNodes(tree).filter((code) => code.meta).map((code) => [code.value, code.meta!]));
  const converted = toMdast(mdastToSafeHast(tree)) as Root;
  for (const code of codeNodes(converted)) {
    const meta = metaByCode.get(code.value);
    if (meta) code.meta = meta;
  }
  return converted;
}

/** The tree itself when it holds no raw HTML; otherwise `htmlAsMdast` of it (for callers that only need the tree). */
export function withoutRawHtml(tree: Root): Root {
  return containsHtml(tree) ? htmlAsMdast(tree) : tree;
}
