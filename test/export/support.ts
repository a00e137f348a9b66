/** Running the exports for real, and reading their verdicts back. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckStatus } from '../../src/check/evaluate.ts';

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
