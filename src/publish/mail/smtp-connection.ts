/**
 * One SMTP connection, opened and ready for mail transactions: TCP or
 * implicit TLS, the greeting, EHLO (HELO for an old server), STARTTLS
 * (required unless the settings allow plain text), AUTH PLAIN or LOGIN.
 * After that it only carries bytes: whoever drives the transactions
 * writes commands and gets each reply, in order, through `attach`.
 *
 * Failures while opening are `ConnectionFailure`s: `fatal` when retrying
 * cannot help (TLS refused, a certificate that does not verify, a refused
 * password), `transient` otherwise. The password is only ever written to
 * the socket, never into an error; a server that echoes it (as such, in
 * base64, or the whole AUTH PLAIN token) in a reply has it replaced by
 * `[password hidden]` before the reply reaches anyone, a ledger included.
 */
import net from 'node:net';
import tls from 'node:tls';
import { authLoginStep, authPlain, parseCapabilities, ReplyReader, type SmtpReply } from './smtp-protocol.ts';

/** Everything opening a connection needs, resolved from the config. */
export interface ConnectionSettings {
  host: string;
  port: number;
  /** `implicit`: TLS from the first byte; `starttls`: upgrade after EHLO; `none`: never. */
  tls: 'starttls' | 'implicit' | 'none';
  /** With `starttls`: refuse a server that does not offer it (everything but `allow_plaintext`). */
  requireTls: boolean;
  /** The name announced in EHLO. */
  name: string;
  /** Extra trusted certificates (`ca_file`). */
  ca?: (string | Buffer)[] | undefined;
  user?: string | undefined;
  password?: string | undefined;
  timeouts: SmtpTimeouts;
}

/**
 * Milliseconds (`mail.smtp.timeouts`). A reply's time runs from the last
 * command written (or the last complete reply) to the next complete reply;
 * bytes that trickle in without completing a reply do not extend it. While
 * herald's own bytes wait to leave (a message's data the server does not
 * take), the time is `data`'s, restarted by each piece that leaves.
 */
export interface SmtpTimeouts {
  /** To establish TCP (and implicit TLS), and for a STARTTLS handshake. */
  connect: number;
  /** From connecting to the server's 220 greeting. */
  greeting: number;
  /** For the reply to a command, and while the connection sits idle. */
  command: number;
  /** For the reply to a message's final dot. */
  finalDot: number;
  /** For the server to take some of herald's bytes while they wait to leave (a message's data): no progress for this long ends the connection. */
  data: number;
}

/** The time the next complete reply is given, and the setting that gives it (named when it runs out). */
export interface ReplyTimeout {
  ms: number;
  setting: string;
}

/** The server did not complete a reply in time: the connection is lost with this error. */
class ReplyTimeoutError extends Error {
  readonly timeout: ReplyTimeout;
  constructor(timeout: ReplyTimeout) {
    super(`no complete reply from the server within ${timeout.ms / 1000} s (${timeout.setting})`);
    this.name = 'ReplyTimeoutError';
    this.timeout = timeout;
  }
}

/** What opening a connection waits for, as it starts to wait: for progress output. */
export type OnOpeningStep = (what: string, timeout: ReplyTimeout) => void;

/** A reply awaited now, and since when (`performance.now()`): for progress output. */
export interface Awaited {
  since: number;
  timeout: ReplyTimeout;
  /** Not a reply yet: herald's bytes wait for the server to take them (`timeouts.data`). */
  sending: boolean;
}

/** The server took none of herald's bytes in time: the connection is lost with this error. */
class SendTimeoutError extends Error {
  constructor(timeout: ReplyTimeout) {
    super(`the server took none of herald\u2019s data for ${timeout.ms / 1000} s (${timeout.setting})`);
    this.name = 'SendTimeoutError';
  }
}

/**
 * The most written to the socket at once: each piece the kernel takes is
 * progress, which restarts `timeouts.data`, so a long message on a slow
 * link is not cut while a server that stopped reading is.
 */
const pieceBytes = 64 * 1024;

/** Why a connection could not be opened, and whether trying again can help. */
export class ConnectionFailure extends Error {
  readonly kind: 'fatal' | 'transient';
  constructor(kind: 'fatal' | 'transient', message: string) {
    super(message);
    this.name = 'ConnectionFailure';
    this.kind = kind;
  }
}

/** Certificate problems are configuration problems: retrying cannot fix them. */
const certificateProblem = /certificate|self[- ]signed|CERT_|altname/i;

function asFailure(error: unknown): ConnectionFailure {
  if (error instanceof ConnectionFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionFailure(certificateProblem.test(message) ? 'fatal' : 'transient', message);
}

const ignoreReply = () => {};

/** An open SMTP connection, past EHLO, STARTTLS and AUTH. */
export class SmtpConnection {
  /** EHLO keywords → parameters, as offered after STARTTLS. */
  capabilities = new Map<string, string>();
  secure = false;
  private socket: net.Socket;
  private readonly reader = new ReplyReader();
  private onReply: (reply: SmtpReply) => void = ignoreReply;
  private onLoss: (error: Error) => void = ignoreReply;
  private lost = false;
  /** The next reply's time, once greeted; none while the greeting timer or a TLS handshake keeps the time. */
  private replyTimeout: (() => ReplyTimeout) | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private armed: ReplyTimeout | undefined;
  private armedAt = 0;
  /** Pieces written and not yet taken by the kernel: while any is, the time is `timeouts.data`'s. */
  private unsentPieces = 0;
  private readonly sendTimeout: ReplyTimeout;
  private onStep: OnOpeningStep = () => {};
  /** What AUTH writes that gives the password away, longest first: hidden in every reply and error. */
  private secrets: string[] = [];

  private constructor(socket: net.Socket, secure: boolean, timeouts: SmtpTimeouts) {
    this.socket = socket;
    this.secure = secure;
    this.sendTimeout = { ms: timeouts.data, setting: 'timeouts.data' };
    this.listen(socket);
  }

  /** Connects and runs the handshake, saying what it waits for at each step (`onStep`); throws ConnectionFailure. */
  static async open(settings: ConnectionSettings, onStep: OnOpeningStep = () => {}): Promise<SmtpConnection> {
    let connection: SmtpConnection | undefined;
    try {
      onStep(`the connection to ${serverName(settings)}${settings.tls === 'implicit' ? ' and its TLS handshake' : ''}`, { ms: settings.timeouts.connect, setting: 'timeouts.connect' });
      const socket = await connectSocket(settings);
      connection = new SmtpConnection(socket, settings.tls === 'implicit', settings.timeouts);
      connection.onStep = onStep;
      connection.secrets = secretForms(settings);
      await connection.handshake(settings);
      return connection;
    } catch (error) {
      connection?.destroy();
      throw asFailure(error);
    }
  }

  /** True when the server takes commands in groups (RFC 2920). */
  get pipelining(): boolean {
    return this.capabilities.has('PIPELINING');
  }

  /** True when the server accepts UTF-8 addresses (RFC 6531). */
  get utf8(): boolean {
    return this.capabilities.has('SMTPUTF8');
  }

  /** Hands the connection over: every reply from now on, and its loss (once). */
  attach(onReply: (reply: SmtpReply) => void, onLoss: (error: Error) => void): void {
    this.onReply = onReply;
    this.onLoss = onLoss;
  }

  /** The reply awaited now and since when, or undefined when none is (or the greeting or a TLS handshake keeps the time). */
  awaited(): Awaited | undefined {
    return this.armed && !this.lost ? { since: this.armedAt, timeout: this.armed, sending: this.unsentPieces > 0 } : undefined;
  }

  /** Whoever drives the transactions says how long the reply now awaited may take. */
  setReplyTimeout(replyTimeout: () => ReplyTimeout): void {
    this.replyTimeout = replyTimeout;
  }

  /**
   * Writes `data`, in pieces of 64 KiB at most; `onLeft` is called once its
   * last byte has left (the kernel took it), never when the connection is
   * lost before. Until then the server cannot have all of it: a message
   * whose final dot never left cannot have been delivered.
   */
  write(data: string | Buffer, onLeft?: () => void): void {
    if (this.lost) return;
    const pieces: (string | Buffer)[] = [];
    if (typeof data === 'string' || data.length <= pieceBytes) pieces.push(data);
    else for (let start = 0; start < data.length; start += pieceBytes) pieces.push(data.subarray(start, start + pieceBytes));
    pieces.forEach((piece, index) => {
      this.unsentPieces += 1;
      this.socket.write(piece, (error) => this.pieceLeft(error, index === pieces.length - 1 ? onLeft : undefined));
    });
    this.restartDeadline();
  }

  /** A piece was taken (progress: the time starts again) or failed with the connection. */
  private pieceLeft(error: Error | null | undefined, onLeft: (() => void) | undefined): void {
    this.unsentPieces -= 1;
    if (this.lost || error) return;
    onLeft?.();
    this.restartDeadline();
  }

  /**
   * The server has the reply timeout from now for its next complete reply. Only a
   * command written or a whole reply restarts it, never a partial line:
   * the socket's own timeout, which any byte restarts, let a server that
   * sent a byte a second (or `250-` lines without end) hold herald for ever.
   */
  private restartDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    // Bytes still to leave come first: the server cannot answer what it has not taken.
    this.armed = this.unsentPieces > 0 && this.replyTimeout ? this.sendTimeout : this.replyTimeout?.();
    this.armedAt = performance.now();
    this.deadline = this.armed ? setTimeout(this.onTimeout, this.armed.ms) : undefined;
  }

  private stopDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
    this.armed = undefined;
  }

  /** Says QUIT and waits (at most `waitMs`) for the reply, then closes. */
  async quit(waitMs = 1000): Promise<void> {
    if (this.lost) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.attach(done, done);
      this.write('QUIT\r\n');
    });
    this.destroy();
  }

  /** Closes at once; no loss is reported. */
  destroy(): void {
    this.lost = true;
    this.stopDeadline();
    this.onLoss = ignoreReply;
    this.socket.destroy();
  }

  /** Ends the connection as lost: the socket is closed and the owner told, once. */
  lose(error: Error): void {
    if (this.lost) return;
    this.lost = true;
    this.stopDeadline();
    this.socket.destroy();
    this.onLoss(error);
  }

  // The deadline restarts after the reply is handled: by then the owner awaits the next one, whose time may differ.
  private readonly dispatch = (reply: SmtpReply) => {
    this.onReply(this.secrets.length > 0 ? { code: reply.code, text: this.hide(reply.text) } : reply);
    if (!this.lost) this.restartDeadline();
  };

  private hide(text: string): string {
    let hidden = text;
    for (const secret of this.secrets) hidden = hidden.split(secret).join('[password hidden]');
    return hidden;
  }

  // Writes made while replies are handled leave in one packet: the next group rides with this one's replies.
  private readonly onData = (chunk: string) => {
    this.socket.cork();
    try {
      this.reader.push(chunk, this.dispatch);
    } catch (error) {
      // A line that is not a reply is quoted in the error: it could be an echo of AUTH.
      this.lose(new Error(this.hide((error as Error).message)));
    } finally {
      this.socket.uncork();
    }
  };

  private readonly onError = (error: Error) => this.lose(error);
  private readonly onClose = () => this.lose(new Error('the server closed the connection'));
  private readonly onTimeout = () => this.lose(this.armed === this.sendTimeout ? new SendTimeoutError(this.armed) : new ReplyTimeoutError(this.armed!));

  private listen(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private unlisten(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }

  /** Writes `line` (if any) and resolves with the next reply; for the handshake, one command at a time. */
  private request(line?: string): Promise<SmtpReply> {
    return new Promise((resolve, reject) => {
      this.attach((reply) => {
        this.attach(ignoreReply, ignoreReply);
        resolve(reply);
      }, reject);
      if (line !== undefined) this.write(line);
    });
  }

  /** Says what the handshake waits for next, with the command's time. */
  private answerTo(command: string, settings: ConnectionSettings): void {
    this.onStep(`the answer of ${serverName(settings)} to ${command}`, { ms: settings.timeouts.command, setting: 'timeouts.command' });
  }

  private async handshake(settings: ConnectionSettings): Promise<void> {
    this.onStep(`the greeting of ${serverName(settings)}`, { ms: settings.timeouts.greeting, setting: 'timeouts.greeting' });
    const timer = setTimeout(() => this.lose(new Error(`no greeting from the server within ${settings.timeouts.greeting / 1000} s (timeouts.greeting)`)), settings.timeouts.greeting);
    let greeting: SmtpReply;
    try {
      greeting = await this.request();
    } finally {
      clearTimeout(timer);
    }
    if (greeting.code !== 220) throw new ConnectionFailure('transient', greeting.text);
    this.replyTimeout = () => ({ ms: settings.timeouts.command, setting: 'timeouts.command' });
    this.restartDeadline();
    await this.hello(settings);

    if (settings.tls === 'starttls' && !this.secure) {
      if (this.capabilities.has('STARTTLS')) {
        this.answerTo('STARTTLS', settings);
        const reply = await this.request('STARTTLS\r\n');
        if (reply.code === 220) {
          this.onStep(`the TLS handshake with ${serverName(settings)}`, { ms: settings.timeouts.connect, setting: 'timeouts.connect' });
          await this.upgrade(settings);
          await this.hello(settings);
        } else if (settings.requireTls) throw new ConnectionFailure('fatal', `TLS could not be started: ${reply.text}`);
      } else if (settings.requireTls) {
        throw new ConnectionFailure('fatal', 'TLS could not be started: the server does not offer STARTTLS');
      }
    }
    if (settings.user !== undefined) {
      this.answerTo('AUTH', settings);
      await this.authenticate(settings.user, settings.password ?? '');
    }
  }

  private async hello(settings: ConnectionSettings): Promise<void> {
    const name = settings.name;
    this.answerTo('EHLO', settings);
    const ehlo = await this.request(`EHLO ${name}\r\n`);
    if (ehlo.code === 250) {
      this.capabilities = parseCapabilities(ehlo);
      return;
    }
    if (ehlo.code === 421) throw new ConnectionFailure('transient', ehlo.text);
    this.answerTo('HELO', settings);
    const helo = await this.request(`HELO ${name}\r\n`);
    if (helo.code !== 250) throw new ConnectionFailure('transient', helo.text);
    this.capabilities = new Map();
  }

  private async upgrade(settings: ConnectionSettings): Promise<void> {
    const plain = this.socket;
    this.unlisten(plain);
    // The handshake has its own time limit (settle); the next command restarts the reply deadline.
    this.stopDeadline();
    // Errors of the plain socket reach the TLS socket too; this keeps them from being unhandled.
    plain.on('error', ignoreReply);
    const secure = tls.connect({ socket: plain, ...tlsOptions(settings) });
    try {
      await settle(secure, 'secureConnect', settings.timeouts.connect, 'TLS handshake');
    } catch (error) {
      secure.destroy();
      const message = (error as Error).message;
      throw new ConnectionFailure('fatal', certificateProblem.test(message) ? message : `TLS could not be started: ${message}`);
    }
    this.socket = secure;
    this.secure = true;
    this.listen(secure);
  }

  private async authenticate(user: string, password: string): Promise<void> {
    const offered = this.capabilities.get('AUTH');
    const mechanisms = (offered ?? '').split(' ');
    let reply: SmtpReply;
    if (mechanisms.includes('PLAIN')) {
      reply = await this.request(`AUTH PLAIN ${authPlain(user, password)}\r\n`);
    } else if (mechanisms.includes('LOGIN')) {
      reply = await this.request('AUTH LOGIN\r\n');
      if (reply.code === 334) reply = await this.request(`${authLoginStep(user)}\r\n`);
      if (reply.code === 334) reply = await this.request(`${authLoginStep(password)}\r\n`);
    } else {
      throw new ConnectionFailure(
        'fatal',
        offered === undefined ? 'the server does not offer AUTH, but `user` is set' : `the server offers no AUTH mechanism herald speaks (PLAIN, LOGIN): AUTH ${offered}`,
      );
    }
    if (reply.code !== 235) throw new ConnectionFailure(reply.code >= 400 && reply.code < 500 ? 'transient' : 'fatal', reply.text);
  }
}

/** The server as messages name it. */
export function serverName(settings: ConnectionSettings): string {
  return `${net.isIPv6(settings.host) ? `[${settings.host}]` : settings.host}:${settings.port}`;
}

/** The password as AUTH PLAIN and LOGIN write it (and as it is), longest first so a longer form is hidden whole. */
function secretForms(settings: ConnectionSettings): string[] {
  const { user, password } = settings;
  if (user === undefined || password === undefined || password === '') return [];
  const forms = [authPlain(user, password), authLoginStep(password), password];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function tlsOptions(settings: ConnectionSettings): tls.ConnectionOptions {
  return {
    host: settings.host,
    // SNI takes host names only; an IP address is still checked against the certificate through `host`.
    ...(net.isIP(settings.host) === 0 ? { servername: settings.host } : {}),
    minVersion: 'TLSv1.2',
    ...(settings.ca ? { ca: settings.ca } : {}),
  };
}

async function connectSocket(settings: ConnectionSettings): Promise<net.Socket> {
  if (settings.tls === 'implicit') {
    const socket = tls.connect({ port: settings.port, ...tlsOptions(settings) });
    await settle(socket, 'secureConnect', settings.timeouts.connect, 'connecting');
    return socket;
  }
  const socket = net.connect({ host: settings.host, port: settings.port });
  await settle(socket, 'connect', settings.timeouts.connect, 'connecting');
  return socket;
}

/** Resolves on `event`, rejects on an error or after `ms` (destroying the socket). */
function settle(socket: net.Socket, event: string, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${what} to the server timed out after ${ms / 1000} s (timeouts.connect)`));
    }, ms);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once(event, () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve();
    });
  });
}
