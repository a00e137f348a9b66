/**
 * What a command writes to stderr reaches the operator even when its check
 * passes: under the PASS line (a failure's detail quotes its last line, as
 * before), and as `stderr` in every command result of `--json`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckJson, formatCheckText } from '../../src/check/report.ts';
import { defaultCheckLimits, runChecklist } from '../../src/check/run-checklist.ts';
import { serializeChecklist } from '../../src/render/checklists/model.ts';
import type { Checklist, ChecklistVerify } from '../../src/render/checklists/schema.ts';
import { runCli } from '../support/cli.ts';
import { agreementChecklist } from './fixture.ts';

const warning = "dpkg-query: warning: files list file for package 'libfoo1' missing; assuming package has no files currently installed";
/** A dpkg-query that finds the package and warns on the way, as it does when a files list is lost. */
const warns = `printf '1.0.1e-2+deb7u7\\n'; printf '\\n%s\\n\\n' "${warning}" >&2`;

const entries: ChecklistVerify[] = [
  { id: 'warns-but-passes', title: 'x', description: '', run: warns, expect: { kind: 'version', operator: '>=', version: '1.0.1e-2+deb7u6', scheme: 'deb' } },
  { id: 'quiet-pass', title: 'x', description: '', run: 'echo enabled', expect: { kind: 'stdout', pattern: '^enabled$' } },
  { id: 'fails-with-reason', title: 'x', description: '', run: "echo 'first line' >&2; echo 'the reason' >&2; exit 3", expect: { kind: 'exit', code: 0 } },
  { id: 'file-check', title: 'x', description: '', file: '/etc/herald-no-such-file.conf', expect: { kind: 'absent', pattern: 'x' } },
];
const checklist: Checklist = { ...agreementChecklist(), verify: entries };
const limits = { ...defaultCheckLimits, root: '/' };

describe('a command\u2019s stderr in herald check', () => {
  it('is kept in each command\u2019s result, without the blank lines around it', async () => {
    const report = await runChecklist(checklist, limits);
    expect(report.results.map(({ id, status, stderr }) => ({ id, status, stderr }))).toEqual([
      { id: 'warns-but-passes', status: 'pass', stderr: warning },
      { id: 'quiet-pass', status: 'pass', stderr: undefined },
      { id: 'fails-with-reason', status: 'fail', stderr: 'first line\nthe reason' },
      { id: 'file-check', status: 'pass', stderr: undefined },
    ]);
  });

  it('is shown under a PASS line; a FAIL line quotes its last line as before', async () => {
    const text = formatCheckText(checklist, await runChecklist(checklist, limits));
    expect(text.split('\n').slice(1, -2)).toEqual([
      'PASS   warns-but-passes  1.0.1e-2+deb7u7 >= 1.0.1e-2+deb7u6 (deb)',
      `       stderr: ${warning}`,
      'PASS   quiet-pass  output line 1 matches /^enabled$/: "enabled"',
      'FAIL   fails-with-reason  exit status 3, expected 0 (exit status 3: "the reason")',
      'PASS   file-check  /etc/herald-no-such-file.conf does not exist, so no line matches /x/',
    ]);
  });

  it('is shown ten lines at most, each cut at 200 characters, without control characters', () => {
    const lines = Array.from({ length: 12 }, (_, index) => (index === 1 ? 'w'.repeat(250) : `warning ${index + 1}`));
    const stderr = `\u001b[31mred\u001b[0m\tand a tab\n\n${lines.join('\n')}`;
    const text = formatCheckText(checklist, {
      advisory: checklist.advisory.id,
      results: [{ id: 'noisy', status: 'pass', detail: 'exit status 0', stderr }],
      summary: { total: 1, pass: 1, fail: 0, error: 0, skipped: 0 },
    });
    expect(text.split('\n').slice(1, -2)).toEqual([
      'PASS   noisy  exit status 0',
      '       stderr:  [31mred [0m and a tab',
      ...lines.slice(0, 9).map((line) => `       stderr: ${line.length > 200 ? `${line.slice(0, 200)}\u2026` : line}`),
      '       stderr: \u2026 3 more lines (--json has them all)',
    ]);
  });

  it('gives the terminal no escape sequence and no extra line from a note\'s text', () => {
    const hostile = { ...checklist, advisory: { ...checklist.advisory, title: 'T\u001b]0;owned\u0007', status: 'withdrawn' as const, withdrawnReason: 'Gone \u001b[2J\u001b[31mRED\nPASS   fake  all good' } };
    const text = formatCheckText(hostile, {
      advisory: checklist.advisory.id,
      results: [{ id: 'file', status: 'fail', detail: '/y\u001b[31m: no line matches /a\u2028PASS   x/' }],
      summary: { total: 1, pass: 0, fail: 1, error: 0, skipped: 0 },
    });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(text.split('\n').filter((line) => line.startsWith('PASS'))).toEqual([]);
  });

  describe('herald check', () => {
    let workspace = '';
    beforeAll(() => {
      workspace = mkdtempSync(path.join(tmpdir(), 'herald-check-stderr-'));
      writeFileSync(path.join(workspace, 'warns.json'), serializeChecklist({ ...checklist, verify: entries.filter((entry) => entry.id !== 'fails-with-reason') }));
    });
    afterAll(() => rmSync(workspace, { recursive: true, force: true }));

    it('prints the warning of a passing check, and exits 0', async () => {
      const run = await runCli(['check', 'warns.json'], { cwd: workspace });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`PASS   warns-but-passes  1.0.1e-2+deb7u7 >= 1.0.1e-2+deb7u6 (deb)\n       stderr: dpkg-query: warning: files list file for package 'libfoo1'`);
    });

    it('gives it whole as "stderr" with --json, only on the results that have one', async () => {
      const run = await runCli(['check', 'warns.json', '--json'], { cwd: workspace });
      const json = JSON.parse(run.stdout) as { results: Record<string, string>[] };
      expect(json.results).toEqual([
        { id: 'warns-but-passes', status: 'pass', detail: '1.0.1e-2+deb7u7 >= 1.0.1e-2+deb7u6 (deb)', stderr: warning },
        { id: 'quiet-pass', status: 'pass', detail: expect.any(String) },
        { id: 'file-check', status: 'pass', detail: expect.any(String) },
      ]);
      expect(formatCheckJson(checklist, await runChecklist(checklist, limits))).toContain('"stderr": "first line\\nthe reason"');
    });
  });
});
