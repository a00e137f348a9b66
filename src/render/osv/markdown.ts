/**
 * Markdown text of an advisory's sections, for the exports whose text
 * fields are CommonMark (OSV `details`, CSAF notes). Raw HTML from blog
 * posts is reduced to its text: an export must not carry markup that a
 * consumer could render unsanitized.
 */
import type { Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { sectionContent, type CanonicalSection } from '../../model/body.ts';
import type { Advisory } from '../../model/types.ts';

function withoutHtml(nodes: readonly RootContent[]): RootContent[] {
  return nodes.map((node) => {
    if (node.type === 'html') {
      const text = node.value.replace(/<[^>]*>/g, '').trim();
      return { type: 'paragraph', children: text ? [{ type: 'text', value: text }] : [] } as RootContent;
    }
    if ('children' in node) return { ...node, children: withoutHtml(node.children as RootContent[]) } as RootContent;
    return node;
  });
}

/** Serializes mdast nodes to Markdown with GFM, without trailing blank lines. */
export function nodesToMarkdown(nodes: readonly RootContent[]): string {
  const root: Root = { type: 'root', children: withoutHtml(nodes).filter((node) => node.type !== 'paragraph' || node.children.length > 0) };
  return toMarkdown(root, { extensions: [gfmToMarkdown()], bullet: '-', fences: true, listItemIndent: 'one' }).trim();
}

/** Markdown of one canonical section, or `undefined` when the note has none (or it is empty). */
export function sectionMarkdown(advisory: Advisory, name: CanonicalSection): string | undefined {
  const section = sectionContent(advisory.body, name);
  if (!section) return undefined;
  const text = nodesToMarkdown(section.nodes);
  return text === '' ? undefined : text;
}

/** The whole body as Markdown: what a blog post (which has no template sections) says. */
export function bodyMarkdown(advisory: Advisory): string {
  return nodesToMarkdown(advisory.body.children);
}
