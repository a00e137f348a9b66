import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { loadNotes } from '../../src/model/load.ts';

const root = path.resolve(import.meta.dirname, '../fixtures/broken');
const now = new Date('2026-01-15T12:00:00Z');
const cases = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'expected.json')));

interface Expected {
  ruleId: string;
  line: number;
  column: number;
  message?: string;
}

describe('broken fixtures: each gives its rule id and exact position', () => {
  it.each(cases)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(path.join(root, name, 'expected.json'), 'utf8')) as Expected[];
    const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
    const { messages, advisories } = await loadNotes([path.join(root, name)], { config, now, cwd: root });
    expect(advisories).toHaveLength(0);
    const actual = messages.map((m) => ({ ruleId: m.ruleId, line: m.line, column: m.column, message: m.message }));
    for (const want of expected) {
      const match = actual.find((m) => m.ruleId === want.ruleId && m.line === want.line && m.column === want.column);
      expect(match, `${want.ruleId} at ${want.line}:${want.column} in ${JSON.stringify(actual, null, 1)}`).toBeDefined();
      if (want.message) expect(match!.message).toContain(want.message);
    }
    expect(actual.map((m) => m.ruleId).sort()).toEqual(expected.map((m) => m.ruleId).sort());
    for (const m of messages) expect(m.file).toMatch(new RegExp(`^${name}/`));
  });
});
