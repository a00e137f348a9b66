/** Running the exports for real, and reading their verdicts back. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckStatus } from '../../src/check/evaluate.ts';
import { commandPath } from '../../src/export/common.ts';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Writes `text` to a temporary file, runs `use` with its path, removes it. */
export function withFile<T>(name: string, text: string, use: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-export-'));
  try {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    chmodSync(file, 0o755);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26, timeout: 300_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like `run`, without blocking, so slow tools (Ansible) can run side by side. */
export function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const marks: Record<string, CheckStatus> = { 'PASS ': 'pass', 'FAIL ': 'fail', ERROR: 'error', 'SKIP ': 'skipped' };

/** Verdicts from `herald check` text output, or the shell export's (the same lines). */
export function statusesFromText(output: string): Record<string, CheckStatus> {
  const statuses: Record<string, CheckStatus> = {};
  for (const line of output.split('\n')) {
    const match = /^(PASS |FAIL |ERROR|SKIP )  (\S+)  /.exec(line);
    if (match) statuses[match[2]!] = marks[match[1]!]!;
  }
  return statuses;
}

/**
 * A shell the shell export is run with: its command and flags, and the
 * script as it runs there, written in `dir`. BusyBox stands for an Alpine
 * host or an appliance, where sh, awk, grep and the rest are BusyBox
 * applets: the script sets its own PATH, so its PATH starts with a folder
 * of links to BusyBox (only for the tools the script runs itself: the
 * note's commands see the same programs as under herald check, /bin/sh
 * included).
 */
export interface Shell {
  name: 'dash' | 'bash' | 'busybox';
  command: string;
  flags: string[];
  script: (text: string, dir: string) => string;
}

/** Every program the shell export (src/export/sh/, ansible/dispatch.sh) runs besides sh. */
const scriptTools = ['awk', 'env', 'grep', 'head', 'mktemp', 'readlink', 'rm', 'sed', 'setsid', 'timeout', 'tr'];

export const dash: Shell = { name: 'dash', command: 'dash', flags: [], script: (text) => text };
export const bash: Shell = { name: 'bash', command: 'bash', flags: ['--posix'], script: (text) => text };
export const busybox: Shell = {
  name: 'busybox',
  command: 'busybox',
  flags: ['sh'],
  script: (text, dir) => {
    const line = `PATH=${commandPath}\n`;
    if (!text.includes(line)) throw new Error('the shell export no longer sets PATH as this test expects');
    const bin = path.join(dir, 'busybox-bin');
    mkdirSync(bin);
    const program = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
    for (const tool of scriptTools) symlinkSync(program, path.join(bin, tool));
    return text.replace(line, `PATH=${bin}:${commandPath}\n`);
  },
};

/** Writes the script for `shell` to a temporary folder and runs it there with `args`. */
export function runScript(shell: Shell, script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Run {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-export-'));
  try {
    const file = path.join(dir, `${shell.name}.sh`);
    writeFileSync(file, shell.script(script, dir));
    return run(shell.command, [...shell.flags, file, ...args], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A pattern that keeps grep busy for seconds on a line of one byte (nested
 * counted groups), yet ends: GNU grep over {1,16}, BusyBox grep (glibc's
 * regex) over {1,12}, each the longer the larger the counts. JavaScript
 * answers it at once.
 */
export function slowGrepPattern(grep: 'gnu' | 'busybox'): string {
  const k = grep === 'busybox' ? 12 : 16;
  return `(((a?){1,${k}}){1,${k}}){1,${k}}c`;
}

/** The detail of a match stopped after `seconds`, word for word as herald check says it. */
export const tooSlowDetail = (pattern: string, seconds: number) =>
  `matching /${pattern}/ took longer than ${seconds} s: the pattern backtracks without end on some line; make it simpler (no quantifier inside a repeated group)`;
