/** Names a note gets wrong by a letter (a check id, a list, a step's kind): lint says which one was meant. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

function messages(lists: string, step: string) {
  const text = [
    '---',
    'id: OSSN-0001',
    'title: An example',
    'date: 2024-01-01',
    'status: draft',
    'verify:',
    '  - { id: libvirt-fixed, title: libvirt is fixed, run: "true", expect: { exit: 0 } }',
    `lists: [${lists}]`,
    '---',
    '',
    '## Recommended Actions',
    '',
    `1. **Upgrade libvirt.** Now.\n\n${step}`,
    '',
  ].join('\n');
  return lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now).map(({ ruleId, message, line, column }) => ({ ruleId, message, line, column }));
}

describe('did you mean', () => {
  it('names the check id, the list and the step kind a typo was meant to be, at their places', () => {
    const found = messages('anounce', '   Verify: `libvirt-fxed`\n   Kind: Upgarde');
    expect(found).toEqual(
      expect.arrayContaining([
        { ruleId: 'list-unknown', message: 'Mailing list "anounce" is not configured; did you mean "announce"?', line: 8, column: 9 },
        { ruleId: 'verify-unknown-ref', message: 'Step 1 names verify entry "libvirt-fxed", which the note does not define; did you mean "libvirt-fixed"?', line: 15, column: 4 },
        { ruleId: 'step-kind-unknown', message: 'Step 1 has "Kind: Upgarde", which is no step kind; did you mean "upgrade"?', line: 16, column: 4 },
      ]),
    );
  });

  it('suggests nothing far from every known name, takes a known kind in any case, and "and" between ids', () => {
    const found = messages('security-team', '   Verify: `kernel-patched` and libvirt-fixed\n   Kind: CONFIGURE');
    expect(found.map((m) => m.message)).toEqual(
      expect.arrayContaining(['Mailing list "security-team" is not configured', 'Step 1 names verify entry "kernel-patched", which the note does not define']),
    );
    expect(found.some((m) => m.ruleId === 'step-kind-unknown')).toBe(false);
    expect(found.filter((m) => m.ruleId === 'verify-unknown-ref')).toHaveLength(1);
  });
});

describe('a misspelt required key', () => {
  it('is said once, by its "did you mean", not also as the required field it misses', () => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'affects:', '  - { product: Nova, package: nova, ecosytem: deb, fixed: 1.0-1 }', '---', '', '## Summary', '', 'Text.', ''].join('\n');
    const found = parseNote('notes/OSSN-0001.md', text, { config, now }).messages.filter((m) => m.line === 8).map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    expect(found).toEqual(['8:37 schema-unknown-key Unknown field "ecosytem" in affects[0]; did you mean "ecosystem"?']);
    // A required key with no such typo beside it is still said missing.
    const missing = parseNote('notes/OSSN-0001.md', text.replace('ecosytem: deb, ', ''), { config, now }).messages.filter((m) => m.line === 8).map((m) => m.ruleId);
    expect(missing).toContain('schema-required');
  });
});

describe('a version comparison written the wrong way round', () => {
  const said = (version: string) =>
    parseNote('notes/OSSN-0001.md', ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'verify:', `  - { id: up, run: "dpkg-query -W -f='\${Version}\\\\n' nova", expect: { version: "${version}", scheme: deb } }`, '---', ''].join('\n'), { config, now })
      .messages.filter((m) => m.ruleId === 'verify-invalid-version')
      .map((m) => m.message);

  it.each([
    ['=> 1.0-1', '>= 1.0-1'],
    ['=>1.0-1', '>= 1.0-1'],
    ['=< 1.0-1', '<= 1.0-1'],
    ['1.0-1 >=', '>= 1.0-1'],
  ])('%j: did you mean %j', (written, meant) => {
    expect(said(written)).toEqual([`Version expectation "${written}" is not "<operator> <version>"; did you mean "${meant}"?`]);
  });

  it('suggests nothing for a range, which is two checks', () => {
    expect(said('>= 1.0-1, < 2.0-1')).toEqual(['Version expectation ">= 1.0-1, < 2.0-1" is not "<operator> <version>"']);
  });
});
