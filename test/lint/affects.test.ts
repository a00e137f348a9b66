/** The `affects` rules: `introduced` and `fixed` are versions of the entry's ecosystem, and the fix comes after the flaw. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
const now = new Date('2026-01-15T12:00:00Z');
const template = readFileSync(path.resolve(import.meta.dirname, '../../notes/OSSN-0002.md'), 'utf8');

/** The affects findings of OSSN-0002 with one more entry, as [line, rule, message]. */
function findings(entry: string) {
  const text = template.replace(/^affects:\n/m, `affects:\n${entry}\n`);
  const note = parseNote('notes/OSSN-0002.md', text, { config, now });
  return lintNote(note, config, now)
    .filter((m) => m.ruleId.startsWith('affects-') || m.ruleId.startsWith('schema-'))
    .map((m) => [m.line, m.ruleId, m.message]);
}

const affectsLine = template.split('\n').indexOf('affects:') + 1;

describe('affects-invalid-version', () => {
  it.each([
    ['deb', '1.0.1-1', '1:1.0.1e-2+deb7u6'],
    ['rpm', '1.5.3-1.el7', '10:1.5.3-86.el7_1.2'],
    ['semver', '2.0.0', '2.4.1-rc.1'],
    ['pypi', '4.0.0', '4.1.0.post1'],
    ['pypi', '0', '2014.1.3'],
  ])('accepts %s %s to %s', (ecosystem, introduced, fixed) => {
    expect(findings(`  - { product: p, ecosystem: ${ecosystem}, introduced: "${introduced}", fixed: "${fixed}" }`)).toEqual([]);
  });

  it('accepts any text where the ecosystem has no version scheme', () => {
    expect(findings('  - { product: p, ecosystem: generic, introduced: "the first", fixed: "1.0 final" }')).toEqual([]);
    expect(findings('  - { product: p, ecosystem: release, fixed: "Icehouse" }')).toEqual([]);
  });

  it.each([
    ['deb', 'fixed', '1.0 final', 'a Debian version'],
    ['rpm', 'fixed', '1.0 final', 'an RPM version'],
    ['semver', 'fixed', '1.2', 'a semantic version'],
    ['pypi', 'fixed', '4.1.0-final', 'a PEP 440 version'],
    ['semver', 'introduced', 'v1.0.0', 'a semantic version'],
  ])('refuses a %s %s of %j, at its line, with an example', (ecosystem, name, version, example) => {
    const other = name === 'fixed' ? '' : ', fixed: "2.0.0"';
    const [finding, ...rest] = findings(`  - { product: p, ecosystem: ${ecosystem}, ${name}: "${version}"${other} }`);
    expect(rest).toEqual([]);
    expect(finding).toEqual([affectsLine + 1, 'affects-invalid-version', `"${version}" (${name} of p) is not a valid ${ecosystem} version`]);
    const text = template.replace(/^affects:\n/m, `affects:\n  - { product: p, ecosystem: ${ecosystem}, ${name}: "${version}"${other} }\n`);
    const message = lintNote(parseNote('notes/OSSN-0002.md', text, { config, now }), config, now).find((m) => m.ruleId === 'affects-invalid-version');
    expect(message?.hint).toContain(example);
  });
});

describe('a range where one version belongs', () => {
  const hintOf = (entry: string) => {
    const text = template.replace(/^affects:\n/m, `affects:\n${entry}\n`);
    return lintNote(parseNote('notes/OSSN-0002.md', text, { config, now }), config, now)
      .filter((m) => m.ruleId === 'affects-invalid-version')
      .map(({ message, hint }) => ({ message, hint }));
  };

  it.each([
    ['fixed', '>= 2014.2.3', 'Write fixed: "2014.2.3", the first version that has the fix.'],
    ['fixed', '< 2014.2.3', 'Write fixed: "2014.2.3", the first version that has the fix.'],
    ['introduced', '>=2014.1', 'Write introduced: "2014.1", the first version that has the flaw.'],
    ['fixed', '<= 2014.2.2', 'Write in fixed the first version that has the fix itself; "<= 2014.2.2" may go in `versions`, as text.'],
    ['introduced', '> 2014.1', 'Write in introduced the first version that has the flaw itself; "> 2014.1" may go in `versions`, as text.'],
  ])('%s: %j names the version to write', (name, written, hint) => {
    expect(hintOf(`  - { product: nova, ecosystem: pypi, ${name}: "${written}" }`)).toEqual([{ message: `"${written}" (${name} of nova) is not a valid pypi version: ${name} is one version, written without an operator`, hint }]);
  });
});

it('names a character that only looks like the right one (a no-break space)', () => {
  const [finding] = findings('  - { product: p, ecosystem: pypi, fixed: "4.1.0\u00a0" }');
  expect(finding?.[2]).toBe('"4.1.0\u00a0" (fixed of p) is not a valid pypi version; it holds U+00A0, which is not ASCII');
});

describe('affects-empty-range', () => {
  it('refuses a fix that is not later than the flaw, by the ecosystem\'s order', () => {
    expect(findings('  - { product: p, package: nova, ecosystem: pypi, introduced: "13.0.0", fixed: "13.0.0rc2" }')).toEqual([
      [affectsLine + 1, 'affects-empty-range', 'nova: fixed 13.0.0rc2 is not later than introduced 13.0.0, so no version is affected'],
    ]);
    expect(findings('  - { product: p, ecosystem: deb, introduced: "1.0", fixed: "1.0~rc1" }')).toHaveLength(1);
    expect(findings('  - { product: p, ecosystem: deb, introduced: "1.0~rc1", fixed: "1.0" }')).toEqual([]);
    expect(findings('  - { product: p, ecosystem: semver, introduced: "0", fixed: "1.0.0" }')).toEqual([]);
  });
});
