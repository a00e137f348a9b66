/**
 * The mail's text tables and rules are measured in display columns: a CJK
 * character takes two, so a cell of Japanese text keeps the next column in
 * line. Python's unicodedata (East Asian Width) is the outside judge.
 */
import { describe, expect, it } from 'vitest';
import { minorHeadingLines, tableLines } from '../../src/render/mail/text/layout.ts';
import { pythonColumnsOf } from './support/python-columns.ts';

/** Where each line's text after the first run of two or more spaces starts, in display columns, as Python counts them. */
function secondColumnStarts(lines: readonly string[]): number[] {
  return pythonColumnsOf(lines, 'cols(l[:re.search("  +", l).end()])');
}

describe('text tables and rules in display columns', () => {
  const rows = [
    ['Package', 'Fixed in'],
    ['日本語パッケージ', '1.0-1'],
    ['libvirt-bin', '1.2.1-1+deb7u1'],
    ['café\u0301', '2.0'],
  ];

  it('pads each cell to the widest of its column as it shows, not as it counts', () => {
    const lines = tableLines(rows, 72);
    expect(lines).toEqual([
      'Package           Fixed in',
      '================  ==============',
      '日本語パッケージ  1.0-1',
      'libvirt-bin       1.2.1-1+deb7u1',
      'café\u0301              2.0',
    ]);
    const data = lines.filter((_, index) => index !== 1);
    expect(new Set(secondColumnStarts(data))).toEqual(new Set([18]));
  });

  it('lays a table that shows wider than the mail out as blocks, and underlines a heading as wide as it shows', () => {
    const wide = [['名前', '説明'], ['日本語'.repeat(8), '長い説明'.repeat(6)]];
    expect(tableLines(wide, 72)).toEqual([`名前: ${'日本語'.repeat(8)}`, `説明: ${'長い説明'.repeat(6)}`]);
    expect(minorHeadingLines('影響を受けるバージョン', 72)).toEqual(['影響を受けるバージョン', '~'.repeat(22)]);
  });
});
