/**
 * Says what a sending run waits for when it waits long, so a server that
 * stops answering is seen at once and not only when it is given up on:
 * once a wait reaches half its timeout or 30 s, whichever comes first, and
 * again after each such stretch, a line names what is awaited, how long
 * so far, and when herald gives up.
 */
import { formatDuration } from '../duration.ts';
import type { Session, Wait } from './transport.ts';

/** The longest a wait goes unreported. */
const reportEveryMs = 30_000;
const tickMs = 250;

/** "waiting for the answer of … to the final dot of the message to …, 2 min so far (gives up after 10 min: timeouts.final_dot)" */
export function describeWait(wait: Wait, elapsedMs: number): string {
  return `waiting for ${wait.what}, ${formatDuration(elapsedMs)} so far (gives up after ${formatDuration(wait.limitMs)}: ${wait.setting})`;
}

/** Watches the sessions' waits and reports the long ones through `report`; returns the function that stops watching. */
export function watchWaits(sessions: readonly Session[], report: (text: string) => void): () => void {
  /** Per session: the wait last seen, and how many of its stretches were reported. */
  const seen = new Map<Session, { wait: Wait; reported: number }>();
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
      if (stretches > entry.reported) {
        entry.reported = stretches;
        report(describeWait(wait, now - wait.since));
      }
    }
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
