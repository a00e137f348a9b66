/**
 * mdast → safe HTML in one pass, for the trees the sanitizing pipeline
 * (`html.ts`) could not change: it returns the very bytes of
 * `toHtml(mdastToSafeHast(tree))` without building, sanitizing and
 * serializing a hast tree, which costs ten times as much.
 *
 * It writes only what mdast-util-to-hast makes of plain Markdown, and every
 * element and attribute of that is in GitHub's schema. So the sanitizer has
 * nothing to remove, provided every URL passes its protocol check (which
 * the writer applies the same way). Anything else declines (returns
 * undefined) and goes through the pipeline: raw HTML, footnotes,
 * references and definitions, a link or image the sanitizer would strip,
 * nodes carrying hast hints (`data.hName`...), unknown node types. The
 * property test in test/markdown/html-writer.test.ts holds the two equal.
 */
import type { Code, Data, Heading, Image, InlineCode, Link, List, ListItem, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { type HeadingIds, idOfHeading, noHeadingIds } from './heading-ids.ts';

/** Thrown (never an Error: no stack to capture) when the tree needs the full pipeline. */
const declined: unique symbol = Symbol('declined');

function decline(): never {
  throw declined;
}

/** The ids of the headings being written (the writer never calls itself, so one at a time). */
let headingIds: HeadingIds = noHeadingIds;

/**
 * The safe HTML of a tree, or undefined when only the sanitizing pipeline
 * can tell; each heading with its id from `ids` (`heading-ids.ts`), as the
 * pipeline gives it.
 */
export function writeSafeHtml(nodes: Root | readonly RootContent[], ids: HeadingIds = noHeadingIds): string | undefined {
  headingIds = ids;
  try {
    if ('type' in nodes) plain(nodes.data);
    // The root joins its children with newlines, without the outer ones of a loose wrap.
    return flowResults('type' in nodes ? nodes.children : nodes).join('\n');
  } catch (error) {
    if (error === declined) return undefined;
    throw error;
  } finally {
    headingIds = noHeadingIds;
  }
}

// ---- Escaping, exactly as hast-util-to-html does it (hexadecimal references).

const textSpecial = /[&<]/;
const textSpecials = /[&<]/g;
const attributeSpecial = /[\0"&'`]/;
const attributeSpecials = /[\0"&'`]/g;

function reference(character: string): string {
  return `&#x${character.charCodeAt(0).toString(16).toUpperCase()};`;
}

function escapeText(value: string): string {
  return textSpecial.test(value) ? value.replace(textSpecials, reference) : value;
}

function attribute(name: string, value: string): string {
  return ` ${name}="${attributeSpecial.test(value) ? value.replace(attributeSpecials, reference) : value}"`;
}

// ---- What mdast-util-to-hast does to text and URLs.

const blankBesideLineEnding = /[ \t][\r\n]|[\r\n][ \t]/;

/** Spaces and tabs around line endings go (trim-lines), the line endings stay. */
function trimLines(value: string): string {
  // Most text has none: a test is much cheaper than a replace that rewrites every line ending.
  return blankBesideLineEnding.test(value) ? value.replace(/[ \t]*(\r?\n|\r)[ \t]*/g, '$1') : value;
}

/** After a hard break, the next text loses its leading spaces and tabs. */
function trimAfterBreak(value: string): string {
  return value.replace(/^[ \t]+/, '');
}

const uriSafe = /^[!#$&-;=?-Z_a-z~]*$/;
const uriSafeCharacter = /[!#$&-;=?-Z_a-z~]/;

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** micromark-util-sanitize-uri's `normalizeUri`: percent-encodes what a URL may not hold, keeps valid escapes. */
export function normalizeUri(value: string): string {
  if (uriSafe.test(value)) return value;
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    let replace = '';
    let skip = 0;
    if (code === 37 && isAsciiAlphanumeric(value.charCodeAt(index + 1)) && isAsciiAlphanumeric(value.charCodeAt(index + 2))) {
      skip = 2;
    } else if (code < 128) {
      if (!uriSafeCharacter.test(String.fromCharCode(code))) replace = String.fromCharCode(code);
    } else if (code > 55_295 && code < 57_344) {
      const next = value.charCodeAt(index + 1);
      if (code < 56_320 && next > 56_319 && next < 57_344) {
        replace = String.fromCharCode(code, next);
        skip = 1;
      } else {
        replace = '\uFFFD';
      }
    } else {
      replace = String.fromCharCode(code);
    }
    if (replace) {
      parts.push(value.slice(start, index), encodeURIComponent(replace));
      start = index + skip + 1;
    }
    index += skip;
  }
  return parts.join('') + value.slice(start);
}

// ---- The sanitizer's one check that can apply to plain Markdown: URL protocols.

const hrefProtocols = ['http', 'https', 'irc', 'ircs', 'mailto', 'xmpp'];
const srcProtocols = ['http', 'https'];

/** hast-util-sanitize's `safeProtocol`: no scheme (a relative URL), or one of `protocols`. */
function safeProtocol(url: string, protocols: readonly string[]): boolean {
  const colon = url.indexOf(':');
  if (colon < 0) return true;
  const slash = url.indexOf('/');
  const questionMark = url.indexOf('?');
  const numberSign = url.indexOf('#');
  if ((slash > -1 && colon > slash) || (questionMark > -1 && colon > questionMark) || (numberSign > -1 && colon > numberSign)) return true;
  return protocols.some((protocol) => colon === protocol.length && url.startsWith(protocol));
}

// ---- The tree.
//
// mdast nodes come in many shapes: each node's `type` is read once, and its
// other fields (`data` included) only where its type is known, so those
// reads see few shapes and stay fast in V8.

/** Hints that make mdast-util-to-hast write another element, attributes or children: only the pipeline follows those. */
export function hasHastHints(data: Data | undefined): boolean {
  if (data === undefined) return false;
  const hints = data as Record<string, unknown>;
  return hints.hName !== undefined || hints.hProperties !== undefined || hints.hChildren !== undefined;
}

function plain(data: Data | undefined): void {
  if (data !== undefined && hasHastHints(data)) decline();
}

/** mdast-util-to-hast's `wrap`: results on their own lines; a loose wrap also opens and closes with a newline. */
function wrap(results: readonly string[], loose: boolean): string {
  if (!loose) return results.join('\n');
  return results.length === 0 ? '\n' : `\n${results.join('\n')}\n`;
}

function flowResults(nodes: readonly RootContent[]): string[] {
  return nodes.map(flow);
}

function flow(node: RootContent): string {
  switch (node.type) {
    case 'paragraph':
      plain(node.data);
      return `<p>${phrasing(node.children, false)}</p>`;
    case 'heading':
      return heading(node);
    case 'thematicBreak':
      plain(node.data);
      return '<hr>';
    case 'blockquote':
      plain(node.data);
      return `<blockquote>${wrap(flowResults(node.children), true)}</blockquote>`;
    case 'code':
      return code(node);
    case 'list':
      return list(node);
    case 'table':
      return table(node);
    default:
      return decline();
  }
}

function heading(node: Heading): string {
  plain(node.data);
  if (!Number.isInteger(node.depth) || node.depth < 1 || node.depth > 6) decline();
  const id = idOfHeading(node, headingIds);
  return `<h${node.depth}${id === undefined ? '' : attribute('id', id)}>${phrasing(node.children, false)}</h${node.depth}>`;
}

function code(node: Code): string {
  plain(node.data);
  const value = node.value ? `${node.value}\n` : '';
  const language = node.lang ? node.lang.split(/\s+/)[0]! : undefined;
  // The schema keeps `language-` followed by something; an empty name would leave `class=""`.
  if (language === '') decline();
  return `<pre><code${language === undefined ? '' : attribute('class', `language-${language}`)}>${escapeText(value)}</code></pre>`;
}

/** A list item's results: paragraphs apart, since a tight list writes their content without the `<p>`. */
type ItemResult = { paragraph: true; inner: string } | { paragraph: false; html: string };

function itemIsLoose(item: ListItem): boolean {
  return item.spread === null || item.spread === undefined ? item.children.length > 1 : item.spread;
}

function list(node: List): string {
  plain(node.data);
  for (const item of node.children) if (item.type !== 'listItem') decline();
  const loose = Boolean(node.spread) || node.children.some(itemIsLoose);
  const items = node.children.map((item) => listItem(item, loose));
  let attributes = typeof node.start === 'number' && node.start !== 1 ? attribute('start', String(node.start)) : '';
  if (node.children.some((item) => typeof item.checked === 'boolean')) attributes += attribute('class', 'contains-task-list');
  const tag = node.ordered ? 'ol' : 'ul';
  return `<${tag}${attributes}>${wrap(items, true)}</${tag}>`;
}

function listItem(node: ListItem, loose: boolean): string {
  plain(node.data);
  const results: ItemResult[] = node.children.map((child) => {
    if (child.type !== 'paragraph') return { paragraph: false, html: flow(child) };
    plain(child.data);
    return { paragraph: true, inner: phrasing(child.children, false) };
  });
  const task = typeof node.checked === 'boolean';
  if (task) {
    const checkbox = `<input type="checkbox"${node.checked ? ' checked' : ''} disabled>`;
    const head = results[0];
    const first = node.children[0];
    if (head?.paragraph && first?.type === 'paragraph') head.inner = `${checkbox}${first.children.length > 0 ? ' ' : ''}${head.inner}`;
    else results.unshift({ paragraph: true, inner: checkbox });
  }
  let html = '';
  results.forEach((result, index) => {
    if (loose || index !== 0 || !result.paragraph) html += '\n';
    html += !result.paragraph ? result.html : loose ? `<p>${result.inner}</p>` : result.inner;
  });
  const tail = results[results.length - 1];
  if (tail && (loose || !tail.paragraph)) html += '\n';
  return `<li${task ? attribute('class', 'task-list-item') : ''}>${html}</li>`;
}

function table(node: Table): string {
  plain(node.data);
  const rows = node.children.map((row, rowIndex) => {
    if (row.type !== 'tableRow') decline();
    plain(row.data);
    const tag = rowIndex === 0 ? 'th' : 'td';
    const length = node.align ? node.align.length : row.children.length;
    const cells: string[] = [];
    for (let cellIndex = 0; cellIndex < length; cellIndex++) {
      const cell = row.children[cellIndex];
      const align = node.align?.[cellIndex];
      let inner = '';
      if (cell) {
        if (cell.type !== 'tableCell') decline();
        plain(cell.data);
        inner = phrasing(cell.children, false);
      }
      cells.push(`<${tag}${align ? attribute('align', align) : ''}>${inner}</${tag}>`);
    }
    return `<tr>${wrap(cells, true)}</tr>`;
  });
  const content: string[] = [];
  if (rows.length > 0) content.push(`<thead>${wrap(rows.slice(0, 1), true)}</thead>`);
  if (rows.length > 1) content.push(`<tbody>${wrap(rows.slice(1), true)}</tbody>`);
  return `<table>${wrap(content, true)}</table>`;
}

/**
 * Phrasing content. `trimHead`: the parent follows a hard break, so its
 * first child loses its leading blanks if it is text (mdast-util-to-hast
 * trims the head of the node after a break, one level deep).
 */
function phrasing(nodes: readonly PhrasingContent[], trimHead: boolean): string {
  let html = '';
  let afterBreak = false;
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    const trim = afterBreak || (index === 0 && trimHead && node.type === 'text');
    afterBreak = false;
    switch (node.type) {
      case 'text':
        plain(node.data);
        html += escapeText(trimmed(trimLines(node.value), trim));
        break;
      case 'emphasis':
        plain(node.data);
        html += `<em>${phrasing(node.children, trim)}</em>`;
        break;
      case 'strong':
        plain(node.data);
        html += `<strong>${phrasing(node.children, trim)}</strong>`;
        break;
      case 'delete':
        plain(node.data);
        html += `<del>${phrasing(node.children, trim)}</del>`;
        break;
      case 'inlineCode':
        html += inlineCode(node, trim);
        break;
      case 'break':
        plain(node.data);
        html += '<br>\n';
        afterBreak = true;
        break;
      case 'link':
        html += link(node, trim);
        break;
      case 'image':
        html += image(node);
        break;
      default:
        decline();
    }
  }
  return html;
}

function trimmed(value: string, afterBreak: boolean): string {
  return afterBreak ? trimAfterBreak(value) : value;
}

function inlineCode(node: InlineCode, afterBreak: boolean): string {
  plain(node.data);
  return `<code>${escapeText(trimmed(node.value.replace(/\r?\n|\r/g, ' '), afterBreak))}</code>`;
}

function link(node: Link, afterBreak: boolean): string {
  plain(node.data);
  const href = normalizeUri(node.url);
  // The sanitizer would drop the href: let it.
  if (!safeProtocol(href, hrefProtocols)) decline();
  const title = node.title === null || node.title === undefined ? '' : attribute('title', node.title);
  return `<a${attribute('href', href)}${title}>${phrasing(node.children, afterBreak)}</a>`;
}

function image(node: Image): string {
  plain(node.data);
  const src = normalizeUri(node.url);
  // An empty or unsafe source, or no alt text: the site tidies such images, so the pipeline decides.
  if (src === '' || !safeProtocol(src, srcProtocols) || node.alt === null || node.alt === undefined) decline();
  const title = node.title === null || node.title === undefined ? '' : attribute('title', node.title);
  return `<img${attribute('src', src)}${attribute('alt', node.alt)}${title}>`;
}
