/**
 * A version check that asks dpkg-query or rpm for the version compares it in
 * that manager's scheme: the loader takes it for a plain query without a
 * `scheme`, and lint warns when the scheme given (or, for a command that is
 * more than a plain query, the note's default) is another.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

/** A note whose first affects entry is a Debian package (so its default scheme is deb), with one version check; `run` is on line 13. */
const note = (run: string, expectation: string) =>
  [
    '---',
    'id: OSSN-0001',
    'title: An example',
    'date: 2024-01-01',
    'status: draft',
    'lists: [announce]',
    'affects:',
    '  - { product: glibc, package: libc6, ecosystem: deb, fixed: 2.36-9+deb12u7 }',
    '  - { product: glibc, package: glibc, ecosystem: rpm, fixed: 2.34-100.el9 }',
    'verify:',
    '  - id: libc',
    '    title: The fixed C library',
    `    run: ${run}`,
    `    expect: ${expectation}`,
    '---',
    '',
    '## Summary',
    '',
    'Text.',
    '',
  ].join('\n');

function parse(run: string, expectation: string) {
  const parsed = parseNote('notes/OSSN-0001.md', note(run, expectation), { config, now });
  const warnings = lintNote(parsed, config, now)
    .filter((m) => m.ruleId === 'verify-query-scheme')
    .map(({ line, column, message, hint }) => ({ at: `${line}:${column}`, message, hint }));
  return { scheme: parsed.advisory?.verify[0]?.expect.kind === 'version' ? parsed.advisory.verify[0].expect.scheme : undefined, warnings };
}

describe("a package query's version scheme", () => {
  it("is the manager's for a plain query without a scheme, not the note's first affects entry's", () => {
    // Before, an rpm query in a note that names a Debian package first was compared as a deb version.
    expect(parse("rpm -q --qf '%{EVR}\\n' glibc", '{ version: ">= 2.34-100.el9" }')).toEqual({ scheme: 'rpm', warnings: [] });
    expect(parse("dpkg-query -W -f='${Version}\\n' libc6", '{ version: ">= 2.36-9+deb12u7" }')).toEqual({ scheme: 'deb', warnings: [] });
    // A command that is more than a plain query keeps the default.
    expect(parse("echo ok", '{ version: ">= 1.0" }').scheme).toBe('deb');
  });

  it('is a warning at the format when the check gives another scheme, or the default is another for a command with more than the query', () => {
    expect(parse("dpkg-query -W -f='${Version}\\n' libc6", '{ version: ">= 2.36-9+deb12u7", scheme: rpm }').warnings).toEqual([
      {
        at: '13:27',
        message: 'The command of "libc" asks dpkg-query for the version, which it prints in the deb scheme, but the check compares it in the rpm scheme: the two order some versions differently, so the verdict can be wrong',
        hint: 'Write `scheme: deb` in the expect of "libc".',
      },
    ]);
    expect(parse("rpm -q --qf '%{EVR}\\n' glibc | sort -V | tail -n 1", '{ version: ">= 2.34-100.el9" }').warnings).toEqual([
      expect.objectContaining({ at: '13:22', hint: 'Write `scheme: rpm` in the expect of "libc".' }),
    ]);
    expect(parse("rpm -q --qf '%{EVR}\\n' glibc | sort -V | tail -n 1", '{ version: ">= 2.34-100.el9", scheme: rpm }').warnings).toEqual([]);
    expect(parse("dpkg-query -W -f='${Status}\\n' libc6", '{ version: ">= 1", scheme: semver }').warnings).toEqual([]);
  });
});
