/**
 * The POSIX shell export, run for real with dash, bash in POSIX mode and
 * BusyBox (sh, awk, grep…, as on Alpine): the same verdicts and exit
 * status as `herald check`, on this host and under a temporary root.
 */
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecklist } from '../../src/check/run-checklist.ts';
import { formatCheckText } from '../../src/check/report.ts';
import { defaultCheckLimits } from '../../src/check/run-checklist.ts';
import { exportShellScript } from '../../src/export/sh.ts';
import type { Checklist } from '../../src/render/checklists/schema.ts';
import { agreementChecklist, expectedStatuses, fixtureTimeoutSeconds, makeRoot } from '../check/fixture.ts';
import { missingTools } from '../support/system.ts';
import { bash, busybox, dash, run, runScript, slowGrepPattern, statusesFromText, tooSlowDetail, withFile, type Shell } from './support.ts';

// BusyBox alone may be absent: it is skipped alone, with its reason.
const busyboxMissing = missingTools('busybox');
const shells: Shell[] = busyboxMissing ? [dash, bash] : [dash, bash, busybox];

/** The result lines, word for word (herald check adds a passing command's stderr under its line). */
const verdicts = (text: string) => text.split('\n').filter((line) => /^(PASS|FAIL|ERROR|SKIP) /.test(line));

/** Root reads every file: under root the script runs as `nobody` (util-linux's setpriv). */
const asRoot = process.getuid?.() === 0;
const nobody = 65534;

const reason = missingTools('dash', 'bash', 'dpkg-query', ...(asRoot ? ['setpriv'] : []));
describe.skipIf(!!reason)('herald export sh', () => {
  let fixture: ReturnType<typeof makeRoot>;
  const checklist = agreementChecklist();
  const script = exportShellScript(checklist, { timeoutSeconds: fixtureTimeoutSeconds });
  const limits = { ...defaultCheckLimits, timeoutMs: fixtureTimeoutSeconds * 1000 };
  beforeAll(() => {
    fixture = makeRoot();
  });
  afterAll(() => fixture.remove());

  describe.each(shells)('with $name', (shell) => {
    it('agrees with herald check on this host, line for line in status', async () => {
      const herald = await runChecklist(checklist, { root: '/', ...limits });
      const result = runScript(shell, script, [], { HERALD_SECRET: 'leaked' });
      expect(statusesFromText(result.stdout)).toEqual(expectedStatuses(false));
      expect(statusesFromText(result.stdout)).toEqual(statusesFromText(formatCheckText(checklist, herald)));
      expect(result.code).toBe(1);
      expect(result.stdout.trim().split('\n').at(-1)).toBe(formatCheckText(checklist, herald).trim().split('\n').at(-1));
      expect(verdicts(result.stdout)).toEqual(verdicts(formatCheckText(checklist, herald)));
    });

    it('agrees with herald check --root under a temporary root', async () => {
      const herald = await runChecklist(checklist, { root: fixture.root, ...limits });
      const result = runScript(shell, script, ['--root', fixture.root]);
      expect(statusesFromText(result.stdout)).toEqual(statusesFromText(formatCheckText(checklist, herald)));
      expect(statusesFromText(result.stdout)).toEqual(expectedStatuses(true));
      expect(result.code).toBe(1);
      expect(verdicts(result.stdout)).toEqual(verdicts(formatCheckText(checklist, herald)));
    });
  });

  describe('agrees with herald check on what the differential test found, word for word', () => {
    // Each was a different verdict or line in the shell export (test/export/differential.test.ts).
    const files: [string, string | Buffer | 'loop', 'absent' | 'present', string][] = [
      ['link-loop-on-host', 'loop', 'absent', 'x'],
      ['empty-file-is-one-empty-line', '', 'absent', '^\\s*$'],
      ['nul-byte-ends-no-line', Buffer.from('q\0x\n'), 'present', 'q$'],
      ['nel-in-quoted-line', 'key\u0085\u0085 = 1\u2028\n', 'present', 'key'],
      ['long-utf8-line-cut-at-120-characters', `${'é'.repeat(130)}\n`, 'present', '^é'],
      ['invalid-utf8-shown-as-replacement', Buffer.from([0x61, 0xff, 0xe2, 0x80, 0x62, 0x0a]), 'present', '^a'],
      ['multibyte-character-repeated', 'éé\n', 'present', '^é{2}$'],
      ['multibyte-character-in-brackets', 'é\n', 'present', '^[aé]$'],
    ];
    let dir: string;
    let found: Checklist;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'herald-sh-found-'));
      found = {
        ...checklist,
        verify: files.map(([id, content, kind, pattern]) => {
          const file = path.join(dir, `${id}.conf`);
          if (content === 'loop') symlinkSync(`${id}.conf`, file);
          else writeFileSync(file, content);
          return { id, title: id, description: '', file, expect: { kind, pattern } };
        }),
      };
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(shells)('with $name', async (shell) => {
      const herald = formatCheckText(found, await runChecklist(found, { root: '/', ...limits }));
      expect(statusesFromText(herald)).toEqual({
        'link-loop-on-host': 'error',
        'empty-file-is-one-empty-line': 'fail',
        'nul-byte-ends-no-line': 'fail',
        'nel-in-quoted-line': 'pass',
        'long-utf8-line-cut-at-120-characters': 'pass',
        'invalid-utf8-shown-as-replacement': 'pass',
        'multibyte-character-repeated': 'pass',
        'multibyte-character-in-brackets': 'pass',
      });
      const result = runScript(shell, exportShellScript(found));
      expect(result.stdout).toBe(herald);
    });
  });

  it.each(shells)('reads a NUL byte in a command\'s output as herald check does, not dropped ($name)', async (shell) => {
    // $(...) dropped it: "a\0b" matched /^ab$/, and "1.0\0" read as a valid version.
    const nul: Checklist = {
      ...checklist,
      verify: [
        { id: 'nul-not-dropped', title: 'x', description: '', run: "printf 'a\\000b\\n'", expect: { kind: 'stdout', pattern: '^ab$' } },
        { id: 'nul-is-a-character', title: 'x', description: '', run: "printf 'a\\000b\\n'", expect: { kind: 'stdout', pattern: '^a.b$' } },
        { id: 'nul-in-version', title: 'x', description: '', run: "printf '1.0\\000\\n'", expect: { kind: 'version', operator: '>=', version: '1.0', scheme: 'deb' } },
      ],
    };
    const herald = formatCheckText(nul, await runChecklist(nul, { root: '/', ...limits }));
    expect(verdicts(herald)).toEqual([
      'FAIL   nul-not-dropped  no output line matches /^ab$/; output "a b" (exit status 0)',
      'PASS   nul-is-a-character  output line 1 matches /^a.b$/: "a b"',
      'ERROR  nul-in-version  output "1.0 " is not a valid deb version (exit status 0)',
    ]);
    expect(runScript(shell, exportShellScript(nul)).stdout).toBe(herald);
  });

  it.each(shells)('stops a pattern that keeps grep busy at the time limit, as herald check does ($name)', async (shell) => {
    const pattern = slowGrepPattern(shell.name === 'busybox' ? 'busybox' : 'gnu');
    const file = path.join(fixture.root, 'slow-pattern.conf');
    writeFileSync(file, 'a\n');
    const slow: Checklist = {
      ...checklist,
      verify: [
        { id: 'slow-output', title: 'x', description: '', run: 'echo a', expect: { kind: 'stdout', pattern } },
        { id: 'slow-file', title: 'x', description: '', file, expect: { kind: 'absent', pattern } },
        { id: 'fast', title: 'x', description: '', run: 'echo a', expect: { kind: 'stdout', pattern: '^a$' } },
      ],
    };
    const result = runScript(shell, exportShellScript(slow, { timeoutSeconds: 1 }));
    expect(verdicts(result.stdout)).toEqual([
      `ERROR  slow-output  ${tooSlowDetail(pattern, 1)}`,
      `ERROR  slow-file  ${tooSlowDetail(pattern, 1)}`,
      'PASS   fast  output line 1 matches /^a$/: "a"',
    ]);
    expect(result.code).toBe(1);
  });

  it.each(shells)('says a command that ignores TERM timed out, as herald check does, and not a command that exits 137 itself ($name)', async (shell) => {
    // Under GNU timeout, KILL 5 s after TERM ended timeout too: "exit status 137, expected 0", where herald check says timed out.
    const stubborn: Checklist = {
      ...checklist,
      verify: [
        { id: 'ignores-term', title: 'x', description: '', run: "trap '' TERM; sleep 60", expect: { kind: 'exit', code: 0 } },
        { id: 'exits-137', title: 'x', description: '', run: 'exit 137', expect: { kind: 'exit', code: 0 } },
      ],
    };
    const herald = formatCheckText(stubborn, await runChecklist(stubborn, { root: '/', ...limits, timeoutMs: 1000 }));
    expect(verdicts(herald)).toEqual(['ERROR  ignores-term  timed out after 1 s', 'FAIL   exits-137  exit status 137, expected 0']);
    const result = runScript(shell, exportShellScript(stubborn, { timeoutSeconds: 1 }));
    expect(verdicts(result.stdout)).toEqual(verdicts(herald));
    expect(result.code).toBe(1);
  });

  it.each(shells)('reports a file it may not read as an error and goes on, as a user other than root ($name)', (shell) => {
    // `: <file` failing, a special built-in's redirection, ended the whole script (exit 2, no summary).
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-sh-unreadable-'));
    try {
      chmodSync(dir, 0o755);
      const secret = path.join(dir, 'secret.conf');
      writeFileSync(secret, 'password = guest\n', { mode: asRoot ? 0o600 : 0o000 });
      const unreadable: Checklist = {
        ...checklist,
        verify: [
          { id: 'unreadable', title: 'x', description: '', file: secret, expect: { kind: 'absent', pattern: 'guest' } },
          { id: 'after', title: 'x', description: '', run: 'echo a', expect: { kind: 'stdout', pattern: '^a$' } },
        ],
      };
      const file = path.join(dir, `${shell.name}.sh`);
      writeFileSync(file, shell.script(exportShellScript(unreadable), dir), { mode: 0o644 });
      const command = [shell.command, ...shell.flags, file];
      const result = asRoot ? run('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--', ...command]) : run(command[0]!, command.slice(1));
      expect(verdicts(result.stdout)).toEqual([`ERROR  unreadable  ${secret} cannot be read`, 'PASS   after  output line 1 matches /^a$/: "a"']);
      expect(result.stdout.trim().split('\n').at(-1)).toBe('2 checks: 1 pass, 0 fail, 1 error, 0 skipped');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(shells)('gives a command the environment herald check gives it: LC_ALL=C and PATH only ($name)', async (shell) => {
    // herald check also set LANG=C, which docs/checks.md does not name and the exports do not set.
    const environment: Checklist = {
      ...checklist,
      verify: [{ id: 'environment', title: 'x', description: '', run: "env | grep -v -e '^PWD=' -e '^PATH=' | sort", expect: { kind: 'stdout', pattern: '^$' } }],
    };
    const herald = formatCheckText(environment, await runChecklist(environment, { root: '/', ...limits }));
    expect(verdicts(herald)).toEqual(['FAIL   environment  no output line matches /^$/; output "LC_ALL=C" (exit status 0)']);
    expect(verdicts(runScript(shell, exportShellScript(environment)).stdout)).toEqual(verdicts(herald));
  });

  it.each(shells)('exits 0 when every check passes ($name)', (shell) => {
    const passing: Checklist = { ...checklist, verify: checklist.verify.filter((v) => expectedStatuses(true)[v.id] === 'pass') };
    const result = runScript(shell, exportShellScript(passing), ['--root', fixture.root]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ checks?: (\d+) pass, 0 fail, 0 error, 0 skipped$/m);
  });

  it.each(shells)('quotes the last line a failing command wrote to stderr, as herald check does ($name)', async (shell) => {
    const long = 'x'.repeat(130);
    const failing: Checklist = {
      ...checklist,
      verify: [
        { id: 'traceback', title: 'x', description: '', run: `printf 'Traceback:\\n  File "a"\\nError: No module named "km" \\\\ here\\t\\n\\n' >&2; exit 1`, expect: { kind: 'version', operator: '>=', version: '1', scheme: 'pypi' } },
        { id: 'long', title: 'x', description: '', run: `echo ${long} >&2; exit 3`, expect: { kind: 'exit', code: 0 } },
        { id: 'quiet', title: 'x', description: '', run: 'echo 1; exit 2', expect: { kind: 'stdout', pattern: '^2$' } },
      ],
    };
    const herald = formatCheckText(failing, await runChecklist(failing, { root: '/', ...limits }));
    expect(herald).toContain('ERROR  traceback  command printed no version (exit status 1: "Error: No module named \\"km\\" \\\\ here")');
    expect(herald).toContain(`FAIL   long  exit status 3, expected 0 (exit status 3: "${'x'.repeat(120)}\u2026")`);
    expect(herald).toContain('FAIL   quiet  no output line matches /^2$/; output "1" (exit status 2)');
    const result = runScript(shell, exportShellScript(failing));
    expect(result.stdout).toBe(herald);
  });

  it('says that nothing was verified when the advisory has no checks, as herald check does, and exits 0', async () => {
    const none: Checklist = { ...checklist, verify: [] };
    const herald = formatCheckText(none, await runChecklist(none, { root: '/', ...limits }));
    const result = withFile('none.sh', exportShellScript(none), (file) => run('dash', [file]));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(herald);
    expect(herald.trim().split('\n').at(-1)).toBe('0 checks: the advisory has no verify entries, so nothing was verified on this host');
  });

  it('says that the advisory is withdrawn, and a private preview, on the lines herald check prints', async () => {
    const withdrawn: Checklist = { ...checklist, privatePreview: true, advisory: { ...checklist.advisory, status: 'withdrawn', withdrawnReason: 'Superseded by OSSA-2015-005.' } };
    const herald = formatCheckText(withdrawn, await runChecklist(withdrawn, { root: '/', ...limits }));
    const result = withFile('withdrawn.sh', exportShellScript(withdrawn, { timeoutSeconds: fixtureTimeoutSeconds }), (file) => run('dash', [file]));
    expect(herald.split('\n').slice(1, 3)).toEqual(['PRIVATE PREVIEW: not for publication', 'WITHDRAWN: Superseded by OSSA-2015-005.']);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual(herald.split('\n').slice(0, 3));
    expect(verdicts(result.stdout)).toEqual(verdicts(herald));
    expect(result.stderr).toBe('');
  });

  it('exits 2 on a usage error', () => {
    withFile('usage.sh', script, (file) => {
      expect(run('dash', [file, '--bogus']).code).toBe(2);
      expect(run('dash', [file, '--root', '/nonexistent/herald']).code).toBe(2);
      expect(run('dash', [file, '--timeout', 'soon']).code).toBe(2);
      const help = run('dash', [file, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: /);
    });
  });

  it('reports an error for a pattern POSIX grep cannot express, never a wrong verdict', () => {
    const lookahead: Checklist = {
      ...checklist,
      verify: [{ id: 'lookahead', title: 'x', run: 'echo ab', expect: { kind: 'stdout', pattern: 'a(?=b)' }, description: '' }],
    };
    const result = withFile('lookahead.sh', exportShellScript(lookahead), (file) => run('dash', [file]));
    expect(result.stdout).toMatch(/^ERROR  lookahead  pattern \/a\(\?=b\)\/ uses features POSIX grep lacks/m);
  });

  it('passes note text to the shell only as quoted data', () => {
    const hostile: Checklist = {
      ...checklist,
      advisory: { ...checklist.advisory, title: "It's $(touch /tmp/herald-pwned) `id`\nrm -rf /" },
      verify: [{ id: 'quote', title: "'; touch /tmp/herald-pwned; '", file: "/etc/'$(touch /tmp/herald-pwned)'", expect: { kind: 'absent', pattern: "'$(id)'" }, description: "'" }],
    };
    const result = withFile('hostile.sh', exportShellScript(hostile), (file) => run('dash', [file]));
    expect(result.stdout).toMatch(/^PASS   quote  /m);
    expect(run('test', ['-e', '/tmp/herald-pwned']).code).toBe(1);
  });
});

describe.skipIf(!!busyboxMissing)(`herald export sh with BusyBox${busyboxMissing ? ` (${busyboxMissing})` : ''}`, () => {
  it('runs every shell test above under BusyBox too, as on Alpine', () => {
    expect(shells.map((shell) => shell.name)).toContain(busybox.name);
  });
});
