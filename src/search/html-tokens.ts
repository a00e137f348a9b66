/**
 * A streaming HTML tokenizer shaped like lol_html, the rewriter Pagefind
 * parses pages with: start tags (attributes undecoded), end tags and raw
 * text chunks (character references left in), with no tree building, so no
 * implied end tags. Pagefind's extraction depends on exactly this view of a
 * page, which a spec-compliant parser (that decodes text and closes `<p>`
 * implicitly) would not give.
 */

/** Elements without content: no end tag, so their handlers finish at the start tag. */
export const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Elements whose content is text up to their own end tag. */
const rawTextElements = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);

/** What the tokenizer reports. */
export interface TokenHandler {
  start(name: string, attributes: Map<string, string>, selfClosing: boolean): void;
  end(name: string): void;
  text(text: string): void;
}

const rawTextClosers = new Map<string, RegExp>();

const tagName = /[A-Za-z][^\t\n\f\r />]*/y;
const attribute = /[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r /=>]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+)))?/y;
const tagEnd = /[\t\n\f\r /]*(\/?)>/y;

/** Tokenizes `html`, calling `handler` for each tag and text run in order. */
export function tokenizeHtml(html: string, handler: TokenHandler): void {
  let at = 0;
  const length = html.length;
  while (at < length) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      handler.text(html.slice(at));
      return;
    }
    if (open > at) handler.text(html.slice(at, open));
    at = open;
    const next = html.charCodeAt(at + 1);
    if (html.startsWith('<!--', at)) {
      const close = html.indexOf('-->', at + 4);
      at = close === -1 ? length : close + 3;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = html.indexOf('>', at);
      at = close === -1 ? length : close + 1;
      continue;
    }
    const isEnd = next === 0x2f; /* / */
    tagName.lastIndex = at + (isEnd ? 2 : 1);
    const nameMatch = tagName.exec(html);
    if (!nameMatch) {
      // A lone '<' is text.
      handler.text('<');
      at += 1;
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    let cursor = tagName.lastIndex;
    const attributes = new Map<string, string>();
    let selfClosing = false;
    for (;;) {
      tagEnd.lastIndex = cursor;
      const endMatch = tagEnd.exec(html);
      if (endMatch) {
        selfClosing = endMatch[1] === '/';
        cursor = tagEnd.lastIndex;
        break;
      }
      attribute.lastIndex = cursor;
      const attributeMatch = attribute.exec(html);
      if (!attributeMatch || attribute.lastIndex === cursor) {
        cursor = length;
        break;
      }
      const attributeName = (attributeMatch[1] ?? '').toLowerCase();
      // The first of repeated attributes wins, as in HTML.
      if (!attributes.has(attributeName)) attributes.set(attributeName, attributeMatch[2] ?? attributeMatch[3] ?? attributeMatch[4] ?? '');
      cursor = attribute.lastIndex;
    }
    at = cursor;
    if (isEnd) {
      handler.end(name);
      continue;
    }
    handler.start(name, attributes, selfClosing);
    if (rawTextElements.has(name)) {
      const closer = rawTextClosers.get(name) ?? new RegExp(`</${name}`, 'gi');
      rawTextClosers.set(name, closer);
      closer.lastIndex = at;
      const stop = closer.exec(html)?.index ?? length;
      if (stop > at) handler.text(html.slice(at, stop));
      at = stop;
    }
  }
}
