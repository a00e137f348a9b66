/**
 * The mail's prose wraps by display columns, and CJK text, which has no
 * spaces, breaks between its characters (UAX #14, strict): never inside a
 * Latin word, never before closing punctuation. Python's unicodedata (East
 * Asian Width) judges the widths.
 */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/parse.ts';
import { columnsOf, isOneColumnEach } from '../../src/render/mail/text/columns.ts';
import { sanitizedLines } from '../../src/render/mail/text/sections.ts';
import { mdastToLines } from '../../src/render/mail/text/mdast-text.ts';
import { mailWidth, wrapParagraph } from '../../src/render/mail/text/wrap.ts';
import { debianPython, missingTools } from '../support/system.ts';
import { pythonColumnsOf } from './support/python-columns.ts';

const pythonMissing = missingTools(debianPython);

const paragraph =
  'この脆弱性は、OpenStack Nova（コンピュート）の「libvirt」設定に影響します。攻撃者は認証なしでTCP接続を使い、' +
  '任意のインスタンスを移行、検査、または破棄できます。対策として、すべてのコンピュートノードでlisten_tcpを無効にし、' +
  'libvirt-binパッケージを1.2.1-1+deb7u1以降に更新してください。詳しくは https://security.example.org/advisories/OSSN-0100 を参照してください。' +
  '影響を受けるのは「ちょっと古い」バージョンだけです（ただし、ディストリビューションによって異なります）。';

/** What may not start a line (kinsoku shori): closing punctuation, small kana, the prolonged sound mark. */
const notAtLineStart = /^[、。，．）」』】〕〉》！？：；ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ]/u;
/** What may not end one: opening punctuation. */
const notAtLineEnd = /[（「『【〔〈《]$/u;
const latinWords = (text: string) => text.match(/[\x21-\x7e]+/g) ?? [];

describe('CJK prose in the text part', () => {
  it.skipIf(!!pythonMissing)('wraps a Japanese paragraph within 72 display columns, as Python counts them, and fills the lines', () => {
    const lines = wrapParagraph(paragraph, mailWidth);
    const widths = pythonColumnsOf(lines);
    expect(lines.length).toBeGreaterThan(3);
    // The URL is the one word longer than a line can hold anyway: it is not, so every line fits.
    for (const [index, line] of lines.entries()) expect(widths[index], line).toBeLessThanOrEqual(mailWidth);
    // Filled, not cut short at 36 characters: every line but the last takes most of the width.
    expect(Math.min(...widths.slice(0, -1))).toBeGreaterThan(mailWidth - 20);
    expect(widths).toEqual(lines.map(columnsOf));
  });

  it('breaks between CJK characters but never inside a Latin word, never before closing punctuation, never after opening', () => {
    for (const width of [72, 40, 31, 24]) {
      const lines = wrapParagraph(paragraph, width);
      for (const line of lines) {
        expect(line, `width ${width}`).not.toMatch(notAtLineStart);
        expect(line, `width ${width}`).not.toMatch(notAtLineEnd);
      }
      // Nothing lost or added: joined again, only the spaces the paragraph had around the URL come back.
      expect(lines.join('').replace(/\s/g, '')).toBe(paragraph.replace(/\s/g, ''));
      for (const word of latinWords(paragraph)) expect(lines.some((line) => line.includes(word)), word).toBe(true);
    }
  });

  it('keeps closing punctuation after a space on its line, and wraps list items and block quotes in display columns too', () => {
    // 35 × 2 + 1 + 2 = 73 columns: the line breaks before the last あ, which the 」 stays with.
    expect(wrapParagraph(`${'あ'.repeat(35)} 」`, 72)).toEqual(['あ'.repeat(34), 'あ 」']);
    const markdown = `- ${paragraph}\n\n> ${paragraph}\n`;
    const nodes = parseMarkdown(markdown).children;
    const lines = mdastToLines(nodes, mailWidth);
    expect(lines).toEqual(sanitizedLines(nodes, mailWidth));
    expect(lines.filter((line) => line.startsWith('* ') || line.startsWith('  ')).length).toBeGreaterThan(3);
    expect(lines.filter((line) => line.startsWith('> ')).length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(columnsOf(line), line).toBeLessThanOrEqual(mailWidth);
      expect(line.replace(/^(\* | {2}|> )/, ''), line).not.toMatch(notAtLineStart);
    }
  });

  it('counts in code units only text whose every character shows one column wide', () => {
    for (let code = 0x80; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      if (isOneColumnEach(char) && !/\s/.test(char)) expect(columnsOf(char), `U+${code.toString(16)}`).toBe(1);
    }
    expect(isOneColumnEach('Überprüfung — don’t, «ça», Привет')).toBe(true);
    expect(isOneColumnEach('日本語')).toBe(false);
  });
});
