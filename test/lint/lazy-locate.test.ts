/**
 * Locating a front-matter field builds the YAML document with node ranges,
 * the costliest step of a note's parse. Lint rules name fields eagerly but
 * locate one only when they report a message on it.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote, type ParsedNote } from '../../src/model/load.ts';

const config = { ...defaultConfig(), mail: { ...defaultConfig().mail, lists: [{ name: 'announce', address: 'a@example.org' }] } } as ReturnType<typeof defaultConfig>;
const body = '## Summary\nS.\n## Affected Services / Software\nA.\n## Discussion\nD.\n## Recommended Actions\n1. **Do it.**\n## Contacts / References\nC.\n';

/** The note, with a `locate` that counts its calls (another clock than parseNote's, so lint runs again). */
function counted(front: string): { note: ParsedNote; calls: () => number } {
  const parsed = parseNote('notes/OSSN-0001.md', `---\n${front}---\n${body}`, { config, now: new Date('2026-01-01T00:00:00Z') });
  let calls = 0;
  const note = { ...parsed, locate: (...args: Parameters<ParsedNote['locate']>) => (calls++, parsed.locate(...args)) };
  return { note, calls: () => calls };
}

describe('lint locates front-matter fields lazily', () => {
  it('locates nothing in a clean note', () => {
    const { note, calls } = counted('id: OSSN-0001\ntitle: Clean\ndate: 2014-01-01\nstatus: published\nlists: [announce]\naliases: [OSSN-0000]\nreferences: ["https://example.org/"]\n');
    expect(note.advisory).toBeDefined();
    expect(lintNote(note, config, new Date('2026-02-01T00:00:00Z'))).toEqual([]);
    expect(calls()).toBe(0);
  });

  it('locates each field it reports on, at its exact position', () => {
    const { note, calls } = counted('id: OSSN-0001\ntitle: Clean\ndate: 2014-01-01\nstatus: published\nlists: [announce, nope]\nreferences: ["http://example.org/"]\n');
    const messages = lintNote(note, config, new Date('2026-02-01T00:00:00Z'));
    expect(messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn])).toEqual([
      ['list-unknown', 6, 19, 6, 23],
      ['url-not-https', 7, 14, 7, 35],
    ]);
    expect(calls()).toBe(2);
  });
});
