/**
 * Real SMTP servers for the tests, on 127.0.0.1 only: an in-process
 * `smtp-server` with STARTTLS and a self-signed certificate made by
 * openssl at test time (with hooks to inject 4xx/5xx replies and dropped
 * connections), a raw-socket server that stops answering where a test
 * says, and Postfix's `smtp-sink`, started and stopped by the test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface Certificate {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid for a day. */
export function makeCertificate(dir: string): Certificate {
  const certFile = path.join(dir, 'smtp-cert.pem');
  const keyFile = path.join(dir, 'smtp-key.pem');
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
}

/** What to do with a transaction; the default accepts. */
export type Verdict = 'accept' | { code: number; message: string } | 'drop';

export interface TestServerOptions {
  certificate?: Certificate;
  /** Offer STARTTLS (default true when a certificate is given). */
  starttls?: boolean;
  /** Decides the RCPT TO reply for a recipient. */
  onRecipient?: (address: string) => Verdict;
  /** Decides the reply after the message data, per recipient of the transaction. */
  onMessage?: (message: ReceivedMessage) => Verdict;
  /** Require AUTH with this user and password. */
  auth?: { user: string; password: string };
  /** AUTH mechanisms offered (default PLAIN and LOGIN). */
  authMethods?: string[];
  /** Advertise PIPELINING (default true). */
  pipelining?: boolean;
  /** TLS from the first byte (port 465 style) instead of STARTTLS; needs `certificate`. */
  implicitTls?: boolean;
  /** Milliseconds between receiving a message's data (it is in `messages` from then) and the reply to it. */
  replyDelayMs?: number;
  /** Never read a message's data: the server stops taking it once the connection's buffers are full, and never answers. */
  holdData?: boolean;
}

export interface TestServer {
  port: number;
  messages: ReceivedMessage[];
  authenticated: string[];
  /** Resolves once the server holds a message's data unread (`holdData`): the sender's data can go no further. */
  dataHeld: Promise<void>;
  close(): Promise<void>;
}

function replyError(verdict: Exclude<Verdict, 'accept' | 'drop'>): Error {
  return Object.assign(new Error(verdict.message), { responseCode: verdict.code });
}

export async function startSmtpServer(options: TestServerOptions = {}): Promise<TestServer> {
  const messages: ReceivedMessage[] = [];
  const authenticated: string[] = [];
  const tls = options.certificate !== undefined && options.starttls !== false && !options.implicitTls;
  let holdingData = () => {};
  const dataHeld = new Promise<void>((resolve) => (holdingData = resolve));
  const server = new SMTPServer({
    ...(options.certificate ? { key: options.certificate.key, cert: options.certificate.cert } : {}),
    disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    ...(options.authMethods ? { authMethods: options.authMethods } : {}),
    hidePIPELINING: options.pipelining === false,
    secure: options.implicitTls === true,
    allowInsecureAuth: false,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.password) {
        authenticated.push(auth.username ?? '');
        return callback(null, { user: auth.username });
      }
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, session, callback) {
      const verdict = options.onRecipient?.(address.address) ?? 'accept';
      if (verdict === 'drop') {
        destroy(session);
        return;
      }
      if (verdict !== 'accept') return callback(replyError(verdict));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      // Unread, the data stream pushes back on smtp-server's parser, and it on the socket.
      if (options.holdData) return holdingData();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const message: ReceivedMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
        };
        const verdict = options.onMessage?.(message) ?? 'accept';
        if (verdict === 'drop') {
          destroy(session);
          return;
        }
        if (verdict !== 'accept') return callback(replyError(verdict));
        messages.push(message);
        const reply = `2.0.0 Ok: queued as ${messages.length}`;
        if (options.replyDelayMs) setTimeout(() => callback(null, reply), options.replyDelayMs);
        else callback(null, reply);
      });
    },
  });
  // smtp-server has no API to cut a connection; its connection objects hold the socket.
  const connections = server as unknown as { connections: Set<{ id: string; _socket: net.Socket }> };
  const destroy = (session: SMTPServerSession) => {
    for (const connection of connections.connections) if (connection.id === session.id) connection._socket.destroy();
  };
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = (server as unknown as { server: net.Server }).server.address() as net.AddressInfo;
  return {
    port: address.port,
    messages,
    authenticated,
    dataHeld,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SmtpSink {
  port: number;
  /** Every message the sink dumped, as received (smtp-sink's own X-* headers first). */
  readMessages(): Buffer[];
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export const smtpSinkPath = '/usr/sbin/smtp-sink';

/**
 * Starts Postfix's smtp-sink on 127.0.0.1, unprivileged (it drops to
 * `nobody` when started as root). With `dump`, each transaction is written
 * to a file of its own, in a folder the sink's user can write to.
 */
export async function startSmtpSink(options: { dump?: boolean; extra?: string[] } = {}): Promise<SmtpSink> {
  const port = await freePort();
  const args = [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), ...(options.extra ?? [])];
  const dumpDir = options.dump ? mkdtempSync(path.join(os.tmpdir(), 'herald-sink-')) : undefined;
  if (dumpDir) {
    chmodSync(dumpDir, 0o777);
    // strftime expands the template; smtp-sink appends a random suffix per transaction.
    args.push('-d', `${dumpDir}/m.`);
  }
  args.push(`127.0.0.1:${port}`, '1000');
  const child: ChildProcess = spawn(smtpSinkPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(port, () => (child.exitCode !== null ? `smtp-sink exited: ${stderr}` : undefined));
  return {
    port,
    readMessages() {
      if (!dumpDir) return [];
      return readdirSync(dumpDir)
        .sort()
        .map((file) => readFileSync(path.join(dumpDir, file)));
    },
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          if (dumpDir) rmSync(dumpDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const reason = failed();
    if (reason) throw new Error(reason);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

export interface StallingServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A raw-socket SMTP server that answers like a good one (PIPELINING, any
 * envelope, any message; `answer` may give another reply to a command)
 * until `stall` says so of a line it received, then never answers again on
 * that connection: it sends `trickle()` every 50 ms when given, a reply
 * that never completes, and nothing otherwise.
 */
export async function startStallingServer(stall: (line: string) => boolean, trickle?: () => string, answer?: (line: string) => string | undefined): Promise<StallingServer> {
  const timers: NodeJS.Timeout[] = [];
  const held: net.Socket[] = [];
  const server = net.createServer((socket) => {
    held.push(socket);
    socket.on('error', () => {});
    socket.write('220 slow.example.org ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData && line !== '.') continue;
        inData = false;
        if (stall(line)) {
          if (trickle) timers.push(setInterval(() => socket.write(trickle()), 50));
          return;
        }
        const answered = answer?.(line);
        if (answered !== undefined) socket.write(`${answered}\r\n`);
        else if (line.startsWith('EHLO')) socket.write('250-slow.example.org\r\n250 PIPELINING\r\n');
        else if (line === 'DATA') (inData = true), socket.write('354 go on\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => (timers.forEach(clearInterval), held.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}
