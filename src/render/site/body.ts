/**
 * The parts of a note's body the site shows: the whole body as safe HTML
 * (the page), and its summary (feeds, listings, meta description).
 *
 * The sanitizer (`mdastToSafeHast`) removes what is dangerous; removing an
 * element can leave its children where HTML does not allow them (a table
 * inside a paragraph). A browser would re-parse such markup into a
 * different tree, so the site re-parses it itself, the way a browser does,
 * and sanitizes that tree again: what is checked is what readers get.
 */
import type { Element, Nodes as HastNodes, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import type { RootContent } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { hasRawHtml, mdastToSafeHast } from '../../markdown/html.ts';
import { sectionContent } from '../../model/body.ts';
import type { Advisory } from '../../model/types.ts';

/**
 * The second pass: the same rules as the first (GitHub's schema, code
 * language classes), without prefixing ids again (the first pass did).
 */
const resanitize = unified()
  .use(rehypeSanitize, {
    ...defaultSchema,
    clobberPrefix: '',
    attributes: { ...defaultSchema.attributes, code: [...(defaultSchema.attributes?.code ?? []), ['className', /^language-[\w+-]+$/]] },
  })
  .freeze();

/** Markup the sanitizer allows but a valid page does not: deprecated or incomplete elements. */
function tidy(tree: HastRoot): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'img') {
      // A dropped script or data URL leaves an image with nothing to show.
      if (typeof node.properties.src !== 'string' || node.properties.src === '') {
        if (parent && index !== undefined) {
          parent.children.splice(index, 1);
          return index;
        }
      }
      node.properties.alt ??= '';
    }
    if (node.tagName === 'a') delete node.properties.name;
    return undefined;
  });
  visit(tree, 'text', (node, _index, parent) => {
    if (parent?.type === 'element' && (parent.tagName === 'pre' || parent.tagName === 'code')) return;
    node.value = node.value.replace(/[ \t]+\n/g, '\n');
  });
}

function safeTree(nodes: Parameters<typeof mdastToSafeHast>[0]): HastRoot {
  const sanitized = mdastToSafeHast(nodes);
  // Markdown alone cannot nest elements where HTML forbids them: only raw HTML needs the second pass.
  const tree = hasRawHtml(nodes) ? (resanitize.runSync(fromHtml(toHtml(sanitized), { fragment: true })) as HastRoot) : sanitized;
  tidy(tree);
  return tree;
}

/** The whole body, sanitized: raw HTML from blog posts included. */
export function bodyHtml(advisory: Advisory): string {
  return toHtml(safeTree(advisory.body));
}

/** The Summary section, or for a note without one (blog posts) its first paragraph. */
function summaryNodes(advisory: Advisory): RootContent[] {
  const section = sectionContent(advisory.body, 'Summary');
  if (section && section.nodes.length > 0) return section.nodes;
  const first = advisory.body.children.find((node) => node.type === 'paragraph' || node.type === 'html');
  return first ? [first] : [];
}

/** The summary as sanitized HTML, for feed entries. */
export function summaryHtml(advisory: Advisory): string {
  return toHtml(safeTree(summaryNodes(advisory)));
}

const blockElements = new Set(['p', 'li', 'div', 'br', 'tr', 'td', 'th', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function textOf(node: HastNodes): string {
  if (node.type === 'text') return node.value;
  if (!('children' in node)) return '';
  const inner = node.children.map((child) => textOf(child)).join('');
  return node.type === 'element' && blockElements.has(node.tagName) ? ` ${inner} ` : inner;
}

/**
 * The summary as one line of plain text of at most `limit` characters. It
 * goes through the sanitizer too, so text inside a dropped `<script>` never
 * shows up as words.
 */
export function summaryText(advisory: Advisory, limit = 280): string {
  const text = textOf(mdastToSafeHast(summaryNodes(advisory))).replace(/\s+/g, ' ').trim();
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}\u2026` : text;
}
