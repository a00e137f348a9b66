/**
 * The `smtp` transport: herald's own SMTP client (`smtp-connection.ts`),
 * one connection per parallel session (a pool of `pool_size`), each
 * reused for many messages. The pool is herald's own because the ledger
 * has to know exactly which message each reply belongs to.
 *
 * When the server offers PIPELINING (RFC 2920) a transaction's MAIL FROM,
 * RCPT TO and DATA leave in one write, and the next transaction's three
 * commands ride with this one's message data, so a message costs one
 * round trip instead of four. Replies are matched to commands strictly in
 * order. Without PIPELINING the commands go one at a time.
 *
 * TLS is required (STARTTLS or implicit) unless the config says
 * `allow_plaintext: true`.
 */
import os from 'node:os';
import type { SmtpConfig } from '../../config/schema.ts';
import type { PreparedMessage } from './prepare.ts';
import { ConnectionFailure, serverName, SmtpConnection, type ConnectionSettings, type ReplyTimeout } from './smtp-connection.ts';
import { dataSection, envelopeAddress, envelopeCommands, needsUtf8, type SmtpReply } from './smtp-protocol.ts';
import { DeliveryError, type Session, type Transport, type Wait } from './transport.ts';

/** The `smtp` config section and what resolving it needs. */
export interface SmtpTransportOptions {
  smtp: SmtpConfig;
  /** The CAs trusted, Node's and `ca_file`'s (`readCaFile`); Node's alone when absent. */
  ca?: readonly string[] | undefined;
  /** The password, read from the environment variable the config names. */
  password?: string | undefined;
}

function connectionSettings(options: SmtpTransportOptions): ConnectionSettings {
  const { smtp } = options;
  return {
    host: smtp.host,
    port: smtp.port,
    tls: smtp.tls,
    requireTls: !smtp.allow_plaintext,
    name: smtp.helo ?? os.hostname(),
    ca: options.ca ? [...options.ca] : undefined,
    user: smtp.user,
    password: options.password,
    timeouts: {
      connect: smtp.timeouts.connect * 1000,
      greeting: smtp.timeouts.greeting * 1000,
      command: smtp.timeouts.command * 1000,
      finalDot: smtp.timeouts.final_dot * 1000,
      data: smtp.timeouts.data * 1000,
    },
  };
}

/** One delivery handed to a session, from its queue to its final reply. */
interface Job {
  message: PreparedMessage;
  from: string;
  to: string;
  resolve: (reply: string) => void;
  reject: (error: DeliveryError) => void;
  /** The first refusal among MAIL FROM, RCPT TO and DATA. */
  refused?: SmtpReply | undefined;
  /** When its attempt began: its envelope written, or the connection it waited for opening. */
  startedAt?: number | undefined;
  /** Its data's last byte, the final dot, has left: from now on the server may have the whole message. */
  finalDotLeft?: true;
}

/** What the reply at the head of the line answers. */
type Expected = 'reset' | 'mail' | 'rcpt' | 'data' | 'final';

const kindOf = (reply: SmtpReply) => (reply.code >= 500 ? 'permanent' : 'transient');

/**
 * One connection's worth of deliveries. `deliver` may be called again
 * before the previous delivery settles: deliveries queue, and at most two
 * are on the wire, one awaiting the reply to its data and the next
 * awaiting the replies to its envelope.
 */
class SmtpSession implements Session {
  private readonly settings: ConnectionSettings;
  private connection: SmtpConnection | undefined;
  private opening = false;
  /** While opening: what the connection waits for. */
  private openingStep: Wait | undefined;
  /** Handed over, not yet written. */
  private readonly queue: Job[] = [];
  /** Envelope written, its replies awaited. */
  private envelope: Job | undefined;
  /** Data written, its final reply awaited. */
  private data: Job | undefined;
  /** Replies awaited, in order. */
  private expected: Expected[] = [];
  /** Without PIPELINING: the envelope commands still to write, one per reply. */
  private unsent: string[] = [];
  /** A transaction failed: the next envelope starts with RSET. */
  private needsReset = false;
  /** A fatal failure ends the session: every later delivery gets it too. */
  private fatal: DeliveryError | undefined;
  /** Set by `interrupt`: nothing more is started. */
  private interrupted = false;

  constructor(settings: ConnectionSettings) {
    this.settings = settings;
  }

  deliver(message: PreparedMessage, envelopeFrom: string, recipient: string): Promise<string> {
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      const job: Job = {
        message,
        from: envelopeFrom,
        to: recipient,
        resolve,
        reject: (error) => {
          error.startedAt = job.startedAt;
          reject(error);
        },
      };
      this.queue.push(job);
      this.pump();
    });
  }

  interrupt(): void {
    this.interrupted = true;
    this.pump();
  }

  waiting(): Wait | undefined {
    if (this.opening) return this.openingStep;
    const awaited = this.connection?.awaited();
    const head = this.expected[0];
    if (!awaited || head === undefined) return undefined;
    const server = serverName(this.settings);
    if (awaited.sending) {
      const taking = this.data && !this.data.finalDotLeft ? `the data of the message to ${this.data.to}` : 'herald\u2019s commands';
      return { what: `${server} to take ${taking}`, since: awaited.since, limitMs: awaited.timeout.ms, setting: awaited.timeout.setting };
    }
    const to = head === 'final' ? this.data?.to : this.envelope?.to;
    const command = { reset: 'RSET', mail: 'MAIL FROM', rcpt: 'RCPT TO', data: 'DATA', final: 'the final dot' }[head];
    return {
      what: `the answer of ${server} to ${command}${to === undefined || head === 'reset' ? '' : ` of the message to ${to}`}`,
      since: awaited.since,
      limitMs: awaited.timeout.ms,
      setting: awaited.timeout.setting,
      ...(head === 'final' && this.data?.finalDotLeft ? { finalDotLeft: true as const } : {}),
    };
  }

  awaitingFinalAnswer(): { message: PreparedMessage; recipient: string } | undefined {
    return this.data?.finalDotLeft ? { message: this.data.message, recipient: this.data.to } : undefined;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.quit();
  }

  /** Starts the next envelope if the line has room for it, opening a connection first if needed. */
  private pump(): void {
    if (this.interrupted) {
      // Never written, not even in part: not attempted. An envelope put back after a lost connection is among them.
      for (const job of this.queue.splice(0)) job.reject(new DeliveryError('interrupted', 'not sent: the run was interrupted'));
      return;
    }
    if (this.queue.length === 0 || this.envelope) return;
    const connection = this.connection;
    if (!connection) {
      if (!this.opening) void this.open();
      return;
    }
    if (this.data && !connection.pipelining) return;
    const job = this.queue.shift()!;
    const from = envelopeAddress(job.from);
    const to = envelopeAddress(job.to);
    const utf8 = needsUtf8(job.from) || needsUtf8(job.to);
    if (from === undefined || to === undefined) {
      job.reject(new DeliveryError('permanent', `not an address SMTP can carry: ${JSON.stringify(from === undefined ? job.from : job.to)}`));
      return this.pump();
    }
    if (utf8 && !connection.utf8) {
      job.reject(new DeliveryError('permanent', `the server does not accept internationalized addresses (no SMTPUTF8): ${utf8 && needsUtf8(job.to) ? job.to : job.from}`));
      return this.pump();
    }
    this.envelope = job;
    job.startedAt = performance.now();
    const commands = envelopeCommands(from, to, utf8);
    const reset = this.needsReset;
    this.needsReset = false;
    if (connection.pipelining) {
      if (reset) this.expected.push('reset');
      this.expected.push('mail', 'rcpt', 'data');
      connection.write(reset ? `RSET\r\n${commands}` : commands);
      return;
    }
    const [mail, rcpt, data] = commands.split(/(?<=\r\n)/);
    this.unsent = [mail!, rcpt!, data!];
    if (reset) {
      this.expected.push('reset');
      connection.write('RSET\r\n');
    } else this.writeNext();
  }

  /** Without PIPELINING: writes the next envelope command, expecting its reply. */
  private writeNext(): void {
    const command = this.unsent.shift();
    if (command === undefined) return;
    this.expected.push(command.startsWith('MAIL') ? 'mail' : command.startsWith('RCPT') ? 'rcpt' : 'data');
    this.connection!.write(command);
  }

  private async open(): Promise<void> {
    this.opening = true;
    const began = performance.now();
    try {
      const connection = await SmtpConnection.open(this.settings, (what, timeout) => {
        this.openingStep = { what, since: performance.now(), limitMs: timeout.ms, setting: timeout.setting };
      });
      connection.attach(this.onReply, (error) => this.onLoss(connection, error));
      connection.setReplyTimeout(this.replyTimeout);
      this.connection = connection;
      this.needsReset = false;
    } catch (error) {
      const failure = error as ConnectionFailure;
      if (failure.kind === 'fatal') this.fatal = new DeliveryError(failure.kind, failure.message);
      // Nothing was handed over: every waiting delivery fails as its own attempt would have, begun with the opening.
      for (const job of this.queue.splice(0)) {
        job.startedAt = began;
        job.reject(new DeliveryError(failure.kind, failure.message));
      }
    } finally {
      this.opening = false;
      this.openingStep = undefined;
    }
    this.pump();
  }

  /** The final dot's answer may take longer than a command's: the server is delivering the message (RFC 5321 4.5.3.2). */
  private readonly replyTimeout = (): ReplyTimeout => {
    const { timeouts } = this.settings;
    return this.expected[0] === 'final' ? { ms: timeouts.finalDot, setting: 'timeouts.final_dot' } : { ms: timeouts.command, setting: 'timeouts.command' };
  };

  private readonly onReply = (reply: SmtpReply): void => {
    const expected = this.expected.shift();
    // 421: the server is closing the connection, whatever the command was.
    if (expected === undefined || reply.code === 421) return this.serverClosing(reply);
    if (expected === 'reset') {
      if (reply.code >= 300) {
        this.requeueEnvelope();
        return this.connection?.lose(new Error(`RSET refused: ${reply.text}`));
      }
      return this.writeNext();
    }
    if (expected === 'final') return this.finalReply(reply);
    const job = this.envelope!;
    if (expected !== 'data') {
      if (reply.code >= 300) job.refused ??= reply;
      // One at a time, a refusal ends the envelope: nothing more is written for it.
      if (this.connection?.pipelining === false && job.refused) return this.endEnvelope(job, job.refused);
      return this.writeNext();
    }
    if (job.refused || reply.code !== 354) {
      // A server that says 354 to DATA with no recipient accepted is out of step; the message is not sent to it.
      if (reply.code === 354) {
        this.envelope = undefined;
        job.reject(new DeliveryError(kindOf(job.refused!), job.refused!.text));
        return this.connection?.lose(new Error('the server accepted DATA after refusing the envelope'));
      }
      return this.endEnvelope(job, job.refused ?? reply);
    }
    this.envelope = undefined;
    this.data = job;
    this.expected.push('final');
    this.connection!.write(dataSection(job.message.bytes), () => {
      job.finalDotLeft = true;
    });
    this.pump();
  };

  private endEnvelope(job: Job, refusal: SmtpReply): void {
    this.envelope = undefined;
    this.needsReset = true;
    job.reject(new DeliveryError(kindOf(refusal), refusal.text));
    this.pump();
  }

  private finalReply(reply: SmtpReply): void {
    const job = this.data!;
    this.data = undefined;
    if (reply.code < 300) job.resolve(reply.text);
    else {
      // The transaction is over either way; RSET only if the next envelope is not already on the wire.
      if (!this.envelope) this.needsReset = true;
      job.reject(new DeliveryError(kindOf(reply), reply.text));
    }
    this.pump();
  }

  /** A 421 (or a reply nothing asked for): this transaction is refused for now, the connection ends. */
  private serverClosing(reply: SmtpReply): void {
    const job = this.data ?? this.envelope;
    if (job === this.data) {
      this.data = undefined;
      this.requeueEnvelope();
    } else this.envelope = undefined;
    job?.reject(new DeliveryError('transient', reply.text));
    this.connection?.lose(new Error(`the server closed the connection: ${reply.text}`));
  }

  /** The envelope on the wire is not what failed: it goes first on the next connection. */
  private requeueEnvelope(): void {
    if (this.envelope) this.queue.unshift(this.envelope);
    this.envelope = undefined;
  }

  /**
   * The connection is gone. A message whose final dot had left may have
   * arrived (uncertain); one still at its envelope, or whose data had not
   * all left (the server stopped taking it: `timeouts.data`), has not. An envelope
   * that only rode behind another message's data goes back to the queue
   * for the next connection: its own attempt never got a reply.
   */
  private onLoss(connection: SmtpConnection, error: Error): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.expected = [];
    this.unsent = [];
    const { data, envelope } = this;
    this.data = undefined;
    this.envelope = undefined;
    if (data) {
      data.reject(
        data.finalDotLeft
          ? // No answer in time, or a closed connection: the server may hold it, and be delivering it.
            new DeliveryError('transient', `connection lost after the message data was sent: ${error.message}`, true)
          : // The final dot never left: the server cannot have the whole message, and the attempt is retried.
            new DeliveryError('transient', `connection lost before the message\u2019s final dot had left: ${error.message}`),
      );
      if (envelope) this.queue.unshift(envelope);
    } else envelope?.reject(new DeliveryError('transient', `connection lost: ${error.message}`));
    this.pump();
  }
}

/** The SMTP transport: `pool_size` sessions, each one reused connection. */
export function smtpTransport(options: SmtpTransportOptions): Transport {
  const { smtp } = options;
  return {
    name: 'smtp',
    target: `${smtp.host}:${smtp.port} (${smtp.tls === 'none' ? 'no TLS' : smtp.tls === 'implicit' ? 'TLS' : smtp.allow_plaintext ? 'STARTTLS if offered' : 'STARTTLS required'})`,
    parallel: smtp.pool_size,
    openSession: () => new SmtpSession(connectionSettings(options)),
  };
}
