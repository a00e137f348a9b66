/**
 * The sending loop. Each session (connection) takes a small batch of
 * deliveries, records them `sending` with one shared fdatasync, then hands
 * them to the server one by one while the next batch is being recorded;
 * `sent` is recorded after each 250. A 4xx
 * or a lost connection is retried with exponential backoff; a 5xx is
 * recorded `failed` with the server's reply; a fatal transport error
 * stops the run and returns what was not attempted to `pending`.
 */
import type { Ledger, LedgerRecord } from './ledger.ts';
import type { PreparedMessage } from './prepare.ts';
import type { Progress } from './progress.ts';
import { RateLimiter } from './rate-limit.ts';
import { DeliveryError, type Session, type Transport } from './transport.ts';

/**
 * Deliveries a session marks `sending` at once. Larger batches share more
 * of each fdatasync; after a crash at most two batches per connection (the
 * one on the wire and the next, already marked) are left uncertain.
 */
export const batchSize = 8;

/** One message to one recipient. */
export interface Delivery {
  /** The edition label, the ledger's key with `recipient`. */
  edition: string;
  message: PreparedMessage;
  recipient: string;
  /** Attempts so far, this run and earlier ones. */
  attempts: number;
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
  progress: Progress;
  /** Timestamps of ledger records. */
  clock: () => Date;
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
  /** Retried after the connection dropped mid-transaction: the receiver may hold two copies (same Message-ID). */
  possibleDuplicates: { edition: string; recipient: string }[];
  /** Why the run stopped early, when a fatal transport error stopped it. */
  stopped?: string;
  /** Deliveries never attempted because the run stopped. */
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
  const later: { delivery: Delivery; at: number }[] = [];
  const rate = new RateLimiter(options.rateLimit);
  const result: RunResult = { sent: 0, failed: [], retried: 0, possibleDuplicates: [], notAttempted: 0 };
  const retriedKeys = new Set<string>();
  let active = 0;
  let stopped: string | undefined;
  const total = ready.length;
  const counts = () => ({ done: result.sent + result.failed.length, sent: result.sent, failed: result.failed.length, retrying: later.length });

  const record = (delivery: Delivery, state: LedgerRecord['state'], extra: Partial<LedgerRecord> = {}): LedgerRecord => ({
    at: clock().toISOString(),
    edition: delivery.edition,
    to: delivery.recipient,
    state,
    list: delivery.message.audience.name,
    messageId: delivery.message.messageId,
    ...extra,
  });

  const take = (): Delivery[] => {
    const now = performance.now();
    for (let i = later.length - 1; i >= 0; i -= 1) {
      if (later[i]!.at <= now) ready.push(later.splice(i, 1)[0]!.delivery);
    }
    return ready.splice(0, batchSize);
  };

  const handleFailure = (delivery: Delivery, error: DeliveryError) => {
    delivery.attempts += 1;
    if (error.kind === 'permanent' || delivery.attempts >= options.retry.attempts) {
      ledger.append([record(delivery, 'failed', { attempts: delivery.attempts, reply: error.reply })]);
      result.failed.push({ edition: delivery.edition, recipient: delivery.recipient, attempts: delivery.attempts, reply: error.reply });
      return;
    }
    ledger.append([record(delivery, 'retry', { attempts: delivery.attempts, reply: error.reply })]);
    const key = `${delivery.edition}\u0000${delivery.recipient}`;
    if (!retriedKeys.has(key)) {
      retriedKeys.add(key);
      result.retried += 1;
    }
    if (error.maybeDelivered) result.possibleDuplicates.push({ edition: delivery.edition, recipient: delivery.recipient });
    later.push({ delivery, at: performance.now() + backoffDelay(options.retry, delivery.attempts) });
  };

  /** Takes the next batch and makes its `sending` records durable. */
  const claim = async (): Promise<Delivery[]> => {
    const batch = take();
    if (batch.length === 0) return batch;
    active += batch.length;
    ledger.append(batch.map((delivery) => record(delivery, 'sending')));
    await ledger.sync();
    return batch;
  };

  /** Marked `sending` but never handed to the server: back to pending, not uncertain. */
  const release = (deliveries: readonly Delivery[]) => {
    ledger.append(deliveries.map((d) => record(d, 'pending')));
    result.notAttempted += deliveries.length;
    active -= deliveries.length;
  };

  const work = async (session: Session) => {
    let next = claim();
    for (;;) {
      const batch = await next;
      if (stopped !== undefined) return release(batch);
      if (batch.length === 0) {
        if (later.length === 0 && active === 0) return;
        const wake = later.length > 0 ? Math.max(1, Math.min(...later.map((l) => l.at)) - performance.now()) : 20;
        await sleep(Math.min(wake, 250));
        next = claim();
        continue;
      }
      // The next batch is made durable while this one is on the wire, so no connection waits for the disk.
      next = claim();
      for (let index = 0; index < batch.length; index += 1) {
        const delivery = batch[index]!;
        if (stopped !== undefined) {
          release(batch.slice(index));
          break;
        }
        await rate.acquire();
        try {
          const reply = await session.deliver(delivery.message, options.envelopeFrom, delivery.recipient);
          ledger.append([record(delivery, 'sent', { attempts: delivery.attempts + 1, reply })], { soon: true });
          result.sent += 1;
        } catch (error) {
          if (!(error instanceof DeliveryError)) throw error;
          if (error.kind === 'fatal') {
            stopped ??= error.reply;
            ledger.append([record(delivery, 'pending', { reply: error.reply })]);
            result.notAttempted += 1;
          } else handleFailure(delivery, error);
        }
        active -= 1;
        progress.update(counts());
      }
    }
  };

  progress.start(total);
  const sessions = Array.from({ length: Math.max(1, Math.min(options.transport.parallel, total)) }, () => options.transport.openSession());
  try {
    await Promise.all(sessions.map(work));
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
    progress.finish();
    await ledger.sync();
  }
  if (stopped !== undefined) {
    // Waiting for a retry is not in flight: its last attempt failed, so it is pending again.
    ledger.append(later.map((l) => record(l.delivery, 'pending')));
    result.notAttempted += ready.length + later.length;
    result.stopped = stopped;
    await ledger.sync();
  }
  return result;
}
