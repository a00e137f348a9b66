/**
 * A checklist with a passing and a failing case of every expectation kind,
 * and a temporary root with the files its file checks read. Shared by the
 * `herald check` tests and the export agreement tests.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Checklist, ChecklistVerify, CommandVerify, FileVerify } from '../../src/render/checklists/schema.ts';
import { describeExpectation } from '../../src/render/checklists/model.ts';
import { recognizePackageQuery } from '../../src/model/package-query.ts';
import type { CheckStatus } from '../../src/check/evaluate.ts';

type Entry = (Omit<CommandVerify, 'description' | 'title' | 'package'> | Omit<FileVerify, 'description' | 'title'>) & { expected: CheckStatus; expectedUnderRoot: CheckStatus; notInstalled?: 'pass' | 'fail' };

const fileEntries: Entry[] = [
  { id: 'absent-pass', file: '/etc/demo/app.conf', expect: { kind: 'absent', pattern: '^\\s*auth_tcp\\s*=\\s*"none"' }, expected: 'pass', expectedUnderRoot: 'pass' },
  { id: 'absent-fail', file: '/etc/demo/app.conf', expect: { kind: 'absent', pattern: '^\\s*listen_tcp\\s*=\\s*1' }, expected: 'pass', expectedUnderRoot: 'fail' },
  { id: 'present-pass', file: '/etc/demo/app.conf', expect: { kind: 'present', pattern: '^\\s*tls_allowed_dn_list\\s*=\\s*\\[' }, expected: 'fail', expectedUnderRoot: 'pass' },
  { id: 'present-fail', file: '/etc/demo/app.conf', expect: { kind: 'present', pattern: '^\\s*listen_addr\\s*=' }, expected: 'fail', expectedUnderRoot: 'fail' },
  { id: 'absent-missing-file', file: '/etc/demo/missing.conf', expect: { kind: 'absent', pattern: 'anything' }, expected: 'pass', expectedUnderRoot: 'pass' },
  { id: 'present-missing-file', file: '/etc/demo/missing.conf', expect: { kind: 'present', pattern: 'anything' }, expected: 'fail', expectedUnderRoot: 'fail' },
  { id: 'through-symlink', file: '/etc/demo/link.conf', expect: { kind: 'present', pattern: '^[a-z_]+ = \\["C=GB"\\]$' }, expected: 'fail', expectedUnderRoot: 'pass' },
  { id: 'bracket-class', file: '/etc/demo/app.conf', expect: { kind: 'present', pattern: '^[^#=]+=[ \\t]*1$' }, expected: 'fail', expectedUnderRoot: 'pass' },
];

const dpkgVersion = (name: string) => `dpkg-query -W -f='\${Version}\\n' ${name}`;

const commandEntries: Entry[] = [
  { id: 'deb-pass', run: dpkgVersion('dpkg'), expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'deb' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'deb-fail', run: dpkgVersion('bash'), expect: { kind: 'version', operator: '<', version: '1.0', scheme: 'deb' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'deb-epoch-fail', run: dpkgVersion('coreutils'), expect: { kind: 'version', operator: '>=', version: '1:0', scheme: 'deb' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'deb-tilde-pass', run: "printf '1.0~rc1\\n'", expect: { kind: 'version', operator: '<', version: '1.0', scheme: 'deb' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'deb-not-installed', run: dpkgVersion('herald-no-such-package'), expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'deb' }, expected: 'error', expectedUnderRoot: 'skipped' },
  { id: 'deb-not-installed-passes', run: dpkgVersion('herald-no-such-package'), expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'deb' }, notInstalled: 'pass', expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'deb-not-installed-fails', run: dpkgVersion('herald-no-such-package'), expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'deb' }, notInstalled: 'fail', expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'deb-installed-compared', run: dpkgVersion('bash'), expect: { kind: 'version', operator: '<', version: '1.0', scheme: 'deb' }, notInstalled: 'pass', expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'deb-garbage', run: 'echo not-a-version', expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'deb' }, expected: 'error', expectedUnderRoot: 'skipped' },
  // A package installed twice (two architectures, several kernels) prints a version a line: every one must hold; blank lines are ignored.
  { id: 'deb-lines-pass', run: "printf '2.0-1\\n\\n 2.1-1\\n'", expect: { kind: 'version', operator: '>=', version: '1.5-1', scheme: 'deb' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'deb-lines-fail', run: "printf '2.0-1\\n1.0-1\\n'", expect: { kind: 'version', operator: '>=', version: '1.5-1', scheme: 'deb' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'rpm-lines-fail', run: "printf '2.0-1\\n1.0-1\\n'", expect: { kind: 'version', operator: '>=', version: '1.5-1', scheme: 'rpm' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'semver-lines-error', run: "printf '2.0.0\\n1.0\\n'", expect: { kind: 'version', operator: '>=', version: '1.5.0', scheme: 'semver' }, expected: 'error', expectedUnderRoot: 'skipped' },
  { id: 'rpm-caret-pass', run: 'echo 1.0^git1', expect: { kind: 'version', operator: '>', version: '1.0', scheme: 'rpm' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'rpm-epoch-fail', run: 'echo 1:1.0-1', expect: { kind: 'version', operator: '<', version: '2.0-1', scheme: 'rpm' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'semver-pass', run: 'echo 2.2.21', expect: { kind: 'version', operator: '>=', version: '2.2.3', scheme: 'semver' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'semver-fail', run: 'echo 1.0.0-rc.1', expect: { kind: 'version', operator: '>=', version: '1.0.0', scheme: 'semver' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'pypi-post-pass', run: 'echo 2014.1.3.post1', expect: { kind: 'version', operator: '>', version: '2014.1.3', scheme: 'pypi' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'pypi-rc-fail', run: 'echo 13.0.0.0RC1', expect: { kind: 'version', operator: '>=', version: '13.0.0', scheme: 'pypi' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'pypi-spellings-pass', run: 'echo v1!2.0-1', expect: { kind: 'version', operator: '=', version: '1!2.0.0.post1', scheme: 'pypi' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'pypi-garbage', run: 'echo 1.0-final', expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'pypi' }, expected: 'error', expectedUnderRoot: 'skipped' },
  { id: 'stdout-pass', run: "printf 'root nova\\n'", expect: { kind: 'stdout', pattern: '^root nova$' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'stdout-fail', run: "printf 'root root\\n'", expect: { kind: 'stdout', pattern: '^root nova$' }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'stdout-nonzero-exit', run: "printf 'disabled\\n'; exit 3", expect: { kind: 'stdout', pattern: '^disabled$' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'exit-pass', run: 'test -d /', expect: { kind: 'exit', code: 0 }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'exit-fail', run: 'exit 3', expect: { kind: 'exit', code: 0 }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'exit-not-found', run: 'herald-no-such-command', expect: { kind: 'exit', code: 0 }, expected: 'fail', expectedUnderRoot: 'skipped' },
  { id: 'no-shell-interpolation', run: "printf '%s\\n' '$HOME `id`'", expect: { kind: 'stdout', pattern: '^\\$HOME `id`$' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'minimal-environment', run: 'printf "%s\\n" "${HERALD_SECRET:-unset}"', expect: { kind: 'stdout', pattern: '^unset$' }, expected: 'pass', expectedUnderRoot: 'skipped' },
  { id: 'timeout', run: 'sleep 30', expect: { kind: 'exit', code: 0 }, expected: 'error', expectedUnderRoot: 'skipped' },
];

/** Seconds the `timeout` entry is given; tests pass it to every engine. */
export const fixtureTimeoutSeconds = 2;

function withDescription(entry: Entry): ChecklistVerify {
  const { expected: _expected, expectedUnderRoot: _underRoot, notInstalled, ...rest } = entry;
  const query = 'run' in rest && rest.expect.kind === 'version' ? recognizePackageQuery(rest.run) : undefined;
  const pkg = query ? { package: { ...query, ...(notInstalled ? { not_installed: notInstalled } : {}) } } : {};
  return { ...rest, title: rest.id.replace(/-/g, ' '), description: describeExpectation(rest.expect), ...pkg } as ChecklistVerify;
}

/** The checklist: every entry above, files first. */
export function agreementChecklist(): Checklist {
  return {
    format: 'herald-checklist/1',
    advisory: { id: 'OSSN-0999', title: 'Every kind of check', kind: 'note', status: 'published', cve: ['CVE-2014-0160'], date: '2014-03-18', updated: '2014-04-11', revision: 1 },
    targets: [],
    steps: [],
    verify: [...fileEntries, ...commandEntries].map(withDescription),
  };
}

/** What `herald check` must say for each entry, on this host and under the fixture root. */
export function expectedStatuses(underRoot: boolean): Record<string, CheckStatus> {
  return Object.fromEntries([...fileEntries, ...commandEntries].map((e) => [e.id, underRoot ? e.expectedUnderRoot : e.expected]));
}

/** A temporary root with the files the file checks read, and a function that removes it. */
export function makeRoot(): { root: string; remove: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'herald-root-'));
  mkdirSync(path.join(root, 'etc/demo/dir'), { recursive: true });
  writeFileSync(
    path.join(root, 'etc/demo/app.conf'),
    ['# auth_tcp = "none"', 'auth_tcp = "sasl"', 'listen_tcp = 1', 'tls_allowed_dn_list = ["C=GB"]', ''].join('\n'),
  );
  // An absolute link, as in images: it must resolve inside the root.
  symlinkSync('/etc/demo/app.conf', path.join(root, 'etc/demo/link.conf'));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
