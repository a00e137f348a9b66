/**
 * A streaming HTML tokenizer shaped like lol_html, the rewriter Pagefind
 * parses pages with: start tags (attributes undecoded), end tags and raw
 * text chunks (character references left in), with no tree building, so no
 * implied end tags. Pagefind's extraction depends on exactly this view of a
 * page, which a spec-compliant parser (that decodes text and closes `<p>`
 * implicitly) would not give.
 *
 * It scans character codes rather than running a regular expression per
 * tag and attribute, and makes no map for a tag without attributes: the
 * build indexes every advisory page with it (see BENCHMARKS.md, 7 December).
 * test/search/html-tokens.test.ts holds it to the regular expressions it
 * replaced.
 */

/** Elements without content: no end tag, so their handlers finish at the start tag. */
export const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Elements whose content is text up to their own end tag. */
const rawTextElements = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);

/** What the tokenizer reports. */
export interface TokenHandler {
  /** A start tag; `attributes` is shared and empty for a tag without any: read it, never change it. */
  start(name: string, attributes: ReadonlyMap<string, string>, selfClosing: boolean): void;
  end(name: string): void;
  text(text: string): void;
}

const noAttributes: ReadonlyMap<string, string> = new Map();
const rawTextClosers = new Map<string, RegExp>();

const TAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const GT = 0x3e;

/** HTML's tag whitespace: tab, line feed, form feed, carriage return, space. */
const isSpace = (c: number): boolean => c === SPACE || c === LF || c === TAB || c === CR || c === FF;
const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** Whether `toLowerCase` could change a name holding this code (ASCII capitals, anything beyond ASCII). */
const mayLower = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || c >= 0x80;

/** `html.slice(start, end)`, lowercased as `toLowerCase` does. */
function lowerSlice(html: string, start: number, end: number, lower: boolean): string {
  const name = html.slice(start, end);
  return lower ? name.toLowerCase() : name;
}

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
    if (next === 0x21 /* ! */ && html.startsWith('<!--', at)) {
      const close = html.indexOf('-->', at + 4);
      at = close === -1 ? length : close + 3;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = html.indexOf('>', at);
      at = close === -1 ? length : close + 1;
      continue;
    }
    const isEnd = next === SLASH;
    // The name: an ASCII letter, then anything up to whitespace, '/' or '>'.
    const nameStart = at + (isEnd ? 2 : 1);
    if (nameStart >= length || !isAsciiLetter(html.charCodeAt(nameStart))) {
      // A lone '<' is text.
      handler.text('<');
      at += 1;
      continue;
    }
    let cursor = nameStart;
    let lower = false;
    for (; cursor < length; cursor++) {
      const c = html.charCodeAt(cursor);
      if (isSpace(c) || c === SLASH || c === GT) break;
      if (mayLower(c)) lower = true;
    }
    const name = lowerSlice(html, nameStart, cursor, lower);
    let attributes: Map<string, string> | undefined;
    for (;;) {
      // Whitespace and '/' before the next attribute or the '>'. (The
      // regular expression this replaces let that run take the '/' of `/>`
      // too, so no tag was ever reported self-closing; kept, as Pagefind's
      // output for herald's pages is checked against it.)
      let skip = cursor;
      while (skip < length) {
        const c = html.charCodeAt(skip);
        if (!(isSpace(c) || c === SLASH)) break;
        skip++;
      }
      if (skip >= length) {
        cursor = length;
        break;
      }
      if (html.charCodeAt(skip) === GT) {
        cursor = skip + 1;
        break;
      }
      // An attribute name: any first character but whitespace, '/' and '>', then none of those nor '='.
      const attributeStart = skip;
      let lowerAttribute = mayLower(html.charCodeAt(skip));
      let end = skip + 1;
      for (; end < length; end++) {
        const c = html.charCodeAt(end);
        if (isSpace(c) || c === SLASH || c === EQUALS || c === GT) break;
        if (mayLower(c)) lowerAttribute = true;
      }
      cursor = end;
      let value = '';
      // `[ws]*=[ws]*` and a value: "…", '…', or a run without whitespace and '>'; else no value.
      let equals = end;
      while (equals < length && isSpace(html.charCodeAt(equals))) equals++;
      if (equals < length && html.charCodeAt(equals) === EQUALS) {
        let valueStart = equals + 1;
        while (valueStart < length && isSpace(html.charCodeAt(valueStart))) valueStart++;
        const quote = html.charCodeAt(valueStart);
        const close = quote === QUOTE || quote === APOSTROPHE ? html.indexOf(quote === QUOTE ? '"' : "'", valueStart + 1) : -1;
        if (close !== -1) {
          value = html.slice(valueStart + 1, close);
          cursor = close + 1;
        } else {
          let valueEnd = valueStart;
          while (valueEnd < length) {
            const c = html.charCodeAt(valueEnd);
            if (isSpace(c) || c === GT) break;
            valueEnd++;
          }
          if (valueEnd > valueStart) {
            value = html.slice(valueStart, valueEnd);
            cursor = valueEnd;
          }
        }
      }
      const attributeName = lowerSlice(html, attributeStart, end, lowerAttribute);
      attributes ??= new Map();
      // The first of repeated attributes wins, as in HTML.
      if (!attributes.has(attributeName)) attributes.set(attributeName, value);
    }
    at = cursor;
    if (isEnd) {
      handler.end(name);
      continue;
    }
    handler.start(name, attributes ?? noAttributes, false);
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
