/**
 * Markdown (mdast) → plain text lines, directly: the same lines
 * `hast-text.ts` gives for the sanitized HTML of the same tree, without
 * building that HTML tree (converting and sanitizing it cost more than the
 * layout itself). It takes only trees whose HTML is fully predictable: no
 * raw HTML, no references or footnotes, no custom `data`, and link targets
 * that need no URL encoding. `markdownLines` (sections.ts) sends every other
 * tree through the sanitizing path. test/mail/text-paths.test.ts holds the
 * two paths to the same output.
 */
import type { Blockquote, Code, Heading, List, ListItem, Nodes, PhrasingContent, RootContent, Table } from 'mdast';
import { defaultSchema } from 'rehype-sanitize';
import {
  cellText,
  hardBreak,
  imageText,
  linkText,
  listLines,
  majorHeadingLines,
  minorHeadingLines,
  paragraphLines,
  quoteLines,
  tableLines,
} from './layout.ts';
import { codeLines, indentLines, joinBlocks, widthAfter } from './wrap.ts';

/**
 * A URL that mdast-util-to-hast's `normalizeUri` leaves as it is: only the
 * characters it passes through, and `%` only as an escape. Any other URL
 * would need that encoding replicated.
 */
const plainUrl = /^(?:[!#$&-;=?-Z_a-z~]|%[0-9A-Za-z]{2})*$/;

/** The sanitizer's protocols for `href` and `src` (src/markdown/html.ts uses GitHub's schema). */
const hrefProtocols: readonly string[] = defaultSchema.protocols?.['href'] ?? [];
const srcProtocols: readonly string[] = defaultSchema.protocols?.['src'] ?? [];

/** True when `mdastToLines` lays out these nodes exactly as the sanitizing path would. */
export function canLayOutDirectly(nodes: readonly RootContent[]): boolean {
  return nodes.every(flowSupported);
}

/** mdast-util-to-hast lets `data` rename and replace elements. */
function hasHastData(node: Nodes): boolean {
  const data = node.data as Record<string, unknown> | undefined;
  return data !== undefined && ('hName' in data || 'hProperties' in data || 'hChildren' in data);
}

function flowSupported(node: RootContent): boolean {
  if (hasHastData(node)) return false;
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return node.children.every(phrasingSupported);
    case 'code':
    case 'thematicBreak':
      return true;
    case 'blockquote':
      return node.children.every(flowSupported);
    case 'list':
      return node.children.every((item) => !hasHastData(item) && item.children.every(flowSupported));
    case 'table':
      return node.children.every((row) => !hasHastData(row) && row.children.every((cell) => !hasHastData(cell) && cell.children.every(phrasingSupported)));
    default:
      return false;
  }
}

function phrasingSupported(node: PhrasingContent): boolean {
  if (hasHastData(node)) return false;
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'break':
      return true;
    case 'image':
      return plainUrl.test(node.url);
    case 'emphasis':
    case 'strong':
    case 'delete':
      return node.children.every(phrasingSupported);
    case 'link':
      return plainUrl.test(node.url) && node.children.every(phrasingSupported);
    default:
      return false;
  }
}

/** Lays out flow content (a section's nodes) in `width` columns; callers check `canLayOutDirectly` first. */
export function mdastToLines(nodes: readonly RootContent[], width: number): string[] {
  return joinBlocks(nodes.map((node) => blockLines(node, width)));
}

function blockLines(node: RootContent, width: number): string[] {
  switch (node.type) {
    case 'paragraph':
      return paragraphLines(phrasingText(node.children), width);
    case 'heading':
      return headingLines(node, width);
    case 'code':
      return codeBlockLines(node);
    case 'blockquote':
      return blockquoteLines(node, width);
    case 'list':
      return listBlockLines(node, width);
    case 'table':
      return tableBlockLines(node, width);
    case 'thematicBreak':
      return ['* * *'];
    default:
      throw new Error(`mdastToLines cannot lay out a ${node.type} node`);
  }
}

function headingLines(node: Heading, width: number): string[] {
  const inline = phrasingText(node.children);
  return node.depth <= 2 ? majorHeadingLines(inline) : minorHeadingLines(inline, width);
}

/** As `<pre><code>`: the value plus the newline mdast-util-to-hast adds. */
function codeBlockLines(node: Code): string[] {
  return indentLines(codeLines(node.value ? `${node.value}\n` : ''), 4);
}

function blockquoteLines(node: Blockquote, width: number): string[] {
  return quoteLines(mdastToLines(node.children, widthAfter(width, 2)));
}

function listBlockLines(node: List, width: number): string[] {
  const ordered = node.ordered === true;
  // mdast-util-to-hast writes `start` only when it is not 1; hast-text reads a missing or 0 start as 1.
  const start = ordered && typeof node.start === 'number' ? node.start || 1 : 1;
  const loose = isLooseList(node);
  return listLines(node.children.length, ordered, start, width, (index, inner) => listItemLines(node.children[index]!, loose, inner));
}

/** mdast-util-to-hast's rule: a list is loose when it or any item is spread (or, unmarked, has several children). */
function isLooseList(node: List): boolean {
  if (node.spread) return true;
  return node.children.some((item) => (item.spread === null || item.spread === undefined ? item.children.length > 1 : item.spread));
}

/**
 * One `<li>` as mdast-util-to-hast builds it and hast-text reads it: in a
 * tight list each paragraph's content sits in the item itself, with a
 * newline before every child but a leading paragraph; a task item's
 * checkbox shows as `[x] ` only there (inside a loose item's `<p>` it is
 * dropped).
 */
function listItemLines(item: ListItem, loose: boolean, width: number): string[] {
  const blocks: string[][] = [];
  let inline = '';
  const flush = () => {
    blocks.push(paragraphLines(inline, width));
    inline = '';
  };
  // `null` is the empty paragraph mdast-util-to-hast adds to hold the checkbox of a task item that starts with something else.
  const task = typeof item.checked === 'boolean';
  const children: readonly (RootContent | null)[] = task && item.children[0]?.type !== 'paragraph' ? [null, ...item.children] : item.children;
  children.forEach((child, index) => {
    const paragraph = child === null || child.type === 'paragraph' ? child ?? { children: [] } : undefined;
    if (loose || index !== 0 || !paragraph) inline += '\n';
    if (paragraph && !loose) {
      if (index === 0 && task) inline += `${item.checked ? '[x] ' : '[ ] '}${paragraph.children.length > 0 ? ' ' : ''}`;
      inline += phrasingText(paragraph.children);
    } else if (child !== null) {
      flush();
      blocks.push(blockLines(child, width));
    }
  });
  const tail = children.at(-1);
  if (tail !== undefined && (loose || (tail !== null && tail.type !== 'paragraph'))) inline += '\n';
  flush();
  return joinBlocks(blocks);
}

/** Rows as mdast-util-to-hast writes them: as many cells as the table has alignments (missing ones empty). */
function tableBlockLines(node: Table, width: number): string[] {
  const rows = node.children.map((row) => {
    const length = node.align ? node.align.length : row.children.length;
    return Array.from({ length }, (_, c) => {
      const cell = row.children[c];
      return cell ? cellText(phrasingText(cell.children)) : '';
    });
  });
  return tableLines(rows, width);
}

/** Inline text as hast-text gathers it from the HTML of these nodes. */
function phrasingText(nodes: readonly PhrasingContent[]): string {
  let text = '';
  for (const node of nodes) text += inlineText(node);
  return text;
}

function inlineText(node: PhrasingContent): string {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'emphasis':
    case 'strong':
    case 'delete':
      return phrasingText(node.children);
    case 'inlineCode':
      return node.value.replace(/\r?\n|\r/g, ' ');
    case 'break':
      return `${hardBreak}\n`;
    case 'link':
      return linkText(safeUrl(node.url, hrefProtocols), phrasingText(node.children));
    case 'image':
      return imageText(safeUrl(node.url, srcProtocols), node.alt ?? '');
    default:
      throw new Error(`mdastToLines cannot lay out a ${node.type} node`);
  }
}

/** The URL the sanitizer keeps: the URL, or '' when its protocol is not among `protocols` (hast-util-sanitize's `safeProtocol`). */
function safeUrl(url: string, protocols: readonly string[]): string {
  const colon = url.indexOf(':');
  if (colon < 0) return url;
  for (const mark of ['/', '?', '#']) {
    const at = url.indexOf(mark);
    if (at > -1 && colon > at) return url;
  }
  return protocols.some((protocol) => colon === protocol.length && url.startsWith(protocol)) ? url : '';
}
