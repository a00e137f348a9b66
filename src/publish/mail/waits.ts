/**
 * Says what a sending run waits for when it waits long, so a server that
 * stops answering is seen at once and not only when it is given up on:
 * once a wait reaches half its timeout or 30 s, whichever comes first, and
 * again after each such stretch, a line names what is awaited, how long
 * so far, and when herald gives up. Once the run is stopping (a first
 * Ctrl-C), a wait that lasts a second more is said at once, with what a
 * second Ctrl-C would leave: a message whose final dot has left uncertain,
 * anything else pending.
 */
import { formatDuration } from '../duration.ts';
import type { Session, Wait } from './transport.ts';

/** The longest a wait goes unreported. */
const reportEveryMs = 30_000;
/** How long a wait lasts, after the run began to stop, before it is said. */
const stoppingNoticeMs = 1000;
const tickMs = 250;

/** "waiting for the answer of … to the final dot of the message to …, 2 min so far (gives up after 10 min: timeouts.final_dot)" */
export function describeWait(wait: Wait, elapsedMs: number): string {
  return `waiting for ${wait.what}, ${formatDuration(elapsedMs)} so far (gives up after ${formatDuration(wait.limitMs)}: ${wait.setting})`;
}

/** "stopping once this is over: waiting for …; stopped again, herald quits at once and leaves that message uncertain" */
export function describeStoppingWait(wait: Wait, elapsedMs: number): string {
  const quitting = wait.finalDotLeft
    ? 'leaves that message uncertain (it may have been delivered: --resend-uncertain sends it again)'
    : 'leaves what waits for it pending (--resume sends it)';
  return `stopping once this is over: ${describeWait(wait, elapsedMs)}; stopped again, herald quits at once and ${quitting}`;
}

/**
 * Watches the sessions' waits and reports the long ones through `report`;
 * `stoppingSince` says when the run began to stop (`performance.now()`),
 * if it did. Returns the function that stops watching.
 */
export function watchWaits(sessions: readonly Session[], report: (text: string) => void, stoppingSince: () => number | undefined = () => undefined): () => void {
  /** Per session: the wait last seen, how many of its stretches were reported, and whether it was said while stopping. */
  const seen = new Map<Session, { wait: Wait; reported: number; toldStopping?: true }>();
  const timer = setInterval(() => {
    const now = performance.now();
    for (const session of sessions) {
      const wait = session.waiting?.();
      if (!wait) continue;
      let entry = seen.get(session);
      if (!entry || entry.wait.since !== wait.since || entry.wait.what !== wait.what) {
        entry = { wait, reported: 0 };
        seen.set(session, entry);
      }
      const stretches = Math.floor((now - wait.since) / Math.min(reportEveryMs, wait.limitMs / 2));
      const stopping = stoppingSince();
      if (stopping !== undefined && !entry.toldStopping && now - Math.max(stopping, wait.since) >= stoppingNoticeMs) {
        entry.toldStopping = true;
        entry.reported = stretches;
        report(describeStoppingWait(wait, now - wait.since));
      } else if (stretches > entry.reported) {
        entry.reported = stretches;
        report(describeWait(wait, now - wait.since));
      }
    }
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
