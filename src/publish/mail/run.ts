/**
 * The sending loop. Each session (connection) keeps a window of
 * deliveries marked `sending`: whenever a few have their outcome, it
 * claims the next few, and every claim made while a sync runs shares the
 * next fdatasync (group commit). A delivery is handed to the session only
 * once its `sending` record is durable; the session pipelines what it is
 * given, so the connection does not wait for the disk. `sent` is recorded
 * after each 250. A 4xx or a connection lost before the final dot is
 * retried with backoff while the message's time lasts (`messageTimeMs`); a
 * 5xx is recorded `failed` with the server's reply. An attempt that may
 * have arrived (the final dot sent, then no answer or the connection lost)
 * is never retried: it stays `sending`, uncertain, for
 * `--resend-uncertain`. A fatal transport error stops the run and returns
 * what was not attempted to `pending`. So does an interruption (`signal`,
 * Ctrl-C), after the deliveries already on the wire have their replies;
 * quitting at once (`quit`, a second Ctrl-C) records, before the process
 * ends, a delivery whose final dot had left as uncertain and every other
 * one marked `sending` as pending.
 */
import type { Ledger, LedgerRecord } from './ledger.ts';
import type { PreparedMessage } from './prepare.ts';
import type { Progress } from './progress.ts';
import { RateLimiter } from './rate-limit.ts';
import { DeliveryError, type Session, type Transport } from './transport.ts';
import { watchWaits } from './waits.ts';

/** Deliveries a session claims at once: its window is refilled this many at a time. */
export const batchSize = 4;

/**
 * Deliveries a session holds marked `sending` without an outcome yet. It
 * has to cover the deliveries a connection makes during one fdatasync;
 * after a crash these (with the `sent` records of the last few
 * milliseconds) are all that can be left uncertain per connection.
 */
export const windowSize = 16;

/** One message to one recipient. */
export interface Delivery {
  /** The edition label, the ledger's key with `recipient`. */
  edition: string;
  message: PreparedMessage;
  recipient: string;
  /** Attempts so far, this run and earlier ones. */
  attempts: number;
  /** When its first failed attempt of this run began (`performance.now()`): its time limit counts from there. */
  firstTriedAt?: number;
}

/** `mail.retry` from the config. */
export interface RetryPolicy {
  attempts: number;
  initial_delay_ms: number;
  max_delay_ms: number;
}

/** Everything one run of deliveries needs. */
export interface RunOptions {
  deliveries: readonly Delivery[];
  ledger: Ledger;
  transport: Transport;
  envelopeFrom: string;
  retry: RetryPolicy;
  /** Messages per second at most, 0 for no limit. */
  rateLimit: number;
  /**
   * The most time one delivery may take over its attempts, in ms
   * (`mail.smtp.timeouts.message`): no attempt starts after it. An attempt
   * under way is not cut short; its transport's timeouts end it. No limit
   * when absent.
   */
  messageTimeMs?: number | undefined;
  progress: Progress;
  /** Timestamps of ledger records. */
  clock: () => Date;
  /** Aborted to interrupt the run: nothing more is started, and what is on the wire is finished. Its reason names the signal. */
  signal?: AbortSignal;
  /**
   * Aborted when the process quits at once, after `signal` (a second
   * Ctrl-C): its listener writes the ledger's last records synchronously.
   */
  quit?: AbortSignal;
}

/** A delivery given up on, with the server's last reply. */
export interface FailedDelivery {
  edition: string;
  recipient: string;
  attempts: number;
  reply: string;
}

/** What a run did. */
export interface RunResult {
  sent: number;
  failed: FailedDelivery[];
  /** Deliveries that needed more than one attempt. */
  retried: number;
  /**
   * An attempt that may have arrived (the final dot sent, then no answer or
   * the connection lost): never retried, recorded `sending`, not `failed`,
   * so that neither this run nor `--resume` sends a second copy unasked
   * (`--resend-uncertain` does).
   */
  uncertain: FailedDelivery[];
  /** Why the run stopped early, when a fatal transport error stopped it. */
  stopped?: string;
  /** The signal's reason, when the run was interrupted. */
  interrupted?: string;
  /** Deliveries never attempted because the run stopped or was interrupted. */
  notAttempted: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with a little jitter, so connections do not retry in lockstep. */
export function backoffDelay(policy: RetryPolicy, attempts: number): number {
  const base = Math.min(policy.max_delay_ms, policy.initial_delay_ms * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Runs the deliveries over `transport.parallel` sessions; never throws for a delivery failure. */
export async function runDeliveries(options: RunOptions): Promise<RunResult> {
  const { ledger, progress, clock } = options;
  const ready: Delivery[] = [...options.deliveries];
  /** Waiting for a retry. */
  const later: { delivery: Delivery; at: number }[] = [];
  const rate = new RateLimiter(options.rateLimit);
  const result: RunResult = { sent: 0, failed: [], retried: 0, uncertain: [], notAttempted: 0 };
  const retriedKeys = new Set<string>();
  let active = 0;
  let stopped: string | undefined;
  let interrupted: string | undefined;
  /** When the run began to stop after an interruption (`performance.now()`). */
  let interruptedAt: number | undefined;
  /** Marked `sending` by this run, with no outcome yet: what quitting at once must account for. */
  const unsettled = new Set<Delivery>();
  /** Nothing more is started: a fatal error, or an interruption. */
  const halted = () => stopped !== undefined || interrupted !== undefined;
  const total = ready.length;
  const counts = () => ({ done: result.sent + result.failed.length + result.uncertain.length, sent: result.sent, failed: result.failed.length, retrying: later.length });

  const record = (delivery: Delivery, state: LedgerRecord['state'], extra: Partial<LedgerRecord> = {}): LedgerRecord => ({
    at: clock().toISOString(),
    edition: delivery.edition,
    to: delivery.recipient,
    state,
    list: delivery.message.audience.name,
    messageId: delivery.message.messageId,
    ...extra,
  });

  // `ready` is a queue read from `head`: a splice from its front would move every later element.
  let head = 0;
  const take = (): Delivery[] => {
    if (later.length > 0) {
      const now = performance.now();
      for (let i = later.length - 1; i >= 0; i -= 1) {
        if (later[i]!.at <= now) ready.push(later.splice(i, 1)[0]!.delivery);
      }
    }
    const batch = ready.slice(head, head + batchSize);
    head += batch.length;
    if (head > 4096 && head * 2 > ready.length) {
      ready.splice(0, head);
      head = 0;
    }
    return batch;
  };

  /** Why no attempt is left within the message's time, or undefined when the next (after `delay`) still fits. */
  const outOfTime = (delivery: Delivery, delay: number): string | undefined => {
    const limit = options.messageTimeMs;
    if (limit === undefined || delivery.firstTriedAt === undefined || performance.now() + delay - delivery.firstTriedAt < limit) return undefined;
    return `no attempt left within timeouts.message (${limit / 1000} s from the first)`;
  };

  const handleFailure = (delivery: Delivery, error: DeliveryError) => {
    delivery.attempts += 1;
    // The server may hold it and be delivering it: a retry would be a second copy (for a list, one to every member).
    if (error.maybeDelivered) {
      ledger.append([record(delivery, 'sending', { attempts: delivery.attempts, reply: error.reply })]);
      result.uncertain.push({ edition: delivery.edition, recipient: delivery.recipient, attempts: delivery.attempts, reply: error.reply });
      return;
    }
    // Not from when it was handed over: it may have waited behind a stalled message without being tried.
    delivery.firstTriedAt ??= error.startedAt ?? performance.now();
    const delay = backoffDelay(options.retry, delivery.attempts);
    const final = error.kind === 'permanent' || delivery.attempts >= options.retry.attempts;
    const late = final ? undefined : outOfTime(delivery, delay);
    if (final || late) {
      const reply = late ? `${error.reply}; ${late}` : error.reply;
      ledger.append([record(delivery, 'failed', { attempts: delivery.attempts, reply })]);
      result.failed.push({ edition: delivery.edition, recipient: delivery.recipient, attempts: delivery.attempts, reply });
      return;
    }
    ledger.append([record(delivery, 'retry', { attempts: delivery.attempts, reply: error.reply })]);
    const key = `${delivery.edition}\u0000${delivery.recipient}`;
    if (!retriedKeys.has(key)) {
      retriedKeys.add(key);
      result.retried += 1;
    }
    later.push({ delivery, at: performance.now() + delay });
  };

  /** Marked `sending` but never handed to the server: back to pending, not uncertain. */
  const release = (deliveries: readonly Delivery[]) => {
    for (const delivery of deliveries) unsettled.delete(delivery);
    ledger.append(deliveries.map((d) => record(d, 'pending')));
    result.notAttempted += deliveries.length;
    active -= deliveries.length;
  };

  const settle = (delivery: Delivery, outcome: string | DeliveryError) => {
    unsettled.delete(delivery);
    if (typeof outcome === 'string') {
      ledger.append([record(delivery, 'sent', { attempts: delivery.attempts + 1, reply: outcome })], { soon: true });
      result.sent += 1;
    } else if (outcome.kind === 'fatal') {
      stopped ??= outcome.reply;
      ledger.append([record(delivery, 'pending', { reply: outcome.reply })]);
      result.notAttempted += 1;
    } else if (outcome.kind === 'interrupted') {
      ledger.append([record(delivery, 'pending')]);
      result.notAttempted += 1;
    } else handleFailure(delivery, outcome);
    active -= 1;
    progress.update(counts());
  };

  /** An error that is not a delivery's outcome (the ledger failing): every session stops, the run throws it. */
  let broken: { error: unknown } | undefined;

  const work = async (session: Session) => {
    /** This session's deliveries marked `sending` and without an outcome yet. */
    let open = 0;
    let wake: (() => void) | undefined;
    const done = (count: number) => {
      open -= count;
      if (wake && open + batchSize <= windowSize) wake();
    };
    const roomOrDone = () =>
      new Promise<void>((resolve) => {
        wake = () => {
          wake = undefined;
          resolve();
        };
      });

    /** Waits for the claim's `sending` records to be durable, then gives the deliveries to the session. */
    const handOver = async (deliveries: readonly Delivery[], durable: Promise<void>) => {
      try {
        await durable;
      } catch (error) {
        broken ??= { error };
        active -= deliveries.length;
        return done(deliveries.length);
      }
      for (let index = 0; index < deliveries.length; index += 1) {
        if (rate.limited) await rate.acquire();
        if (halted() || broken) {
          release(deliveries.slice(index));
          return done(deliveries.length - index);
        }
        const delivery = deliveries[index]!;
        void session
          .deliver(delivery.message, options.envelopeFrom, delivery.recipient)
          .then(
            (reply) => settle(delivery, reply),
            (error: unknown) => {
              if (!(error instanceof DeliveryError)) throw error;
              settle(delivery, error);
            },
          )
          .catch((error: unknown) => {
            broken ??= { error };
          })
          .finally(() => done(1));
      }
    };

    while (!halted() && !broken) {
      const claimed: Delivery[] = [];
      while (open + claimed.length + batchSize <= windowSize) {
        const batch = take();
        if (batch.length === 0) break;
        claimed.push(...batch);
      }
      if (claimed.length > 0) {
        open += claimed.length;
        active += claimed.length;
        for (const delivery of claimed) unsettled.add(delivery);
        // Every claim made now, in any session, shares the next fdatasync.
        ledger.append(claimed.map((delivery) => record(delivery, 'sending')));
        void handOver(claimed, ledger.sync());
      } else if (open === 0) {
        if (later.length === 0 && active === 0) break;
        const soonest = later.length > 0 ? Math.max(1, Math.min(...later.map((l) => l.at)) - performance.now()) : 20;
        await sleep(Math.min(soonest, 250));
        continue;
      }
      await roomOrDone();
    }
    while (open > 0) await roomOrDone();
  };

  progress.start(total);
  const sessions = Array.from({ length: Math.max(1, Math.min(options.transport.parallel, total)) }, () => options.transport.openSession());
  const interrupt = () => {
    interrupted ??= String(options.signal?.reason ?? 'interrupted');
    interruptedAt ??= performance.now();
    for (const session of sessions) session.interrupt?.();
  };
  if (options.signal?.aborted) interrupt();
  else options.signal?.addEventListener('abort', interrupt, { once: true });
  /** The process ends right after: the ledger gets the truth about what was on the wire, synchronously. */
  const quit = () => {
    const reason = String(options.quit?.reason ?? 'quit');
    const arriving = sessions.map((session) => session.awaitingFinalAnswer?.()).filter((each) => each !== undefined);
    const mayHaveArrived = (delivery: Delivery) => arriving.some((each) => each.message === delivery.message && each.recipient === delivery.recipient);
    const records = [...unsettled].map((delivery) =>
      mayHaveArrived(delivery)
        ? record(delivery, 'sending', { attempts: delivery.attempts + 1, reply: `herald quit (${reason}) while waiting for the answer to the final dot: it may have been delivered` })
        : record(delivery, 'pending'),
    );
    try {
      ledger.append(records);
    } catch {
      // A ledger the disk refuses: what it holds stands as after a crash (those on the wire uncertain).
      return;
    }
    const uncertain = records.filter((each) => each.state === 'sending').length;
    progress.waiting?.(
      `quit at once: ${uncertain} message(s) uncertain, their final dot sent and unanswered (--resend-uncertain sends them again); ${records.length - uncertain} back to pending (--resume sends them)`,
    );
  };
  options.quit?.addEventListener('abort', quit, { once: true });
  const stopWatching = watchWaits(sessions, (text) => progress.waiting?.(text), () => interruptedAt);
  try {
    await Promise.all(sessions.map(work));
    if (broken) throw broken.error;
  } finally {
    stopWatching();
    options.signal?.removeEventListener('abort', interrupt);
    options.quit?.removeEventListener('abort', quit);
    await Promise.all(sessions.map((session) => session.close()));
    progress.finish();
    await ledger.sync();
  }
  if (halted()) {
    // Waiting for a retry is not in flight: its last attempt failed before the message could arrive, so it is pending again.
    ledger.append(later.map((l) => record(l.delivery, 'pending')));
    result.notAttempted += ready.length - head + later.length;
    if (stopped !== undefined) result.stopped = stopped;
    if (interrupted !== undefined) result.interrupted = interrupted;
    await ledger.sync();
  }
  return result;
}
