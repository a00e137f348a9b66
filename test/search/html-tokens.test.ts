/**
 * `tokenizeHtml` scans character codes; it replaced a tokenizer built on
 * three regular expressions (kept below as the reference). Both must report
 * the same tags, attributes and text on herald's pages, on the edge-case
 * fixture and on thousands of pages mangled at random (a fixed seed), as
 * must `splitWhitespace` against the Rust White_Space expression.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizeHtml } from '../../src/search/html-tokens.ts';
import { splitWhitespace } from '../../src/search/words.ts';

const rawTextElements = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
const tagName = /[A-Za-z][^\t\n\f\r />]*/y;
const attribute = /[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r /=>]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+)))?/y;
const tagEnd = /[\t\n\f\r /]*(\/?)>/y;

/** The tokenizer `tokenizeHtml` replaced, as tokens. */
function referenceTokens(html: string): string[] {
  const out: string[] = [];
  let at = 0;
  const length = html.length;
  while (at < length) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      out.push(`text ${html.slice(at)}`);
      break;
    }
    if (open > at) out.push(`text ${html.slice(at, open)}`);
    at = open;
    const next = html.charCodeAt(at + 1);
    if (html.startsWith('<!--', at)) {
      const close = html.indexOf('-->', at + 4);
      at = close === -1 ? length : close + 3;
      continue;
    }
    if (next === 0x21 || next === 0x3f) {
      const close = html.indexOf('>', at);
      at = close === -1 ? length : close + 1;
      continue;
    }
    const isEnd = next === 0x2f;
    tagName.lastIndex = at + (isEnd ? 2 : 1);
    const nameMatch = tagName.exec(html);
    if (!nameMatch) {
      out.push('text <');
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
      if (!attributes.has(attributeName)) attributes.set(attributeName, attributeMatch[2] ?? attributeMatch[3] ?? attributeMatch[4] ?? '');
      cursor = attribute.lastIndex;
    }
    at = cursor;
    if (isEnd) {
      out.push(`end ${name}`);
      continue;
    }
    out.push(`start ${name} ${JSON.stringify([...attributes])} ${selfClosing}`);
    if (rawTextElements.has(name)) {
      const closer = new RegExp(`</${name}`, 'gi');
      closer.lastIndex = at;
      const stop = closer.exec(html)?.index ?? length;
      if (stop > at) out.push(`text ${html.slice(at, stop)}`);
      at = stop;
    }
  }
  return out;
}

function tokens(html: string): string[] {
  const out: string[] = [];
  tokenizeHtml(html, {
    start: (name, attributes, selfClosing) => out.push(`start ${name} ${JSON.stringify([...attributes])} ${selfClosing}`),
    end: (name) => out.push(`end ${name}`),
    text: (text) => out.push(`text ${text}`),
  });
  return out;
}

const pieces = ['<', '>', '/', '=', '"', "'", ' ', '\n', '\t', '\r\n', '\f', '\v', 'é', 'İ', '\u00a0', '&amp;', '<SVG>', '</svg>', '<br/>', '<br />', '<!--', '-->', '<!x>', '<?x>', '\ud83d\ude00', '<DIV CLASS=X>', '</Div>', '<img src=a.png alt="b">', ' data-pagefind-filter="k:v" ', ' ID=x ', 'a= >', 'a = "b', "c='d'", '<script>x</script>', '<title>T</TITLE>', '</ >', '<=', '< a', 'x', 'word'];

/** A deterministic generator (a linear congruential one). */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

describe('search: the HTML tokenizer', () => {
  const edgeCases = readFileSync(path.join(import.meta.dirname, 'fixtures/edge-cases.html'), 'utf8');

  it('reads the edge-case page as the regular expressions did', () => {
    expect(tokens(edgeCases)).toEqual(referenceTokens(edgeCases));
  });

  it('reads short runs of tag syntax and mangled pages as the regular expressions did', () => {
    const next = random(20140318);
    for (let i = 0; i < 5_000; i++) {
      let html = '';
      const count = 1 + next(25);
      for (let k = 0; k < count; k++) html += pieces[next(pieces.length)];
      expect(tokens(html), JSON.stringify(html)).toEqual(referenceTokens(html));
    }
    for (let i = 0; i < 300; i++) {
      let html = edgeCases;
      for (let edit = 0; edit < 10; edit++) {
        const at = next(html.length + 1);
        html = next(2) ? html.slice(0, at) + html.slice(at + next(30)) : html.slice(0, at) + pieces[next(pieces.length)] + html.slice(at);
      }
      expect(tokens(html), JSON.stringify(html)).toEqual(referenceTokens(html));
    }
  });
});

describe('search: splitting text into words', () => {
  const whitespace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

  it('splits at exactly Rust White_Space, every UTF-16 code tried', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}b ${String.fromCharCode(code)}`;
      expect(splitWhitespace(text), code.toString(16)).toEqual(text.split(whitespace).filter((piece) => piece !== ''));
    }
    expect(splitWhitespace('')).toEqual([]);
    expect(splitWhitespace(' \u3000 ')).toEqual([]);
    expect(splitWhitespace('one')).toEqual(['one']);
  });
});
