/**
 * What the sending loop needs from a transport: sessions (one per
 * parallel connection) that deliver prepared bytes to one envelope
 * recipient and say how a failure should be treated.
 */
import type { PreparedMessage } from './prepare.ts';

/**
 * - `transient`: a 4xx reply or a lost connection; retried with backoff,
 *   unless the message may have arrived (`maybeDelivered`).
 * - `permanent`: a 5xx reply; the delivery is marked failed with the reply.
 * - `fatal`: the transport cannot work at all (TLS refused, bad password);
 *   the run stops and what is left stays pending for a later `--resume`.
 * - `interrupted`: the run was interrupted (Ctrl-C) before the delivery was
 *   started; it was never attempted, and stays pending.
 */
export type FailureKind = 'transient' | 'permanent' | 'fatal' | 'interrupted';

/** How a delivery failed, as the sending loop needs to know it. */
export class DeliveryError extends Error {
  readonly kind: FailureKind;
  /** The server's reply or the connection error, as received. */
  readonly reply: string;
  /**
   * True when the final dot was sent and then went unanswered or the
   * connection dropped: the server has the whole message and may be
   * delivering it. Never retried (a second copy; for a list, one to every
   * member): left uncertain, for `--resend-uncertain`.
   */
  readonly maybeDelivered: boolean;
  /** When the failed attempt began (`performance.now()`: its envelope written, or its connection opening), if the transport knows. */
  startedAt: number | undefined;
  constructor(kind: FailureKind, reply: string, maybeDelivered = false) {
    super(reply);
    this.name = 'DeliveryError';
    this.kind = kind;
    this.reply = reply;
    this.maybeDelivered = maybeDelivered;
  }
}

/** What a session waits for now, for progress output. */
export interface Wait {
  /** A noun phrase: "the answer of smtp.example.org:587 to the final dot of the message to a@example.net". */
  what: string;
  /** Since when (`performance.now()`). */
  since: number;
  /** How long it waits at most, and the setting that says so. */
  limitMs: number;
  setting: string;
  /** The wait is for the answer to a final dot that has left: the message may be delivered whatever herald does now. */
  finalDotLeft?: true;
}

/** One connection's worth of deliveries, used by one loop at a time. */
export interface Session {
  /**
   * Delivers `message` to `recipient`; resolves with the server's final
   * reply, rejects with DeliveryError. May be called again before earlier
   * deliveries settle: a session takes them in the order given.
   */
  deliver(message: PreparedMessage, envelopeFrom: string, recipient: string): Promise<string>;
  /**
   * The run is interrupted: every delivery given and not yet started (none
   * of it written to the server) fails at once as `interrupted`, and so does
   * any given later. Deliveries already on the wire get their replies.
   */
  interrupt?(): void;
  /** What it waits for now (a server's answer, a connection), if anything; a transport that never waits need not say. */
  waiting?(): Wait | undefined;
  /** The delivery whose final dot has left and whose answer has not come, if any: the one that may arrive without herald knowing. */
  awaitingFinalAnswer?(): { message: PreparedMessage; recipient: string } | undefined;
  close(): Promise<void>;
}

/** A way to deliver prepared messages. */
export interface Transport {
  /** `file` or `smtp`, for logs. */
  name: string;
  /** Where messages go, for the summary (never includes a password). */
  target: string;
  /** How many sessions to run in parallel. */
  parallel: number;
  openSession(): Session;
}
