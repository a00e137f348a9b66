/**
 * `not_installed`: what a host without the queried package counts as. The
 * note's field reaches the checklist, `herald check` and every export tell
 * "not installed" the same way (dpkg, rpm, no package manager at all), and
 * lint refuses it where herald could not tell.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCommand } from '../../src/check/evaluate.ts';
import { defaultCheckLimits, runChecklist } from '../../src/check/run-checklist.ts';
import { formatCheckText } from '../../src/check/report.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { exportShellScript } from '../../src/export/sh.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';
import { buildChecklist, notInstalledClause } from '../../src/render/checklists/model.ts';
import { renderers } from '../../src/render/registry.ts';
import type { RenderContext } from '../../src/render/types.ts';
import type { Checklist, CommandVerify } from '../../src/render/checklists/schema.ts';
import { missingTools } from '../support/system.ts';
import { run, withFile } from '../export/support.ts';
import { agreementChecklist } from './fixture.ts';

const now = new Date('2026-01-15T00:00:00Z');
const repo = path.resolve(import.meta.dirname, '../..');

function venom(edit: (text: string) => string = (text) => text) {
  const file = path.join(repo, 'notes/OSSN-0007.md');
  return parseNote('notes/OSSN-0007.md', edit(readFileSync(file, 'utf8')), { config: defaultConfig(), now });
}

const rpmQuery = (name: string, verdict?: 'pass' | 'fail'): CommandVerify => ({
  id: `rpm-${name}-${verdict ?? 'default'}`,
  title: 'x',
  run: `rpm -q --qf '%{EVR}\\n' ${name}`,
  expect: { kind: 'version', operator: '>=', version: '1.0-1', scheme: 'rpm' },
  description: '',
  package: { manager: 'rpm', name, ...(verdict ? { not_installed: verdict } : {}) },
});

describe('not_installed in a note', () => {
  it('reaches the checklist and its words: the bundled OSSN-0007 serves Debian 7, Debian 8 and RHEL 7 hosts alike', () => {
    const { advisory, messages } = venom();
    expect(messages.filter((m) => m.severity === 'error')).toEqual([]);
    const checklist = buildChecklist(advisory!);
    const packages = checklist.verify.filter((entry): entry is CommandVerify => 'run' in entry && entry.package !== undefined);
    expect(packages.map((entry) => [entry.id, entry.package!.not_installed, entry.description])).toEqual([
      ['qemu-kvm-fixed-debian7', 'pass', 'version >= 1.1.2+dfsg-6+deb7u7 (deb), or qemu-kvm not installed'],
      ['qemu-fixed-debian8', 'pass', 'version >= 1:2.1+dfsg-12 (deb), or qemu-system-x86 not installed'],
      ['qemu-kvm-fixed-el7', 'pass', 'version >= 10:1.5.3-86.el7_1.2 (rpm), or qemu-kvm not installed'],
    ]);
  });

  it('rests on the package query the loader read once, kept on the verify entry for every renderer', () => {
    const { advisory } = venom();
    expect(advisory!.verify.map((entry) => [entry.id, entry.package])).toEqual([
      ['qemu-kvm-fixed-debian7', { manager: 'dpkg', name: 'qemu-kvm' }],
      ['qemu-fixed-debian8', { manager: 'dpkg', name: 'qemu-system-x86' }],
      ['qemu-kvm-fixed-el7', { manager: 'rpm', name: 'qemu-kvm' }],
      ['no-stale-qemu', undefined],
    ]);
    // The words and the checklist follow the entry's package, never its command read again.
    const renamed = { ...advisory!, verify: advisory!.verify.map((entry) => (entry.package ? { ...entry, package: { ...entry.package, name: 'renamed' } } : entry)) };
    expect(buildChecklist(renamed).verify.map((entry) => entry.description)).toEqual([
      'version >= 1.1.2+dfsg-6+deb7u7 (deb), or renamed not installed',
      'version >= 1:2.1+dfsg-12 (deb), or renamed not installed',
      'version >= 10:1.5.3-86.el7_1.2 (rpm), or renamed not installed',
      'output has a line matching /^0$/',
    ]);
    expect(notInstalledClause(renamed.verify[0]!)).toBe(', or renamed not installed');
  });

  it('is said wherever people read the check: the site, the wiki and the announcement', () => {
    const advisory = venom().advisory!;
    const context: RenderContext = { config: defaultConfig(), now, preview: false, all: [], noteOutputs: new Map() };
    const text = (name: string) =>
      renderers
        .find((renderer) => renderer.name === name)!
        .renderNote!(advisory, context)
        .map((file) => Buffer.from(file.contents).toString('utf8'))
        .map((contents) => (name === 'mail' ? quotedPrintableDecoded(contents) : contents))
        .join('\n')
        .replace(/\s+/g, ' ');
    for (const name of ['site', 'wiki', 'mail']) {
      expect(text(name), name).toContain('version >= 1.1.2+dfsg-6+deb7u7 (deb), or qemu-kvm not installed');
    }
    // The announcement (plain text, as the build writes it) says it once per check.
    expect(text('mail').match(/Expect: version [^,]+, or [\w-]+ not installed/g)).toHaveLength(3);
  });

  it('is refused where herald could not tell a package that is not installed from a failure', () => {
    const { messages } = venom((text) =>
      text
        .replace("    expect: { stdout: '^0$' }", (line) => `${line}\n    not_installed: pass`)
        .replace("run: dpkg-query -W -f='${Version}\\n' qemu-kvm", "run: dpkg-query -W -f='${Version}\\n' qemu-kvm | head -n 1"),
    );
    const refused = messages.filter((m) => m.ruleId === 'verify-not-installed-query');
    expect(refused.map((m) => m.message)).toEqual([
      'Verify entry "qemu-kvm-fixed-debian7" says what a host without the package counts as, but its command is not a plain package query herald can read: herald could not tell a package that is not installed from a command that failed',
      'Verify entry "no-stale-qemu" says what a host without the package counts as, but its expectation is "stdout", not "version": herald could not tell a package that is not installed from a command that failed',
    ]);
    expect(refused.every((m) => m.severity === 'error' && m.line > 1)).toBe(true);
  });

  it('warns when a check that passes without its package queries a package no affects entry names (a typo would pass everywhere)', () => {
    const lint = (note: ReturnType<typeof venom>) => lintNote(note, defaultConfig(), now).filter((m) => m.ruleId === 'verify-package-unknown');
    const unknown = lint(venom((text) => text.replace("run: dpkg-query -W -f='${Version}\\n' qemu-system-x86", (line) => line.replace('x86', 'x68'))));
    expect(unknown.map((m) => [m.severity, m.line, m.message])).toEqual([
      ['warning', 66, '"qemu-fixed-debian8" passes on every host without the package qemu-system-x68, which no affects entry names; did you mean qemu-system-x86?: a mistyped name is not installed anywhere, so the check would pass everywhere'],
    ]);
    expect(lint(venom())).toEqual([]);
  });

  it('accepts "error", the default, anywhere', () => {
    const { advisory, messages } = venom((text) => text.replace("    expect: { stdout: '^0$' }", (line) => `${line}\n    not_installed: error`));
    expect(messages.filter((m) => m.severity === 'error')).toEqual([]);
    expect(advisory!.verify.every((entry) => entry.notInstalled !== 'fail')).toBe(true);
  });
});

describe('herald check', () => {
  const limits = { timeoutMs: 1000, maxOutputBytes: 65536 };
  it('counts a missing package manager (exit status 127, no output) as the package not installed', () => {
    for (const manager of ['dpkg', 'rpm'] as const) {
      const entry = { ...rpmQuery('qemu-kvm', 'pass'), package: { manager, name: 'qemu-kvm', not_installed: 'pass' as const } };
      const result = evaluateCommand(entry, { kind: 'exited', code: 127, stdout: '', stderr: `sh: 1: ${manager}: not found` }, limits);
      expect(result).toMatchObject({ status: 'pass', detail: 'package qemu-kvm is not installed (not_installed: pass)' });
    }
    // Without not_installed, or with output, it stays what it was.
    expect(evaluateCommand(rpmQuery('qemu-kvm'), { kind: 'exited', code: 127, stdout: '', stderr: 'sh: 1: rpm: not found' }, limits).status).toBe('error');
    expect(evaluateCommand(rpmQuery('qemu-kvm', 'pass'), { kind: 'exited', code: 1, stdout: 'error: rpmdb open failed', stderr: '' }, limits).status).toBe('error');
  });
});

const reason = missingTools('rpm', 'dash');
describe.skipIf(!!reason)('an rpm query of a package that is not installed, on this host', () => {
  it('passes or fails as the note says, in herald check and the shell export alike', async () => {
    const checklist: Checklist = { ...agreementChecklist(), verify: [rpmQuery('herald-no-such-package', 'pass'), rpmQuery('herald-no-such-package', 'fail'), rpmQuery('herald-no-such-package')] };
    const herald = await runChecklist(checklist, { root: '/', ...defaultCheckLimits });
    expect(herald.results.map((r) => [r.status, r.detail])).toEqual([
      ['pass', 'package herald-no-such-package is not installed (not_installed: pass)'],
      ['fail', 'package herald-no-such-package is not installed (not_installed: fail)'],
      ['error', 'output "package herald-no-such-package is not installed" is not a valid rpm version (exit status 1)'],
    ]);
    const script = withFile('check.sh', exportShellScript(checklist), (file) => run('dash', [file]));
    const lines = (text: string) => text.split('\n').filter((line) => /^(PASS|FAIL|ERROR) /.test(line));
    expect(lines(script.stdout)).toEqual(lines(formatCheckText(checklist, herald)));
  });
});

/** A message whose text is quoted-printable (the authors' names are not ASCII) as a reader shows it; the message itself is ASCII. */
function quotedPrintableDecoded(message: string): string {
  const bytes = message.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
