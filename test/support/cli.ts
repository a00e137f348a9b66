/** Runs the herald CLI in-process with captured streams and an injected clock. */
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
