/** `herald check`'s engine against real files and commands. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCheckLimits, runChecklist, type CheckReport } from '../../src/check/run-checklist.ts';
import type { Checklist, ChecklistVerify } from '../../src/render/checklists/schema.ts';
import { missingTools } from '../support/system.ts';
import { agreementChecklist, expectedStatuses, fixtureTimeoutSeconds, makeRoot } from './fixture.ts';

const limits = { ...defaultCheckLimits, timeoutMs: fixtureTimeoutSeconds * 1000 };
const statuses = (report: CheckReport) => Object.fromEntries(report.results.map((r) => [r.id, r.status]));

function only(...entries: ChecklistVerify[]): Checklist {
  return { ...agreementChecklist(), verify: entries };
}

const reason = missingTools('dpkg-query');
describe.skipIf(!!reason)('runChecklist', () => {
  let fixture: ReturnType<typeof makeRoot>;
  beforeAll(() => {
    fixture = makeRoot();
  });
  afterAll(() => fixture.remove());

  it('gives every entry of the fixture its expected verdict on this host', async () => {
    const report = await runChecklist(agreementChecklist(), { root: '/', ...limits });
    expect(statuses(report)).toEqual(expectedStatuses(false));
    expect(report.summary.total).toBe(report.results.length);
    expect(report.summary.pass + report.summary.fail + report.summary.error + report.summary.skipped).toBe(report.summary.total);
  });

  it('reads files under --root and skips commands there', async () => {
    const report = await runChecklist(agreementChecklist(), { root: fixture.root, ...limits });
    expect(statuses(report)).toEqual(expectedStatuses(true));
    const skipped = report.results.find((r) => r.status === 'skipped');
    expect(skipped?.detail).toMatch(/--root only applies to file checks/);
  });

  it('explains each verdict', async () => {
    const report = await runChecklist(agreementChecklist(), { root: fixture.root, ...limits });
    const detail = (id: string) => report.results.find((r) => r.id === id)!.detail;
    expect(detail('absent-fail')).toBe('/etc/demo/app.conf: line 3 matches /^\\s*listen_tcp\\s*=\\s*1/: "listen_tcp = 1"');
    expect(detail('absent-missing-file')).toBe('/etc/demo/missing.conf does not exist, so no line matches /anything/');
    expect(detail('present-missing-file')).toBe('/etc/demo/missing.conf does not exist');
    const host = await runChecklist(agreementChecklist(), { root: '/', ...limits });
    const hostDetail = (id: string) => host.results.find((r) => r.id === id)!.detail;
    expect(hostDetail('deb-fail')).toMatch(/^\S+ is not < 1\.0 \(deb\)$/);
    expect(hostDetail('deb-not-installed')).toMatch(/^command printed no version \(exit status 1: "dpkg-query: no packages found/);
    expect(hostDetail('deb-garbage')).toBe('output "not-a-version" is not a valid deb version (exit status 0)');
    expect(hostDetail('deb-lines-pass')).toBe('2.0-1, 2.1-1 >= 1.5-1 (deb)');
    expect(hostDetail('deb-lines-fail')).toBe('output line 2: 1.0-1 is not >= 1.5-1 (deb)');
    expect(hostDetail('semver-lines-error')).toBe('output line 2 "1.0" is not a valid semver version (exit status 0)');
    expect(hostDetail('exit-fail')).toBe('exit status 3, expected 0');
    expect(hostDetail('timeout')).toBe(`timed out after ${fixtureTimeoutSeconds} s`);
    expect(hostDetail('stdout-fail')).toBe('no output line matches /^root nova$/; output "root root" (exit status 0)');
  });

  it('keeps a symlink inside the root, even with .. and absolute targets', async () => {
    const { root, remove } = makeRoot();
    try {
      symlinkSync('/../../../etc/demo/app.conf', path.join(root, 'etc/demo/escape.conf'));
      symlinkSync('loop-b', path.join(root, 'etc/demo/loop-a'));
      symlinkSync('loop-a', path.join(root, 'etc/demo/loop-b'));
      const report = await runChecklist(
        only(
          { id: 'escape', title: 'escape', file: '/etc/demo/escape.conf', expect: { kind: 'present', pattern: 'tls_allowed_dn_list' }, description: '' },
          { id: 'dotdot', title: 'dotdot', file: '/../../etc/demo/app.conf', expect: { kind: 'present', pattern: 'tls_allowed_dn_list' }, description: '' },
          { id: 'loop', title: 'loop', file: '/etc/demo/loop-a', expect: { kind: 'absent', pattern: 'x' }, description: '' },
          { id: 'directory', title: 'directory', file: '/etc/demo/dir', expect: { kind: 'absent', pattern: 'x' }, description: '' },
        ),
        { root, ...limits },
      );
      expect(statuses(report)).toEqual({ escape: 'pass', dotdot: 'pass', loop: 'error', directory: 'error' });
      expect(report.results[3]!.detail).toBe('/etc/demo/dir is not a regular file');
    } finally {
      remove();
    }
  });

  it('reports an invalid pattern or version in a hand-written checklist as an error', async () => {
    const report = await runChecklist(
      only(
        { id: 'bad-regex', title: 'x', run: 'echo x', expect: { kind: 'stdout', pattern: '(' }, description: '' },
        { id: 'bad-version', title: 'x', run: 'echo 1.0', expect: { kind: 'version', operator: '>=', version: 'x y', scheme: 'deb' }, description: '' },
      ),
      { root: '/', ...limits },
    );
    expect(statuses(report)).toEqual({ 'bad-regex': 'error', 'bad-version': 'error' });
    expect(report.results[0]!.detail).toMatch(/^pattern \/\(\/ is not a valid regular expression/);
  });

  it('quotes the last line a failing command wrote to stderr (a traceback ends with its error)', async () => {
    const traceback = "printf 'Traceback (most recent call last):\\n  File \"<string>\", line 1, in <module>\\nModuleNotFoundError: No module named keystonemiddleware\\n\\n' >&2; exit 1";
    const report = await runChecklist(
      only(
        { id: 'traceback', title: 'x', run: traceback, expect: { kind: 'version', operator: '>=', version: '10.7.1', scheme: 'pypi' }, description: '' },
        { id: 'silent', title: 'x', run: 'exit 1', expect: { kind: 'version', operator: '>=', version: '1', scheme: 'deb' }, description: '' },
      ),
      { root: '/', ...limits },
    );
    expect(report.results.map((r) => r.detail)).toEqual([
      'command printed no version (exit status 1: "ModuleNotFoundError: No module named keystonemiddleware")',
      'command printed no version (exit status 1)',
    ]);
  });

  it('caps output and kills commands that outlive the timeout, children included', async () => {
    const started = Date.now();
    const report = await runChecklist(
      only(
        { id: 'flood', title: 'x', run: 'yes', expect: { kind: 'exit', code: 0 }, description: '' },
        { id: 'background', title: 'x', run: 'sleep 30 & sleep 30', expect: { kind: 'exit', code: 0 }, description: '' },
        { id: 'killed', title: 'x', run: 'kill -9 $$', expect: { kind: 'exit', code: 0 }, description: '' },
      ),
      { root: '/', ...limits, timeoutMs: 1000 },
    );
    expect(report.results.map((r) => r.detail)).toEqual(['output exceeded 64 KiB', 'timed out after 1 s', 'command was killed by SIGKILL']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('ends when the shell ends: a child left running in the background is killed, not waited for', async () => {
    // The child held the output pipe open, so the check waited for it and timed out (the shell export passes it).
    const report = await runChecklist(
      only({ id: 'daemon', title: 'x', run: 'sleep 60 & echo started', expect: { kind: 'stdout', pattern: '^started$' }, description: '' }),
      { root: '/', ...limits, timeoutMs: 30_000 },
    );
    expect(report.results.map((r) => [r.status, r.detail])).toEqual([['pass', 'output line 1 matches /^started$/: "started"']]);
  });

  it('reads a large file up to the limit and refuses beyond it', async () => {
    const { root, remove } = makeRoot();
    try {
      mkdirSync(path.join(root, 'var'), { recursive: true });
      writeFileSync(path.join(root, 'var/big'), 'x\n'.repeat(1024));
      const entry: ChecklistVerify = { id: 'big', title: 'x', file: '/var/big', expect: { kind: 'absent', pattern: 'y' }, description: '' };
      expect(statuses(await runChecklist(only(entry), { root, ...limits }))).toEqual({ big: 'pass' });
      const refused = await runChecklist(only(entry), { root, ...limits, maxFileBytes: 1024 });
      expect(refused.results[0]!.detail).toBe('/var/big is larger than 1 KiB');
    } finally {
      remove();
    }
  });
});

describe('a pattern that backtracks without end', () => {
  it('is stopped at the time limit and reported as an error, in a file check and an output check', async () => {
    const { evaluateFile, evaluateCommand } = await import('../../src/check/evaluate.ts');
    const pattern = '^(\\w+\\s?)*=';
    const line = 'PermitRootLogin prohibit password only for the administrators of this cluster node';
    const started = Date.now();
    const file = evaluateFile({ id: 'slow', title: 'Slow', file: '/etc/ssh/sshd_config', expect: { kind: 'absent', pattern }, description: '' } as never, `${line}\n`, { timeoutMs: 200 });
    expect(file).toEqual({ id: 'slow', status: 'error', detail: `matching /${pattern}/ took longer than 0.2 s: the pattern backtracks without end on some line; make it simpler (no quantifier inside a repeated group)` });
    const output = evaluateCommand({ id: 'slow', title: 'Slow', run: 'x', expect: { kind: 'stdout', pattern }, description: '' } as never, { kind: 'exited', code: 0, stdout: line, stderr: '' } as never, { timeoutMs: 200, maxOutputBytes: 65536 });
    expect(output.status).toBe('error');
    expect(Date.now() - started).toBeLessThan(5000);
    // An ordinary pattern is matched as before.
    expect(evaluateFile({ id: 'ok', title: 'Ok', file: '/f', expect: { kind: 'present', pattern: '^Permit' }, description: '' } as never, `${line}\n`).status).toBe('pass');
  });
});
