/**
 * Runs one verify command: `/bin/sh -c <command>` in its own process group,
 * stdin closed, a minimal environment, a timeout that kills the whole group,
 * and output capped so a runaway command cannot exhaust memory.
 */
import { spawn } from 'node:child_process';
import { commandPath } from '../export/common.ts';

export interface CommandLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

export type CommandOutcome =
  | { kind: 'exited'; code: number; stdout: string; stderr: string }
  | { kind: 'signalled'; signal: string; stdout: string; stderr: string }
  | { kind: 'timed-out' }
  | { kind: 'output-too-large' }
  | { kind: 'spawn-failed'; message: string };

/** The environment every command gets: nothing of herald's own (no tokens, no passwords). */
export const commandEnvironment: Readonly<Record<string, string>> = Object.freeze({ PATH: commandPath, LC_ALL: 'C' });

export function runCommand(command: string, limits: CommandLimits): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: '/',
      env: { ...commandEnvironment },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let verdict: CommandOutcome | undefined;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxOutputBytes) {
        verdict ??= { kind: 'output-too-large' };
        killGroup();
        return;
      }
      chunks.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = setTimeout(() => {
      verdict ??= { kind: 'timed-out' };
      killGroup();
    }, limits.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ kind: 'spawn-failed', message: error.message });
    });
    // Children that outlive the shell (e.g. `sleep 100 &`) go with it: they
    // hold the output pipes open, so 'close' would wait for them until the timeout.
    child.on('exit', killGroup);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (verdict) return resolve(verdict);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      if (signal) resolve({ kind: 'signalled', signal, stdout: out, stderr: err });
      else resolve({ kind: 'exited', code: code ?? 0, stdout: out, stderr: err });
    });
  });
}
