/**
 * Ctrl-C (SIGINT) and SIGTERM for a command that stops cleanly: the first
 * signal aborts `signal` (its reason is the signal's name) after saying
 * `stopping` on stderr; a second one aborts `quit` (whose listeners run
 * then, synchronously: their last chance to write down what they leave)
 * and quits at once, with the exit code a shell reports for a process the
 * signal stopped.
 */
import type { CliContext } from './context.ts';

export interface Interruptible {
  signal: AbortSignal;
  /** Aborted by the second signal, just before the process exits. */
  quit: AbortSignal;
  /** The exit code for the signal that aborted `signal`. */
  exitCode: () => number;
  /** Stops listening: the default handling (quit at once) comes back. */
  dispose: () => void;
}

export function interruptible(context: CliContext, stopping: string): Interruptible {
  const stop = new AbortController();
  const quit = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      quit.abort(signal);
      process.exit(exitCodeOnSignal(signal));
    }
    context.stderr.write(`${stopping}\n`);
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    quit: quit.signal,
    exitCode: () => exitCodeOnSignal(stop.signal.reason as NodeJS.Signals),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** 128 and the signal's number, as a shell reports a process it stopped. */
function exitCodeOnSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
