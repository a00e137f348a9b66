/**
 * The parts of a note's body the site shows: the whole body as safe HTML
 * (the page), and its summary (feeds, listings, meta description).
 *
 * The sanitizer (`mdastToSafeHast`) removes what is dangerous; removing an
 * element can leave its children where HTML does not allow them (a table
 * inside a paragraph). A browser would re-parse such markup into a
 * different tree, so the site re-parses it itself, the way a browser does,
 * and sanitizes that tree again: what is checked is what readers get.
 *
 * Most notes are plain Markdown (no raw HTML), which the sanitizer cannot
 * change: `writeSafeHtml` writes their HTML directly, with the same bytes,
 * and `plainWords` their summary text. Only raw HTML or what those decline
 * (footnotes, references, a URL the sanitizer would drop) takes the pipeline.
 */
import type { Element, Nodes as HastNodes, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import type { Data, Nodes, RootContent } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { hasRawHtml, mdastToSafeHast } from '../../markdown/html.ts';
import { hasHastHints, writeSafeHtml } from '../../markdown/html-writer.ts';
import { headingIds, type HeadingIds, noHeadingIds, withHeadingLinks } from '../../markdown/heading-ids.ts';
import { imagesAsLinks, imgAsLinks } from '../../markdown/images-as-links.ts';
import { sectionContent } from '../../model/body.ts';
import { withCheckLinks } from '../../model/verify-ids.ts';
import { presentedBody } from '../../model/file-labels.ts';
import type { Advisory } from '../../model/types.ts';
import type { Config } from '../../config/schema.ts';
import { absoluteUrl, basePath } from './urls.ts';

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

type Content = Parameters<typeof mdastToSafeHast>[0];

function safeTree(nodes: Content, ids: HeadingIds = noHeadingIds): HastRoot {
  const sanitized = mdastToSafeHast(nodes, ids);
  // Markdown alone cannot nest elements where HTML forbids them: only raw HTML needs the second pass.
  const tree = hasRawHtml(nodes) ? (resanitize.runSync(fromHtml(toHtml(sanitized), { fragment: true })) as HastRoot) : sanitized;
  tidy(tree);
  return tree;
}

/** The sanitizing pipeline alone: what the direct writers must equal (the tests hold them to it). */
export function pipelineHtml(nodes: Content, ids: HeadingIds = noHeadingIds): string {
  return toHtml(safeTree(nodes, ids));
}

/**
 * `tidy` has nothing to do on what `writeSafeHtml` writes: it declines
 * images without a source or alt text, Markdown makes no `name`, and
 * mdast-util-to-hast already trims blanks before line endings.
 */
export function safeHtml(nodes: Content, ids: HeadingIds = noHeadingIds): string {
  return writeSafeHtml(nodes, ids) ?? pipelineHtml(nodes, ids);
}

/**
 * The whole body, sanitized: raw HTML from blog posts included; each
 * step's field line on a line of its own, each config edit under the name
 * of its file (`presentedBody`). Links to
 * the site's own advisories (a note linking another by its file gets its
 * page's full URL) become root-relative, so a local preview stays local.
 * Each heading has its id, and the note's links to its headings lead there
 * (`heading-ids.ts`); before the check links are added, which name ids of
 * the page, never a heading.
 */
export function bodyHtml(advisory: Advisory, config: Config): string {
  const ids = headingIds(advisory.body);
  const html = alignedByClass(safeHtml(withCheckLinks(withHeadingLinks(presentedBody(advisory.body), ids), advisory.verify), ids));
  const pages = absoluteUrl(config, 'advisories/');
  return html.includes(pages) ? html.split(`href="${pages}`).join(`href="${basePath(config)}advisories/`) : html;
}

/**
 * A table column's alignment as a class (`site.css` aligns it): HTML
 * deprecates the `align` the Markdown writers give a cell, and the site's
 * Content-Security-Policy refuses a `style` attribute. Text never holds a
 * `<`, so only a real cell's start tag matches. Feeds and mail keep `align`,
 * which readers without the stylesheet still honour.
 */
function alignedByClass(html: string): string {
  return html.includes(' align="') ? html.replace(/<(th|td) align="(left|center|right)">/g, '<$1 class="align-$2">') : html;
}

/**
 * The Summary section, or for a note without one (blog posts) its first
 * paragraph; without footnotes, which a listing or a feed entry cannot show.
 */
function summaryNodes(advisory: Advisory): RootContent[] {
  const section = sectionContent(advisory.body, 'Summary');
  if (section && section.nodes.length > 0) return withoutFootnotes(section.nodes);
  const first = advisory.body.children.find((node) => node.type === 'paragraph' || node.type === 'html');
  return first ? withoutFootnotes([first]) : [];
}

/** The nodes without footnote references and definitions (copied only where one was). */
function withoutFootnotes<T extends Nodes>(nodes: T[]): T[] {
  let changed = false;
  const kept: T[] = [];
  for (const node of nodes) {
    if (node.type === 'footnoteReference' || node.type === 'footnoteDefinition') {
      changed = true;
      continue;
    }
    if ('children' in node) {
      const children = withoutFootnotes<Nodes>(node.children);
      if (children !== node.children) {
        changed = true;
        kept.push({ ...node, children } as T);
        continue;
      }
    }
    kept.push(node);
  }
  return changed ? kept : nodes;
}

/**
 * The summary as sanitized HTML, for feed entries, with images as links
 * (`images-as-links.ts`): a feed reader would fetch them for every reader.
 */
export function summaryHtml(advisory: Advisory): string {
  const nodes = imagesAsLinks(summaryNodes(advisory));
  return writeSafeHtml(nodes) ?? toHtml(imgAsLinks(safeTree(nodes)));
}

const blockElements = new Set(['p', 'li', 'div', 'br', 'tr', 'td', 'th', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function textOf(node: HastNodes): string {
  if (node.type === 'text') return node.value;
  if (!('children' in node)) return '';
  const inner = node.children.map((child) => textOf(child)).join('');
  return node.type === 'element' && blockElements.has(node.tagName) ? ` ${inner} ` : inner;
}

/**
 * The words of plain Markdown, with whitespace wherever `textOf` of its
 * sanitized tree has some (only where whitespace is, not how much, survives
 * the summary's collapsing): every block becomes an element `textOf` pads,
 * or sits between newlines. The sanitizer removes no text from plain
 * Markdown (a dropped URL keeps its link text). Anything else gives
 * undefined: raw HTML, footnotes, references, hast hints.
 */
function plainWords(nodes: readonly Nodes[]): string | undefined {
  let words = '';
  for (const node of nodes) {
    const part = nodeWords(node);
    if (part === undefined) return undefined;
    words += part;
  }
  return words;
}

const padded = (words: string | undefined) => (words === undefined ? undefined : ` ${words} `);

/** `data` is read where the node's type is known: see the speed note in html-writer.ts. */
function nodeWords(node: Nodes): string | undefined {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return unlessHinted(node.data, node.value);
    case 'image':
      return unlessHinted(node.data, '');
    case 'break':
    case 'thematicBreak':
      return unlessHinted(node.data, ' ');
    case 'code':
      return unlessHinted(node.data, padded(node.value));
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'link':
      return unlessHinted(node.data, plainWords(node.children));
    case 'paragraph':
    case 'heading':
    case 'blockquote':
    case 'list':
    case 'listItem':
    case 'tableCell':
    case 'tableRow':
      return unlessHinted(node.data, padded(plainWords(node.children)));
    case 'table':
      // A row has as many cells as the table has columns: the extra ones are never shown.
      return unlessHinted(node.data, padded(plainWords(node.children.map((row) => ({ ...row, children: row.children.slice(0, node.align?.length ?? row.children.length) })))));
    default:
      return undefined;
  }
}

function unlessHinted(data: Data | undefined, words: string | undefined): string | undefined {
  return hasHastHints(data) ? undefined : words;
}

/** The words of the sanitized tree, by the pipeline alone (tests compare `safeWords` with it). */
export function pipelineWords(nodes: readonly RootContent[]): string {
  return textOf(mdastToSafeHast(nodes));
}

/** Words as `textOf` finds them in the sanitized tree, up to the amount of whitespace. */
export function safeWords(nodes: readonly RootContent[]): string {
  return plainWords(nodes) ?? pipelineWords(nodes);
}

/**
 * The summary as one line of plain text of at most `limit` characters.
 * Beyond plain Markdown it goes through the sanitizer too, so text inside a
 * dropped `<script>` never shows up as words.
 */
export function summaryText(advisory: Advisory, limit = 280): string {
  const text = safeWords(summaryNodes(advisory)).replace(/\s+/g, ' ').trim();
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}\u2026` : text;
}
