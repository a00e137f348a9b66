/**
 * Sanitized HTML (hast) → plain text lines for a 72-column mail. Working
 * from hast rather than mdast means a blog post's raw HTML (`<b>`, `<ol>`)
 * lays out exactly like Markdown does. This is the reference layout; plain
 * Markdown takes the direct path of `mdast-text.ts`, which must give the
 * same lines (test/mail/text-paths.test.ts).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import {
  cellText,
  hardBreak,
  imageText,
  linkText,
  listLines,
  majorHeadingLines,
  minorHeadingLines,
  normalizeInline,
  paragraphLines,
  quoteLines,
  tableLines,
} from './layout.ts';
import { codeLines, hangLines, indentLines, joinBlocks, widthAfter, wrapText } from './wrap.ts';

type Node = Root | RootContent;

const blockTags = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'ul',
]);

/** Lays out a hast tree as plain-text lines no wider than `width` (long URLs and code excepted). */
export function hastToLines(tree: Root | readonly ElementContent[], width: number): string[] {
  const children = Array.isArray(tree) ? (tree as readonly ElementContent[]) : (tree as Root).children;
  return blocksOf(children, width);
}

function isBlock(node: Node): node is Element {
  return node.type === 'element' && blockTags.has(node.tagName);
}

/** Lays out a run of siblings: inline runs become wrapped paragraphs, blocks their own layout. */
function blocksOf(nodes: readonly Node[], width: number): string[] {
  const blocks: string[][] = [];
  let inline = '';
  const flush = () => {
    blocks.push(paragraphLines(inline, width));
    inline = '';
  };
  for (const node of nodes) {
    if (isBlock(node)) {
      flush();
      blocks.push(block(node, width));
    } else {
      inline += inlineText(node);
    }
  }
  flush();
  return joinBlocks(blocks);
}

function block(node: Element, width: number): string[] {
  switch (node.tagName) {
    case 'h1':
    case 'h2':
      return majorHeadingLines(childrenText(node));
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      return minorHeadingLines(childrenText(node), width);
    case 'pre':
      return indentLines(codeLines(rawText(node)), 4);
    case 'blockquote':
      return quoteLines(blocksOf(node.children, widthAfter(width, 2)));
    case 'ul':
    case 'ol':
      return list(node, width);
    case 'hr':
      return ['* * *'];
    case 'table':
      return tableLines(rowsOf(node), width);
    case 'dl':
      return definitionList(node, width);
    case 'li':
      return hangLines('* ', blocksOf(node.children, widthAfter(width, 2)));
    default:
      return blocksOf(node.children, width);
  }
}

function list(node: Element, width: number): string[] {
  const items = node.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'li');
  const ordered = node.tagName === 'ol';
  const start = ordered ? Number(node.properties?.start ?? 1) || 1 : 1;
  return listLines(items.length, ordered, start, width, (index, inner) => blocksOf(checkbox(items[index]!), inner));
}

/** GFM task items: the checkbox becomes `[x]` / `[ ]` in front of the text. */
function checkbox(item: Element): ElementContent[] {
  return item.children.map((child) => {
    if (child.type === 'element' && child.tagName === 'input' && child.properties?.type === 'checkbox') {
      return { type: 'text', value: child.properties.checked ? '[x] ' : '[ ] ' };
    }
    return child;
  });
}

function definitionList(node: Element, width: number): string[] {
  const blocks: string[][] = [];
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'dt') blocks.push(wrapText(normalizeInline(childrenText(child)), width));
    else if (child.tagName === 'dd') blocks.push(indentLines(blocksOf(child.children, widthAfter(width, 4)), 4));
  }
  return joinBlocks(blocks);
}

function rowsOf(node: Element): string[][] {
  const rows: string[][] = [];
  const visit = (element: Element) => {
    for (const child of element.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'tr') {
        rows.push(
          child.children
            .filter((cell): cell is Element => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th'))
            .map((cell) => cellText(childrenText(cell))),
        );
      } else visit(child);
    }
  };
  visit(node);
  return rows;
}

/** Text of an element's inline content. */
function childrenText(node: Element): string {
  return node.children.map(inlineText).join('');
}

/** Text of inline content; `<br>` is a hard break, links show their target. */
function inlineText(node: Node): string {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'root':
      return node.children.map(inlineText).join('');
    case 'element':
      return inlineElement(node);
    default:
      return '';
  }
}

function inlineElement(node: Element): string {
  const inner = () => childrenText(node);
  switch (node.tagName) {
    case 'br':
      return hardBreak;
    case 'img':
      return imageText(typeof node.properties?.src === 'string' ? node.properties.src : '', String(node.properties?.alt ?? ''));
    case 'a':
      // A footnote reference reads [1]; the link back from the footnote has no place in a mail.
      if (node.properties.dataFootnoteRef !== undefined) return `[${inner()}]`;
      if (node.properties.dataFootnoteBackref !== undefined) return '';
      return linkText(typeof node.properties?.href === 'string' ? node.properties.href : '', inner());
    case 'script':
    case 'style':
    case 'template':
      return '';
    default:
      return isBlock(node) ? ` ${blocksOf([node], Number.MAX_SAFE_INTEGER).join(' ')} ` : inner();
  }
}

/** Text exactly as written, for code. */
function rawText(node: Node): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') return node.children.map(rawText).join('');
  return '';
}
