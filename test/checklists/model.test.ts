/** The checklist model: what other renderers import, built from a real note. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';
import { buildChecklist, configDirectives, describeCheck, describeExpectation, serializeChecklist } from '../../src/render/checklists/model.ts';
import { recognizePackageQuery, splitSimpleCommand } from '../../src/model/package-query.ts';

const note = `---
id: OSSN-0042
title: Example note for checklists
date: 2014-03-18
status: published
severity: high
cve: [CVE-2014-0160]
affects:
  - { product: OpenSSL, package: openssl, ecosystem: deb, releases: ["Debian:7"], fixed: 1.0.1e-2+deb7u6, versions: ["1.0.1 through 1.0.1f"] }
verify:
  - id: openssl-fixed
    title: openssl is at a fixed version
    run: dpkg-query -W -f='\${Version}\\n' openssl
    expect: { version: ">= 1.0.1e-2+deb7u6", scheme: deb }
  - id: no-unauth-tcp
    title: libvirt does not accept unauthenticated TCP
    file: /etc/libvirt/libvirtd.conf
    expect: { absent: '^\\s*auth_tcp\\s*=\\s*"none"' }
revisions:
  - { date: 2014-04-11, summary: "The proper upgrade command is apt-get install --only-upgrade." }
---

## Summary
Something.

## Affected Services / Software
OpenSSL.

## Discussion
Details.

## Recommended Actions
1. **Upgrade OpenSSL.** Install the fixed packages.

   \`\`\`sh
   apt-get install --only-upgrade openssl
   \`\`\`

   Role: system VMs
   Verify: \`openssl-fixed\`
2. **Disable unauthenticated TCP in libvirt.** Edit the daemon configuration.

   \`\`\`ini file=/etc/libvirt/libvirtd.conf
   # no anonymous access
   auth_tcp = "sasl"
   \`\`\`

   Verify: \`no-unauth-tcp\`
   Rollback: restore the previous libvirtd.conf.
3. **Tell your users.** Nothing a machine can do.

## Contacts / References
Nobody.
`;

function advisory() {
  const parsed = parseNote('notes/OSSN-0042.md', note, { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z') });
  expect(parsed.messages.filter((m) => m.severity === 'error')).toEqual([]);
  return parsed.advisory!;
}

describe('buildChecklist', () => {
  it('carries identity, targets, ordered steps and verify entries', () => {
    const checklist = buildChecklist(advisory());
    expect(checklist.advisory).toEqual({
      id: 'OSSN-0042',
      title: 'Example note for checklists',
      kind: 'note',
      status: 'published',
      severity: 'high',
      cve: ['CVE-2014-0160'],
      date: '2014-03-18',
      updated: '2014-04-11',
      revision: 1,
    });
    expect(checklist.targets).toEqual([{ product: 'OpenSSL', package: 'openssl', ecosystem: 'deb', releases: ['Debian:7'], affected: ['1.0.1 through 1.0.1f'], fixed: '1.0.1e-2+deb7u6' }]);
    expect(checklist.steps.map((s) => [s.id, s.title, s.kind, s.verify])).toEqual([
      ['step-1', 'Upgrade OpenSSL', 'upgrade', ['openssl-fixed']],
      ['step-2', 'Disable unauthenticated TCP in libvirt', 'configure', ['no-unauth-tcp']],
      ['step-3', 'Tell your users', 'manual', []],
    ]);
    expect(checklist.steps[0]!.role).toBe('system VMs');
    expect(checklist.steps[1]!.configEdits).toEqual([{ file: '/etc/libvirt/libvirtd.conf', lang: 'ini', content: '# no anonymous access\nauth_tcp = "sasl"', directives: ['auth_tcp = "sasl"'] }]);
    expect(checklist.steps[1]!.rollback).toBe('restore the previous libvirtd.conf.');
    expect(checklist.steps[2]!.text).toMatch(/^Tell your users\. Nothing a machine can do\.$/);
    expect(checklist.verify).toEqual([
      {
        id: 'openssl-fixed',
        title: 'openssl is at a fixed version',
        description: 'version >= 1.0.1e-2+deb7u6 (deb)',
        run: "dpkg-query -W -f='${Version}\\n' openssl",
        expect: { kind: 'version', operator: '>=', version: '1.0.1e-2+deb7u6', scheme: 'deb' },
        package: { manager: 'dpkg', name: 'openssl' },
      },
      {
        id: 'no-unauth-tcp',
        title: 'libvirt does not accept unauthenticated TCP',
        description: 'no line matches /^\\s*auth_tcp\\s*=\\s*"none"/',
        file: '/etc/libvirt/libvirtd.conf',
        expect: { kind: 'absent', pattern: '^\\s*auth_tcp\\s*=\\s*"none"' },
      },
    ]);
  });

  it('serializes deterministically: stable key order, 2-space indent, final newline', () => {
    const text = serializeChecklist(buildChecklist(advisory()));
    expect(text).toBe(serializeChecklist(buildChecklist(advisory())));
    expect(text.startsWith('{\n  "format": "herald-checklist/1",\n  "advisory": {\n    "id": "OSSN-0042",')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('marks a private preview', () => {
    expect(buildChecklist(advisory(), { preview: true }).privatePreview).toBe(true);
    expect('privatePreview' in buildChecklist(advisory())).toBe(false);
  });
});

describe('words for people', () => {
  it('describe every kind of expectation', () => {
    expect(describeExpectation({ kind: 'version', operator: '>=', version: '1.0.1e-2+deb7u6', scheme: 'deb' })).toBe('version >= 1.0.1e-2+deb7u6 (deb)');
    expect(describeExpectation({ kind: 'absent', pattern: '^a' })).toBe('no line matches /^a/');
    expect(describeExpectation({ kind: 'present', pattern: '^a' })).toBe('a line matches /^a/');
    expect(describeExpectation({ kind: 'stdout', pattern: '^root nova$' })).toBe('output has a line matching /^root nova$/');
    expect(describeExpectation({ kind: 'exit', code: 0 })).toBe('exit status 0');
    expect(describeCheck({ id: 'a', title: 'a', file: '/etc/x.conf', expect: { kind: 'absent', pattern: 'x' }, description: 'no line matches /x/' })).toBe('in /etc/x.conf, no line matches /x/');
    expect(describeCheck({ id: 'b', title: 'b', run: 'true', expect: { kind: 'exit', code: 0 }, description: 'exit status 0' })).toBe('`true` ends with exit status 0');
  });

  it('keep only the lines of a config snippet that set something', () => {
    expect(configDirectives('[libvirt]\n# comment\n; comment\n\n  live_migration_uri = qemu+tls://%s/system  \n')).toEqual(['[libvirt]', 'live_migration_uri = qemu+tls://%s/system']);
  });
});

describe('recognizePackageQuery', () => {
  it.each([
    ["dpkg-query -W -f='${Version}' openssl", { manager: 'dpkg', name: 'openssl' }],
    ["dpkg-query --show --showformat='${Version}\\n' libssl1.0.0", { manager: 'dpkg', name: 'libssl1.0.0' }],
    ["dpkg-query -f '${Version}' -W qemu-system-x86", { manager: 'dpkg', name: 'qemu-system-x86' }],
    ["rpm -q --qf '%{EVR}' qemu-kvm", { manager: 'rpm', name: 'qemu-kvm' }],
    ["rpm -q --queryformat '%{EPOCHNUM}:%{VERSION}-%{RELEASE}' openssl", { manager: 'rpm', name: 'openssl' }],
  ])('recognizes %s', (command, query) => expect(recognizePackageQuery(command)).toEqual(query));

  it.each([
    "dpkg-query -W -f='${Version}' openssl | head -1",
    'dpkg-query -W -f="${Version}" openssl',
    "dpkg-query -W -f='${Package}' openssl",
    "dpkg-query -W -f='${Version}' openssl libssl",
    "dpkg-query -W -f='${Version}' 'open*'",
    "rpm -q --qf '%{EPOCH}:%{VERSION}-%{RELEASE}' qemu-kvm",
    "rpm -q --qf '%{VERSION}' openssl",
    'httpd -v',
  ])('leaves %s a command check', (command) => expect(recognizePackageQuery(command)).toBeUndefined());

  it('splits words as sh does, and refuses what only a shell could interpret', () => {
    expect(splitSimpleCommand(`a 'b c' "d \\"e\\"" f'g'h`)).toEqual(['a', 'b c', 'd "e"', 'fgh']);
    for (const command of ['a | b', 'a; b', 'a $(b)', 'a `b`', 'a "$b"', 'a > b', 'a *', "a 'b"]) expect(splitSimpleCommand(command)).toBeUndefined();
  });
});
