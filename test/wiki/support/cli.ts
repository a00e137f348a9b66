/** Runs herald in-process with an injected context, as the CLI would. */
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main.ts';
import type { CliContext } from '../../../src/cli/context.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

export async function runHerald(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; now: Date }): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const context: CliContext = {
    cwd: options.cwd,
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
    now: () => new Date(options.now),
    interactive: false,
    exitCode: 0,
  };
  const code = await main(['node', 'herald', ...args], context);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
