/**
 * The word wrap scans characters by hand; it must split words exactly where
 * `text.split(/\s+/)` does, for every UTF-16 code unit, and measure them in
 * display columns. (CJK text, which also breaks between its characters,
 * has its own tests in columns.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnsOf } from '../../src/render/mail/text/columns.ts';
import { wrapParagraph, wrapText } from '../../src/render/mail/text/wrap.ts';

/** The reference: the wrap as first written, on `split(/\s+/)`. */
function referenceWrap(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = word;
    else if (columnsOf(line) + 1 + columnsOf(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

describe('wrapParagraph', () => {
  it('separates words at exactly the code units `\\s` matches', () => {
    for (let code = 0; code < 0x10000; code++) {
      const separator = String.fromCharCode(code);
      // A wide character is a place to break too: not a word's letter.
      if (columnsOf(separator) > 1) continue;
      const text = `alpha${separator}beta${separator}${separator}gamma`;
      expect(wrapParagraph(text, 10), `U+${code.toString(16)}`).toEqual(referenceWrap(text, 10));
    }
  });

  it('wraps random text as the reference does', () => {
    const piece = fc.constantFrom('a', 'word', 'longerword', 'https://example.org/a/very/long/path/that/never/breaks', ' ', '  ', '\t', '\n', '\u00a0', '\u2028', '\u3000', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 80 }), (pieces, width) => {
        const text = pieces.join('');
        expect(wrapParagraph(text, width)).toEqual(referenceWrap(text, width));
        expect(wrapText(text, width)).toEqual(text.split('\n').flatMap((segment) => {
          const wrapped = referenceWrap(segment, width);
          return wrapped.length > 0 ? wrapped : [''];
        }));
      }),
      { numRuns: 2000 },
    );
  });

  it('wraps prose with single spaces and soft breaks, the usual case, as the reference does', () => {
    const word = fc.constantFrom('a', 'an', 'word', 'longerword', 'https://example.org/a/very/long/path/that/never/breaks', 'x'.repeat(72), 'é');
    const gap = fc.constantFrom(' ', ' ', ' ', '\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(gap, word), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 80 }), (pairs, width) => {
        const text = pairs.map(([space, w], index) => (index === 0 ? w : space + w)).join('');
        expect(wrapParagraph(text, width)).toEqual(referenceWrap(text, width));
      }),
      { numRuns: 2000 },
    );
  });
});
