/**
 * The Ansible export, run for real with `ansible-playbook -c local -i
 * localhost,`: the same verdicts as `herald check`, on this host and under a
 * temporary root, and nothing from a note ever templated or expanded.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckStatus } from '../../src/check/evaluate.ts';
import { formatCheckText, noChecks } from '../../src/check/report.ts';
import { defaultCheckLimits, runChecklist } from '../../src/check/run-checklist.ts';
import { exportAnsiblePlaybook } from '../../src/export/ansible.ts';
import type { Checklist } from '../../src/render/checklists/schema.ts';
import { agreementChecklist, expectedStatuses, fixtureTimeoutSeconds, makeRoot } from '../check/fixture.ts';
import { missingTools } from '../support/system.ts';
import { runAsync, slowGrepPattern, statusesFromText, tooSlowDetail, type Run } from './support.ts';

interface PlaybookRun extends Run {
  results: Record<string, CheckStatus>;
  /** Each check's line, by id. */
  lines: Record<string, string>;
}

/** Runs a playbook on localhost and reads `herald_results` from the report task. */
async function play(checklist: Checklist, extraVars: string[] = []): Promise<PlaybookRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-ansible-'));
  try {
    const file = path.join(dir, 'checks.yml');
    writeFileSync(file, exportAnsiblePlaybook(checklist, { timeoutSeconds: fixtureTimeoutSeconds }));
    const run = await runAsync('ansible-playbook', ['-c', 'local', '-i', 'localhost,', ...extraVars.flatMap((v) => ['-e', v]), file], {
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
      ANSIBLE_REMOTE_TEMP: path.join(dir, 'tmp'),
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      HERALD_SECRET: 'leaked',
    });
    const report = /TASK \[Report the results\][^\n]*\nok: \[localhost\] => (\{[\s\S]*?\n\})/.exec(run.stdout);
    if (!report) throw new Error(`no results in the playbook output:\n${run.stdout}\n${run.stderr}`);
    const lines = (JSON.parse(report[1]!) as { herald_results: Record<string, string> }).herald_results;
    return { ...run, results: statusesFromText(Object.values(lines).join('\n')), lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reason = missingTools('ansible-playbook', 'dpkg', 'rpm');
describe.skipIf(!!reason)('herald export ansible', () => {
  let fixture: ReturnType<typeof makeRoot>;
  const checklist = agreementChecklist();
  const limits = { ...defaultCheckLimits, timeoutMs: fixtureTimeoutSeconds * 1000 };
  let onHost: Promise<PlaybookRun>;
  let underRoot: Promise<PlaybookRun>;
  beforeAll(() => {
    fixture = makeRoot();
    // Both runs at once: Ansible spends most of its time starting Python.
    onHost = play(checklist);
    underRoot = play(checklist, [`herald_root=${fixture.root}`]);
  });
  afterAll(async () => {
    await Promise.allSettled([onHost, underRoot]);
    fixture.remove();
  });

  it('agrees with herald check on this host', async () => {
    const [ansible, herald] = await Promise.all([onHost, runChecklist(checklist, { root: '/', ...limits })]);
    expect(ansible.results).toEqual(Object.fromEntries(herald.results.map((r) => [r.id, r.status])));
    expect(ansible.results).toEqual(expectedStatuses(false));
    // ansible-playbook exits 2 when a host failed: the last task asserts every check passed.
    expect(ansible.code).toBe(2);
    expect(ansible.stdout).toMatch(/TASK \[Every check passes\][^\n]*\nfatal: \[localhost\]/);
  }, 300_000);

  it('agrees with herald check --root under a temporary root', async () => {
    const [ansible, herald] = await Promise.all([underRoot, runChecklist(checklist, { root: fixture.root, ...limits })]);
    expect(ansible.results).toEqual(Object.fromEntries(herald.results.map((r) => [r.id, r.status])));
    expect(ansible.results).toEqual(expectedStatuses(true));
  }, 300_000);

  it('gives herald check\'s line for what the differential test found', async () => {
    // A quoted line with NEL or LS was split by stdout_lines, so the result was a fragment and the host failed;
    // a fixed version dpkg refuses was reported as the command's output being invalid;
    // a NUL byte in the output was dropped.
    const found: Checklist = {
      ...checklist,
      verify: [
        { id: 'nel-in-output', title: 'x', run: "printf 'key\\302\\205 = 1\\342\\200\\250 x\\n'", expect: { kind: 'stdout', pattern: '^key' }, description: '' },
        { id: 'invalid-fixed-deb', title: 'x', run: "printf '1.0-1'", expect: { kind: 'version', operator: '>=', version: 'A.', scheme: 'deb' }, description: '' },
        { id: 'invalid-fixed-rpm', title: 'x', run: "printf '1.0-1'", expect: { kind: 'version', operator: '>=', version: '1.0-1-', scheme: 'rpm' }, description: '' },
        // A NUL byte in the output was dropped: "a\0b" matched /^ab$/.
        { id: 'nul-in-output', title: 'x', run: "printf 'a\\000b\\n'", expect: { kind: 'stdout', pattern: '^ab$' }, description: '' },
        // Two versions on two lines: rpm compared them as one ("2.0-1\n1.0" with release "1"), and passed.
        { id: 'rpm-lines', title: 'x', run: "printf '2.0-1\\n1.0-1\\n'", expect: { kind: 'version', operator: '>=', version: '1.5-1', scheme: 'rpm' }, description: '' },
        { id: 'deb-lines', title: 'x', run: "printf '2.0-1\\n\\n2.1-1\\n'", expect: { kind: 'version', operator: '>=', version: '1.5-1', scheme: 'deb' }, description: '' },
        { id: 'deb-invalid-line', title: 'x', run: "printf '2.0-1\\nA.\\n'", expect: { kind: 'version', operator: '>=', version: '1.5-1', scheme: 'deb' }, description: '' },
      ],
    };
    const [ansible, herald] = await Promise.all([play(found), runChecklist(found, { root: '/', ...limits })]);
    expect(ansible.lines).toEqual(Object.fromEntries(formatCheckText(found, herald).split('\n').filter((line) => /^(PASS|FAIL|ERROR) /.test(line)).map((line) => [line.split(/\s+/)[1], line])));
    expect(ansible.results).toEqual({ 'nel-in-output': 'pass', 'invalid-fixed-deb': 'error', 'invalid-fixed-rpm': 'error', 'nul-in-output': 'fail', 'rpm-lines': 'fail', 'deb-lines': 'pass', 'deb-invalid-line': 'error' });
  }, 300_000);

  it('stops a pattern that keeps grep busy at the time limit, as the shell export does', async () => {
    const pattern = slowGrepPattern('gnu');
    const slow: Checklist = {
      ...checklist,
      verify: [{ id: 'slow-output', title: 'x', run: 'echo a', expect: { kind: 'stdout', pattern }, description: '' }],
    };
    const ansible = await play(slow);
    expect(ansible.lines).toEqual({ 'slow-output': `ERROR  slow-output  ${tooSlowDetail(pattern, fixtureTimeoutSeconds)}` });
  }, 300_000);

  it('takes -e herald_timeout as the script takes --timeout: a limit for the task from it, and an error for a value that is no limit', async () => {
    const one: Checklist = { ...checklist, verify: [{ id: 'exits-125', title: 'x', run: 'exit 125', expect: { kind: 'exit', code: 125 }, description: '' }] };
    // The task's own limit follows herald_timeout: fixed at the export's, a longer herald_timeout killed the play.
    expect(exportAnsiblePlaybook(one).match(/^ {6}timeout: .*$/gm)).toEqual(['      timeout: "{{ herald_timeout | int * 2 + 60 }}"']);
    // `timeout soon …` exited 125, which this check expects: it passed.
    const ansible = await play(one, ['herald_timeout=soon']);
    expect(ansible.lines).toEqual({ 'exits-125': 'ERROR  exits-125  herald_timeout soon is not a whole number of seconds above 0' });
  }, 300_000);

  it('says what herald check says of a withdrawn advisory without checks: withdrawn, and nothing verified', async () => {
    const withdrawn: Checklist = { ...checklist, advisory: { ...checklist.advisory, status: 'withdrawn', withdrawnReason: 'Superseded by {{ OSSA-2015-005 }}.' }, verify: [] };
    const [ansible, herald] = await Promise.all([play(withdrawn), runChecklist(withdrawn, { root: '/', ...limits })]);
    const [, withdrawnLine] = formatCheckText(withdrawn, herald).split('\n');
    expect(withdrawnLine).toBe('WITHDRAWN: Superseded by {{ OSSA-2015-005 }}.');
    expect(ansible.stdout).toContain(`"msg": "${withdrawnLine}"`);
    expect(ansible.stdout).toContain(`"msg": "${noChecks}"`);
    expect(ansible.code).toBe(0);
  }, 300_000);

  it('passes the host when every check passes, and never templates or expands note text', async () => {
    const marker = path.join(tmpdir(), `herald-ansible-pwned-${process.pid}`);
    const hostile: Checklist = {
      ...checklist,
      advisory: { ...checklist.advisory, title: `{{ lookup('pipe', 'touch ${marker}') }}` },
      verify: [
        {
          id: 'jinja',
          title: `{{ lookup('pipe', 'touch ${marker}') }}`,
          run: "printf '%s\\n' '{{ 7 * 7 }} $HOME ~'",
          expect: { kind: 'stdout', pattern: '^\\{\\{ 7 \\* 7 \\}\\} \\$HOME ~$' },
          description: '',
        },
        { id: 'version', title: '{% raw %}', run: "printf '1.0~rc1'", expect: { kind: 'version', operator: '<', version: '1.0', scheme: 'deb' }, description: '' },
      ],
    };
    const ansible = await play(hostile);
    expect(ansible.results).toEqual({ jinja: 'pass', version: 'pass' });
    expect(ansible.code).toBe(0);
    expect(ansible.stdout).toContain('"msg": "2 checks: 2 pass, 0 fail, 0 error, 0 skipped"');
    expect(existsSync(marker)).toBe(false);
  }, 300_000);
});
