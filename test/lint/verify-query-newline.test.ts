/**
 * A version check's dpkg or rpm query whose format prints versions with no
 * newline: where the package is installed twice, the versions come out
 * joined, one strange version. Lint says where the format is, with the
 * command to write.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

const note = (verify: string[]) =>
  ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'verify:', ...verify, '---', '', '## Summary', '', 'Text.', ''].join('\n');

function found(verify: string[]) {
  return lintNote(parseNote('notes/OSSN-0001.md', note(verify), { config, now }), config, now)
    .filter((m) => m.ruleId === 'verify-query-newline')
    .map(({ line, column, severity, message, hint }) => ({ at: `${line}:${column}`, severity, message, hint }));
}

/** A version check of `run`, its `run` on line 9. */
const versionCheck = (run: string, expect = '{ version: ">= 2.36-9+deb12u7", scheme: deb }') => ['  - id: libc', `    run: ${run}`, `    expect: ${expect}`];

/** Where each warning is, and the command its hint gives. */
const fixes = (run: string, expect?: string) => found(versionCheck(run, expect)).map(({ at, hint }) => ({ at, fix: hint?.replace(/^.*compared: /, '') }));

describe('a version query whose format has no newline at its end', () => {
  it('is a warning at the format, whose hint is the command with \\n', () => {
    expect(found(versionCheck("dpkg-query -W -f='${Version}' libc6"))).toEqual([
      {
        at: '9:27',
        severity: 'warning',
        message:
          "The command of \"libc\" asks for the version with the format '${Version}', which does not end with \\n: where the package is installed more than once (for two architectures, or several kernels), the versions are printed joined on one line, which compares as one version that is none of them and can pass a host that still has a vulnerable copy",
        hint: "End the format with \\n, so that each version is a line of its own and every one is compared: dpkg-query -W -f='${Version}\\n' libc6",
      },
    ]);
  });

  it('is found in every way the format option is written, in rpm queries, and in any command of the line', () => {
    const rpm = '{ version: ">= 5.14.0-1", scheme: rpm }';
    expect(fixes("dpkg-query --show --showformat='${Version}' libc6")).toEqual([{ at: '9:41', fix: "dpkg-query --show --showformat='${Version}\\n' libc6" }]);
    expect(fixes("dpkg-query -W -f '${source:Version}' libc6")).toEqual([{ at: '9:27', fix: "dpkg-query -W -f '${source:Version}\\n' libc6" }]);
    expect(fixes('dpkg-query -W -f"${Version}" libc6')).toEqual([{ at: '9:26', fix: 'dpkg-query -W -f"${Version}\\n" libc6' }]);
    expect(fixes("rpm -q --qf '%{EVR}' kernel", rpm)).toEqual([{ at: '9:22', fix: "rpm -q --qf '%{EVR}\\n' kernel" }]);
    expect(fixes("/usr/bin/rpm -q --queryformat=%{VERSION}-%{RELEASE} kernel", rpm)).toEqual([{ at: '9:40', fix: "/usr/bin/rpm -q --queryformat=%{VERSION}-%{RELEASE}'\\n' kernel" }]);
    expect(fixes("LC_ALL=C dpkg-query -W -f='${Version}' libc6 2>/dev/null | sort -V | head -n 1")).toEqual([{ at: '9:36', fix: "LC_ALL=C dpkg-query -W -f='${Version}\\n' libc6 2>/dev/null | sort -V | head -n 1" }]);
    expect(fixes("echo \"$(rpm -q --qf '%{EPOCHNUM}:%{VERSION}-%{RELEASE}' kernel)\"", rpm)).toEqual([{ at: '9:30', fix: "echo \"$(rpm -q --qf '%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n' kernel)\"" }]);
    // Two queries: a warning at each, and one command that fixes both.
    const both = "dpkg-query -W -f='${Version}' libc6 || rpm -q --qf '%{EVR}' glibc";
    const fixed = "dpkg-query -W -f='${Version}\\n' libc6 || rpm -q --qf '%{EVR}\\n' glibc";
    expect(fixes(both)).toEqual([
      { at: '9:27', fix: fixed },
      { at: '9:61', fix: fixed },
    ]);
  });

  it('is placed in a folded command', () => {
    expect(found(['  - id: libc', '    run: >-', '      dpkg-query -W', "      -f='${Version}' libc6", '    expect: { version: ">= 2.36", scheme: deb }']).map(({ at }) => at)).toEqual(['11:10']);
  });

  it('says nothing of a format that ends with \\n, prints no version, or feeds no version comparison', () => {
    const fine = [
      versionCheck("dpkg-query -W -f='${Version}\\n' libc6"),
      versionCheck("dpkg-query -W -f '${Package} ${Version}\\n' libc6"),
      versionCheck("rpm -q --qf '%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n' kernel"),
      // In YAML's double quotes \n is a newline, which ends the format as well.
      versionCheck("\"dpkg-query -W -f='${Version}\\n' libc6\""),
      versionCheck("\"rpm -q --qf '%{EVR}\\n' kernel\"", '{ version: ">= 5.14.0-1", scheme: rpm }'),
      versionCheck("dpkg-query -W -f='${Status}' libc6"),
      versionCheck('dpkg-query -W libc6'),
      versionCheck("rpm -q --qf '%{NAME}' kernel"),
      versionCheck("echo rpm --qf '%{EVR}'"),
      versionCheck("constructor -f '${Version}' libc6"),
      versionCheck("dpkg-query -W -f='${Version}' libc6", '{ stdout: "^2\\\\.36" }'),
      versionCheck("dpkg-query -W -f='${Version}' libc6", '{ exit: 0 }'),
    ];
    for (const verify of fine) expect(found(verify), verify[1]).toEqual([]);
  });
});
