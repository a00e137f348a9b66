/**
 * The mail's prose wraps by display columns, and CJK text, which has no
 * spaces, breaks between its characters (UAX #14, strict): never inside a
 * Latin word, never before closing punctuation; Korean only between its
 * words. Python's unicodedata (East Asian Width) judges the widths.
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

  it('breaks Korean only between its words, as Korean is written (keep-all), and a word wider than the line between its characters', () => {
    const korean =
      '이 취약점은 OpenStack Nova(컴퓨트)의 libvirt 설정에 영향을 줍니다. 공격자는 인증 없이 TCP 연결을 사용하여 임의의 인스턴스를 ' +
      '마이그레이션하거나 검사하거나 삭제할 수 있습니다. 모든 컴퓨트 노드에서 listen_tcp를 비활성화하고 libvirt-bin 패키지를 업데이트하십시오.';
    const words = new Set(korean.split(' '));
    for (const width of [72, 40, 31, 24]) {
      const lines = wrapParagraph(korean, width);
      expect(lines.join(' '), `width ${width}`).toBe(korean);
      for (const line of lines) {
        expect(columnsOf(line), line).toBeLessThanOrEqual(width);
        for (const word of line.split(' ')) expect(words.has(word), `width ${width}: ${JSON.stringify(word)} is part of a word`).toBe(true);
      }
    }
    // 30 syllables are 60 columns: wider than a line of 24, so the word breaks, and each line is filled.
    const long = '가나다라마바사아자차카타파하'.repeat(2) + '거너';
    expect(wrapParagraph(`${long} 끝`, 24)).toEqual([long.slice(0, 12), long.slice(12, 24), `${long.slice(24)} 끝`]);
    // Japanese still breaks between its characters.
    expect(wrapParagraph('あ'.repeat(40), 72)).toEqual(['あ'.repeat(36), 'あ'.repeat(4)]);
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
