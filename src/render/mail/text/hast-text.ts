/**
 * Sanitized HTML (hast) → plain text lines for a 72-column mail. Working
 * from hast rather than mdast means a blog post's raw HTML (`<b>`, `<ol>`)
 * lays out exactly like Markdown does.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { codeLines, hangLines, indentLines, joinBlocks, widthAfter, wrapText } from './wrap.ts';

type Node = Root | RootContent;

/** Stands for `<br>` while inline text is gathered: a newline in a text node is only a soft break. */
const hardBreak = '\u2028';

const blockTags = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'ul',
]);

/** The heading style of sections in an OSSN mail: `### Summary ###`. */
export function sectionHeading(text: string): string {
  return `### ${text} ###`;
}

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
    if (inline.trim() !== '') blocks.push(wrapText(normalizeInline(inline), width));
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

/** Collapses HTML whitespace; the hard breaks of `<br>` become the only newlines. */
function normalizeInline(text: string): string {
  return text
    .split(hardBreak)
    .map((segment) => segment.replace(/[ \t\n\r\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

function block(node: Element, width: number): string[] {
  switch (node.tagName) {
    case 'h1':
    case 'h2':
      return [sectionHeading(normalizeInline(childrenText(node)).replace(/\n/g, ' '))];
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6': {
      const lines = wrapText(normalizeInline(childrenText(node)), width);
      return [...lines, '~'.repeat(Math.min(width, Math.max(...lines.map((l) => l.length))))];
    }
    case 'pre':
      return indentLines(codeLines(rawText(node)), 4);
    case 'blockquote':
      return blocksOf(node.children, widthAfter(width, 2)).map((line) => (line === '' ? '>' : `> ${line}`));
    case 'ul':
    case 'ol':
      return list(node, width);
    case 'hr':
      return ['* * *'];
    case 'table':
      return table(node, width);
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
  const markers = items.map((_, index) => (ordered ? `${start + index}. ` : '* '));
  const indent = Math.max(0, ...markers.map((m) => m.length));
  const rendered = items.map((item, index) => hangLines(markers[index]!, blocksOf(checkbox(item), widthAfter(width, indent)), indent));
  // A list whose items are single paragraphs stays tight, as it was written.
  const loose = rendered.some((lines) => lines.includes(''));
  return loose ? joinBlocks(rendered) : rendered.flat();
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
            .map((cell) => normalizeInline(childrenText(cell)).replace(/\n/g, ' ')),
        );
      } else visit(child);
    }
  };
  visit(node);
  return rows;
}

/**
 * A table as aligned columns when it fits the width; otherwise one
 * `Header: value` block per row, which always fits.
 */
function table(node: Element, width: number): string[] {
  const rows = rowsOf(node);
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (columns - 1);
  if (total <= width) {
    const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
    const [head, ...body] = rows;
    return [line(head!), widths.map((w) => '='.repeat(w)).join('  '), ...body.map(line)];
  }
  const [head, ...body] = rows;
  const labelWidth = Math.max(...head!.map((h) => h.length)) + 2;
  return joinBlocks(body.map((row) => row.flatMap((cell, c) => hangLinesFor(`${head![c] ?? ''}:`, cell, labelWidth, width))));
}

function hangLinesFor(label: string, value: string, labelWidth: number, width: number): string[] {
  const lines = wrapText(value, widthAfter(width, labelWidth));
  return lines.map((line, index) => (index === 0 ? label.padEnd(labelWidth) : ' '.repeat(labelWidth)) + line);
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
    case 'img': {
      const alt = String(node.properties?.alt ?? '').trim();
      return alt ? `[image: ${alt}]` : '';
    }
    case 'a':
      return link(node, inner());
    case 'script':
    case 'style':
    case 'template':
      return '';
    default:
      return isBlock(node) ? ` ${blocksOf([node], Number.MAX_SAFE_INTEGER).join(' ')} ` : inner();
  }
}

/** `text <https://…>`; just the URL when the text is the URL; fragments and empty links keep their text. */
function link(node: Element, text: string): string {
  const href = typeof node.properties?.href === 'string' ? node.properties.href : '';
  const label = text.trim();
  if (!href || href.startsWith('#')) return text;
  const shown = href.startsWith('mailto:') ? href.slice('mailto:'.length) : href;
  if (label === '' || label === shown || label === href) return shown;
  return `${text} <${shown}>`;
}

/** Text exactly as written, for code. */
function rawText(node: Node): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') return node.children.map(rawText).join('');
  return '';
}
