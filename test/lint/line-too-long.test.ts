import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const now = new Date('2026-01-01T00:00:00Z');

function findings(code: string) {
  const text = ['---', 'id: OSSN-0001', 'title: Wide code', 'date: 2025-01-01', 'status: published', '---', '', '## Summary', '', '```text', code, '```', ''].join('\n');
  const note = parseNote('notes/OSSN-0001.md', text, { config: defaultConfig(), now });
  return lintNote(note, defaultConfig(), now)
    .filter((m) => m.ruleId === 'line-too-long')
    .map((m) => `${m.line}:${m.column} ${m.message}`);
}

describe('line-too-long', () => {
  it('measures code lines in display columns, as the mail shows them: a CJK character is two', () => {
    // 40 CJK characters: 80 columns, though 40 characters.
    expect(findings('設'.repeat(40))).toEqual(['11:37 Code line is 80 columns wide; mail keeps code to 72']);
    expect(findings('設'.repeat(36))).toEqual([]);
  });

  it('says nothing of a line of 72 ASCII characters, and places the 73rd', () => {
    expect(findings('a'.repeat(72))).toEqual([]);
    expect(findings('a'.repeat(73))).toEqual(['11:73 Code line is 73 columns wide; mail keeps code to 72']);
  });
});
