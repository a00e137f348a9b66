/** The `cvss` field: read and scored at load, each unreadable vector an error at its line and column. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
const now = new Date('2026-01-15T12:00:00Z');
const template = readFileSync(path.resolve(import.meta.dirname, '../../notes/OSSN-0002.md'), 'utf8');
const v31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

function load(field: string) {
  const text = template.replace(/^severity: .*$/m, (line) => `${line}\n${field}`);
  const line = text.split('\n').indexOf(field.split('\n')[0]!) + 1;
  const note = parseNote('notes/OSSN-0002.md', text, { config, now });
  const messages = [...note.messages, ...lintNote(note, config, now)].filter((m) => m.ruleId.startsWith('cvss') || m.ruleId.startsWith('schema'));
  return { line, advisory: note.advisory, messages: messages.map((m) => [m.line - line, m.column, m.ruleId, m.message, m.hint]) };
}

describe('cvss', () => {
  it('scores one vector, or one per version', () => {
    expect(load(`cvss: "${v31}"`).advisory?.cvss).toEqual([{ version: '3.1', vector: v31, score: 9.8, rating: 'critical', name: 'CVSS 3.1 base score' }]);
    const both = load(`cvss:\n  - "${v31}"\n  - "${v40}"`);
    expect(both.messages).toEqual([]);
    expect(both.advisory?.cvss?.map((c) => [c.version, c.score])).toEqual([['3.1', 9.8], ['4.0', 9.3]]);
    expect(load('cvss: []').messages.map((m) => m[2])).toEqual(['schema-type']);
  });

  it('reports an unreadable vector at the value, with what to write instead', () => {
    const { messages, advisory } = load(`cvss: "${v31.replace('A:H', 'A:Q')}"`);
    expect(messages).toEqual([[0, 7, 'cvss-invalid', '"Q" is not a value of A in CVSS 3.1', 'A is one of H, L, N.']]);
    expect(advisory?.cvss).toBeUndefined();
  });

  it('names a character that only looks like the right one', () => {
    const { messages } = load(`cvss: "${v31.replace('A:H', 'A:\u041d')}"`);
    expect(messages.map((m) => m[3])).toEqual(['"\u041d" is not a value of A in CVSS 3.1; it holds U+041D, which is not ASCII']);
  });

  it('reports each bad entry of a list at its own line, and a second vector of one version', () => {
    const { messages } = load(`cvss:\n  - "${v31}"\n  - "CVSS:3.1/AV:N/AC:L"\n  - "${v31.replace('C:H', 'C:L')}"`);
    expect(messages).toEqual([
      [2, 5, 'cvss-invalid', 'The CVSS 3.1 vector lacks the base metrics PR, UI, S, C, I, A', 'Every base metric is required: AV, AC, PR, UI, S, C, I, A.'],
      [3, 5, 'cvss-invalid', 'A second CVSS 3.1 vector', 'Give one vector per CVSS version: the one that scores the advisory as a whole.'],
    ]);
  });
});
