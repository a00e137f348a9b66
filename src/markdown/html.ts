/**
 * mdast → safe HTML. Raw HTML in notes (blog posts carry `<b>`, `<ol>`) is
 * re-parsed by rehype-raw, then everything passes rehype-sanitize (GitHub's
 * schema, which drops scripts, iframes, styles, event handlers and
 * `javascript:`/`data:` URLs; code keeps its `language-*` class). Nothing from a note reaches a page otherwise.
 */
import type { Root, RootContent } from 'mdast';
import type { Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { writeSafeHtml } from './html-writer.ts';
import { fragmentLinks } from './fragment-links.ts';
import { giveHeadingIds, type HeadingIds, noHeadingIds } from './heading-ids.ts';
import { imagesAsLinks, imgAsLinks } from './images-as-links.ts';

/** GitHub's schema, and the text of `<style>` dropped along with the element (as `<script>`'s is). */
const sanitizeSchema = { ...defaultSchema, strip: [...(defaultSchema.strip ?? []), 'style'] };

/**
 * The sanitizer prefixes every id with `user-content-` (so a note cannot
 * clobber the page's globals), but not the links to them. So footnote ids
 * come from mdast-util-to-hast unprefixed (its own prefix would be doubled),
 * and `fragmentLinks` points each `#x` link at the `user-content-x` the
 * sanitizer made, as GitHub's script does when a page loads.
 */
const toHast = { clobberPrefix: '' };
const withRawHtml = unified().use(remarkRehype, { ...toHast, allowDangerousHtml: true }).use(rehypeRaw).use(rehypeSanitize, sanitizeSchema).use(fragmentLinks).freeze();
/** Without raw HTML there is nothing for rehype-raw (an HTML parser run over the whole tree) to do. */
const withoutRawHtml = unified().use(remarkRehype, toHast).use(rehypeSanitize, sanitizeSchema).use(fragmentLinks).freeze();

/** True when the tree holds raw HTML (blog posts, hostile notes), which must go through an HTML parser. */
export function hasRawHtml(nodes: Root | readonly RootContent[]): boolean {
  const stack: { type: string; children?: unknown[] }[] = 'type' in nodes ? [nodes as Root] : [...(nodes as readonly RootContent[])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'html') return true;
    if (node.children) for (const child of node.children) stack.push(child as { type: string; children?: unknown[] });
  }
  return false;
}

/**
 * Runs the sanitizing pipeline and returns the hast tree (for callers that
 * post-process); each heading with its id from `ids` (`heading-ids.ts`).
 */
export function mdastToSafeHast(nodes: Root | readonly RootContent[], ids: HeadingIds = noHeadingIds): HastRoot {
  const root: Root = 'type' in nodes && nodes.type === 'root' ? nodes : { type: 'root', children: [...(nodes as readonly RootContent[])] };
  // mdast-util-to-hast builds a new tree and never mutates its input. Both
  // pipelines end in the same sanitizer.
  const tree = (hasRawHtml(root) ? withRawHtml : withoutRawHtml).runSync(root) as HastRoot;
  giveHeadingIds(tree, ids);
  return tree;
}

/** Plain Markdown is written directly (the same bytes, see `html-writer.ts`); the rest goes through the pipeline. */
export function mdastToSafeHtml(nodes: Root | readonly RootContent[], ids: HeadingIds = noHeadingIds): string {
  return writeSafeHtml(nodes, ids) ?? toHtml(mdastToSafeHast(nodes, ids));
}

/**
 * The same, with every image as a link to it (`images-as-links.ts`): for
 * the mail's HTML part, which a mail client shows away from the site.
 */
export function mdastToSafeHtmlImagesAsLinks(nodes: Root | readonly RootContent[], ids: HeadingIds = noHeadingIds): string {
  const linked = imagesAsLinks('type' in nodes && nodes.type === 'root' ? nodes.children : (nodes as readonly RootContent[]));
  return writeSafeHtml(linked, ids) ?? toHtml(imgAsLinks(mdastToSafeHast(linked, ids)));
}
