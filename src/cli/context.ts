/**
 * What a command needs from the outside world, injected so tests can run
 * commands in-process: the working directory, streams, environment, clock.
 */
import { Writable } from 'node:stream';

export interface CliContext {
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** The injected clock. `HERALD_NOW` (ISO date-time) pins it for reproducible builds. */
  now(): Date;
  /** True when stderr is an interactive terminal (progress bars, colours). */
  interactive: boolean;
  /** Set by a command's action: 0 success, 1 findings or failure. Usage errors are 2. */
  exitCode: number;
}

export function processContext(): CliContext {
  quietWhenReaderLeaves(process.stdout);
  quietWhenReaderLeaves(process.stderr);
  const pinned = process.env.HERALD_NOW ? new Date(process.env.HERALD_NOW) : undefined;
  return {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => (pinned && !Number.isNaN(pinned.getTime()) ? new Date(pinned) : new Date()),
    interactive: Boolean(process.stderr.isTTY),
    exitCode: 0,
  };
}

const quieted = new WeakSet<NodeJS.WriteStream>();

/**
 * A reader that stops reading (`herald list | head`, a pager quit early)
 * closes the pipe: writing then fails with EPIPE, which Node would throw as
 * an unhandled error with a stack trace. What is left to say is dropped
 * (Node ignores writes to the closed stream) and the command goes on to its
 * end and its own exit code: a `send` or `publish` is never cut short
 * because its output is no longer read.
 */
function quietWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** Write a line to a stream. */
export function println(stream: Writable, text = ''): void {
  stream.write(text + '\n');
}
