/** Runs the herald CLI in-process with captured streams and an injected clock, or a command as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import type { CliContext } from '../../src/cli/context.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { cwd?: string; now?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const context: CliContext = {
    cwd: options.cwd ?? process.cwd(),
    stdout,
    stderr,
    env: options.env ?? process.env,
    now: () => new Date(options.now ?? '2026-01-15T12:00:00Z'),
    interactive: false,
    exitCode: 0,
  };
  const code = await main(['node', 'herald', ...args], context);
  return { code, stdout: out, stderr: err };
}

export interface SpawnedRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts `command` as a child process, its output collected as it comes. */
export function spawnCollected(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): SpawnedRun {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}
