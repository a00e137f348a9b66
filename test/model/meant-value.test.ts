/** A value outside a field's allowed set names the one the author most likely meant, in the message and the hint. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';

const note = (severity: string, ecosystem: string) =>
  `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\nseverity: ${severity}\naffects:\n  - { product: OpenSSL, package: openssl, ecosystem: ${ecosystem}, fixed: "1.0" }\n---\n\n## Summary\n\nText.\n`;

function typeMessages(severity: string, ecosystem: string) {
  return parseNote('notes/OSSN-0001.md', note(severity, ecosystem), { config: defaultConfig(), now: new Date('2024-02-01T00:00:00Z') }).messages.filter((m) => m.ruleId === 'schema-type');
}

describe('did you mean, for allowed values', () => {
  it.each([
    ['debian', 'deb', 'hint'],
    ['Deb', 'deb', 'case'],
    ['pipy', 'pypi', 'typo'],
  ])('ecosystem %j: "%s" (%s)', (written, meant) => {
    const [found, ...rest] = typeMessages('low', written);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ line: 8, message: expect.stringMatching(new RegExp(`\\(received string "${written}"\\); did you mean "${meant}"\\?$`)), hint: `Write ecosystem: ${meant}.` });
  });

  it('a misspelt severity, and nothing to suggest for a value far from every allowed one', () => {
    expect(typeMessages('hihg', 'deb')[0]).toMatchObject({ line: 6, column: 11, hint: 'Write severity: high.' });
    const [far] = typeMessages('low', 'ubuntu');
    expect(far!.message).not.toContain('did you mean');
    expect(far!.hint).toBe('Use the type and value the message names.');
  });
});
