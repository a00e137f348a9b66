/**
 * The SMTP client's transactions against a real server (smtp-server on
 * loopback), seen through a relay that records what the client wrote in
 * each packet: commands grouped with PIPELINING and one at a time
 * without it, replies matched to the right message when a recipient is
 * refused in the middle of a group, a 5xx or 4xx after the data, a 421, a
 * connection dropped mid-pipeline, AUTH LOGIN, implicit TLS, the
 * greeting timeout, and a reply that trickles in without end.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSchema } from '../../src/config/schema.ts';
import { readCaFile } from '../../src/publish/ca-file.ts';
import { Ledger } from '../../src/publish/mail/ledger.ts';
import type { PreparedMessage } from '../../src/publish/mail/prepare.ts';
import { runDeliveries } from '../../src/publish/mail/run.ts';
import { smtpTransport, type SmtpTransportOptions } from '../../src/publish/mail/transport-smtp.ts';
import { DeliveryError } from '../../src/publish/mail/transport.ts';
import { missingTools } from '../support/system.ts';
import { temporaryDir } from './support/notes.ts';
import { makeCertificate, startSmtpServer, startStallingServer, type Certificate, type TestServer, type TestServerOptions } from './support/smtp.ts';

/** A message with a line that needs dot-stuffing and one that is a lone dot. */
const body = 'From: a@example.org\r\nTo: b@example.org\r\nSubject: pipelining\r\nMessage-ID: <p@example.org>\r\n\r\nfirst line\r\n.starts with a dot\r\n.\r\nlast line\r\n';
const message = { messageId: '<p@example.org>', subject: 'pipelining', bytes: Buffer.from(body) } as PreparedMessage;

/** A TCP relay in front of the server: every packet the client wrote, per connection. */
interface Relay {
  port: number;
  connections: string[][];
  close(): Promise<void>;
}

async function startRelay(target: number): Promise<Relay> {
  const connections: string[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const packets: string[] = [];
    connections.push(packets);
    const upstream = net.connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      packets.push(chunk.toString('latin1'));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type Outcome = { reply: string } | { kind: string; reply: string; maybeDelivered: boolean };

/** Hands every recipient to one session at once, as the sending loop does, and collects the outcomes in order. */
async function deliverAll(options: SmtpTransportOptions, recipients: string[]): Promise<Outcome[]> {
  const session = smtpTransport(options).openSession();
  const outcomes = await Promise.all(
    recipients.map((to) =>
      session.deliver(message, 'security@example.org', to).then(
        (reply): Outcome => ({ reply }),
        (error: DeliveryError): Outcome => ({ kind: error.kind, reply: error.reply, maybeDelivered: error.maybeDelivered }),
      ),
    ),
  );
  await session.close();
  return outcomes;
}

const plain = (port: number, extra: Record<string, unknown> = {}): SmtpTransportOptions => ({
  smtp: smtpSchema.parse({ host: '127.0.0.1', port, tls: 'none', allow_plaintext: true, pool_size: 1, ...extra }),
});

const all = (relay: Relay) => relay.connections.flat();
const grouped = (packet: string) => /MAIL FROM:<[^>]*>\r\nRCPT TO:<[^>]*>\r\nDATA\r\n/.test(packet);

describe('the SMTP client', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function serve(options: TestServerOptions = {}): Promise<{ server: TestServer; relay: Relay }> {
    const server = await startSmtpServer(options);
    const relay = await startRelay(server.port);
    cleanup.push(server.close, relay.close);
    return { server, relay };
  }

  it('groups each envelope, sends the next with the data, and matches replies when a RCPT is refused mid-group', async () => {
    const { server, relay } = await serve({ onRecipient: (to) => (to.startsWith('r2@') ? { code: 550, message: '5.1.1 <r2@example.net>: unknown' } : 'accept') });
    const recipients = ['r0', 'r1', 'r2', 'r3', 'r4'].map((r) => `${r}@example.net`);
    const outcomes = await deliverAll(plain(relay.port), recipients);

    expect(outcomes).toEqual([
      { reply: '250 2.0.0 Ok: queued as 1' },
      { reply: '250 2.0.0 Ok: queued as 2' },
      { kind: 'permanent', reply: '550 5.1.1 <r2@example.net>: unknown', maybeDelivered: false },
      { reply: '250 2.0.0 Ok: queued as 3' },
      { reply: '250 2.0.0 Ok: queued as 4' },
    ]);
    expect(server.messages.map((m) => m.to)).toEqual([['r0@example.net'], ['r1@example.net'], ['r3@example.net'], ['r4@example.net']]);
    // Dot-stuffed on the wire, the same bytes at the other end.
    expect(server.messages.every((m) => m.raw.toString() === body)).toBe(true);
    expect(all(relay).join('')).toContain('\r\n..starts with a dot\r\n..\r\nlast line\r\n.\r\n');

    expect(relay.connections).toHaveLength(1);
    const packets = all(relay);
    // MAIL FROM, RCPT TO and DATA in one packet; the next envelope in the same packet as a message's data.
    expect(packets.some((p) => p.startsWith('MAIL FROM') && grouped(p))).toBe(true);
    expect(packets.filter((p) => /\r\n\.\r\nMAIL FROM:<security@example\.org>\r\nRCPT TO:<r\d@example\.net>\r\nDATA\r\n$/.test(p))).toHaveLength(3);
    // The refused transaction is reset before the next one, in the same group.
    expect(packets.filter((p) => p.includes('RSET\r\n'))).toEqual([expect.stringMatching(/^RSET\r\nMAIL FROM:<security@example\.org>\r\nRCPT TO:<r3@example\.net>\r\nDATA\r\n$/)]);
    expect(packets.at(-1)).toBe('QUIT\r\n');
  });

  it('reports a 5xx after the data as permanent and a 4xx as transient, and goes on', async () => {
    const { server, relay } = await serve({
      onMessage: (m) => (m.to[0] === 'bad@example.net' ? { code: 554, message: '5.7.1 Message rejected' } : m.to[0] === 'later@example.net' ? { code: 451, message: '4.3.0 Try later' } : 'accept'),
    });
    const outcomes = await deliverAll(plain(relay.port), ['a@example.net', 'bad@example.net', 'b@example.net', 'later@example.net', 'c@example.net']);
    expect(outcomes).toEqual([
      { reply: '250 2.0.0 Ok: queued as 1' },
      { kind: 'permanent', reply: '554 5.7.1 Message rejected', maybeDelivered: false },
      { reply: '250 2.0.0 Ok: queued as 2' },
      { kind: 'transient', reply: '451 4.3.0 Try later', maybeDelivered: false },
      { reply: '250 2.0.0 Ok: queued as 3' },
    ]);
    expect(server.messages.map((m) => m.to[0])).toEqual(['a@example.net', 'b@example.net', 'c@example.net']);
    expect(relay.connections).toHaveLength(1);
  });

  it('after a drop mid-pipeline: the message whose data was sent is uncertain, the envelope behind it goes on a new connection', async () => {
    let dropped = false;
    const { server, relay } = await serve({
      onMessage: (m) => {
        if (m.to[0] !== 'flaky@example.net' || dropped) return 'accept';
        dropped = true;
        return 'drop';
      },
    });
    const outcomes = await deliverAll(plain(relay.port), ['a@example.net', 'flaky@example.net', 'b@example.net', 'c@example.net']);
    expect(outcomes[0]).toEqual({ reply: '250 2.0.0 Ok: queued as 1' });
    expect(outcomes[1]).toMatchObject({ kind: 'transient', maybeDelivered: true, reply: expect.stringMatching(/^connection lost after the message data was sent/) });
    // b's envelope rode with flaky's data and got no reply: not an attempt of its own.
    expect(outcomes.slice(2)).toEqual([{ reply: '250 2.0.0 Ok: queued as 2' }, { reply: '250 2.0.0 Ok: queued as 3' }]);
    expect(relay.connections).toHaveLength(2);
    expect(relay.connections[0]!.join('')).toContain('RCPT TO:<b@example.net>');
    expect(server.messages.map((m) => m.to[0])).toEqual(['a@example.net', 'b@example.net', 'c@example.net']);
  });

  it('after a drop at RCPT or a 421, the message is retryable and not uncertain', async () => {
    const seen = new Set<string>();
    const once = (to: string) => !seen.has(to) && (seen.add(to), true);
    const { server, relay } = await serve({
      onRecipient: (to) => (to === 'cut@example.net' && once(to) ? 'drop' : to === 'closing@example.net' && once(to) ? { code: 421, message: '4.7.0 Shutting down' } : 'accept'),
    });
    const outcomes = await deliverAll(plain(relay.port), ['a@example.net', 'cut@example.net', 'b@example.net', 'closing@example.net', 'c@example.net']);
    expect(outcomes).toEqual([
      { reply: '250 2.0.0 Ok: queued as 1' },
      { kind: 'transient', reply: expect.stringMatching(/^connection lost/), maybeDelivered: false },
      { reply: '250 2.0.0 Ok: queued as 2' },
      { kind: 'transient', reply: '421 4.7.0 Shutting down', maybeDelivered: false },
      { reply: '250 2.0.0 Ok: queued as 3' },
    ]);
    expect(server.messages.map((m) => m.to[0])).toEqual(['a@example.net', 'b@example.net', 'c@example.net']);
    expect(relay.connections).toHaveLength(3);
  });

  it('sends one command at a time to a server without PIPELINING, RSET included', async () => {
    const { server, relay } = await serve({ pipelining: false, onRecipient: (to) => (to === 'gone@example.net' ? { code: 550, message: '5.1.1 unknown' } : 'accept') });
    const outcomes = await deliverAll(plain(relay.port), ['a@example.net', 'gone@example.net', 'b@example.net']);
    expect(outcomes).toEqual([
      { reply: '250 2.0.0 Ok: queued as 1' },
      { kind: 'permanent', reply: '550 5.1.1 unknown', maybeDelivered: false },
      { reply: '250 2.0.0 Ok: queued as 2' },
    ]);
    expect(server.messages.map((m) => m.to[0])).toEqual(['a@example.net', 'b@example.net']);
    const packets = all(relay);
    expect(packets.some((p) => p.includes('MAIL FROM') && p.includes('RCPT TO'))).toBe(false);
    expect(packets.some((p) => /\r\n\.\r\n./s.test(p))).toBe(false);
    expect(packets).toContain('RSET\r\n');
    expect(server.messages.every((m) => m.raw.toString() === body)).toBe(true);
  });

  it('records a drop mid-pipeline in the ledger: the message whose data was sent uncertain, not retried, the one behind it sent once', async () => {
    const temp = await temporaryDir();
    cleanup.push(temp.remove);
    let dropped = false;
    const { server, relay } = await serve({
      onMessage: (m) => {
        if (m.to[0] !== 'r3@example.net' || dropped) return 'accept';
        dropped = true;
        return 'drop';
      },
    });
    const ledger = Ledger.open(path.join(temp.dir, 'ledger.jsonl'), 'ledger.jsonl');
    const recipients = Array.from({ length: 20 }, (_, i) => `r${i}@example.net`);
    const result = await runDeliveries({
      deliveries: recipients.map((recipient) => ({ edition: 'OSSN-0001 r0', message: { ...message, audience: { name: 'subscribers' } } as PreparedMessage, recipient, attempts: 0 })),
      ledger,
      transport: smtpTransport(plain(relay.port)),
      envelopeFrom: 'security@example.org',
      retry: { attempts: 3, initial_delay_ms: 5, max_delay_ms: 10 },
      rateLimit: 0,
      progress: { start() {}, update() {}, finish() {} },
      clock: () => new Date('2024-02-01T12:00:00Z'),
    });
    await ledger.close();
    expect(result).toMatchObject({ sent: 19, failed: [], retried: 0, uncertain: [{ edition: 'OSSN-0001 r0', recipient: 'r3@example.net', attempts: 1 }], notAttempted: 0 });
    const reopened = Ledger.readOnly(path.join(temp.dir, 'ledger.jsonl'), 'ledger.jsonl');
    expect(reopened.deliveriesOf('OSSN-0001 r0').filter((d) => d.status.state !== 'sent').map((d) => d.to)).toEqual(['r3@example.net']);
    expect(reopened.status('OSSN-0001 r0', 'r3@example.net')).toMatchObject({ state: 'sending', attempts: 1 });
    expect(reopened.status('OSSN-0001 r0', 'r4@example.net')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(server.messages.map((m) => m.to[0]).sort()).toEqual(recipients.filter((r) => r !== 'r3@example.net').sort());
    expect(relay.connections).toHaveLength(2);
  });

  it('gives up on a server that never greets, after the greeting timeout', async () => {
    const silent = net.createServer(() => {});
    const held: net.Socket[] = [];
    silent.on('connection', (socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => (held.forEach((s) => s.destroy()), silent.close(() => resolve()))));
    const options = plain((silent.address() as net.AddressInfo).port, { timeouts: { greeting: 1 } });
    const started = performance.now();
    const [outcome] = await deliverAll(options, ['a@example.net']);
    expect(outcome).toEqual({ kind: 'transient', reply: 'no greeting from the server within 1 s (timeouts.greeting)', maybeDelivered: false });
    // Time is what is proven: the 1 s set, not the 30 s default. Half the default leaves a loaded machine room.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  async function tricklingServer(stall: (line: string) => boolean, trickle: () => string): Promise<number> {
    const server = await startStallingServer(stall, trickle);
    cleanup.push(server.close);
    return server.port;
  }

  it('gives up on a reply that trickles in a byte at a time after the final dot: the message is uncertain, in bounded time', async () => {
    const port = await tricklingServer((line) => line === '.', () => '2');
    const started = performance.now();
    const [outcome] = await deliverAll(plain(port, { timeouts: { final_dot: 1 } }), ['a@example.net']);
    expect(outcome).toEqual({ kind: 'transient', reply: 'connection lost after the message data was sent: no complete reply from the server within 1 s (timeouts.final_dot)', maybeDelivered: true });
    // Time is what is proven: a trickle does not keep the 1 s limit from ending the wait. The bound leaves a loaded machine room.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('gives up on a reply whose continuation lines never end, and never holds more than 64 KiB of it', async () => {
    const slow = await tricklingServer((line) => line.startsWith('EHLO'), () => '250-still thinking\r\n');
    const [timedOut] = await deliverAll(plain(slow, { timeouts: { command: 1 } }), ['a@example.net']);
    expect(timedOut).toEqual({ kind: 'transient', reply: 'no complete reply from the server within 1 s (timeouts.command)', maybeDelivered: false });
    const flood = await tricklingServer((line) => line.startsWith('EHLO'), () => `250-${'x'.repeat(1000)}\r\n`.repeat(20));
    const [tooLong] = await deliverAll(plain(flood, { timeouts: { command: 10 } }), ['a@example.net']);
    expect(tooLong).toMatchObject({ kind: 'transient', maybeDelivered: false });
    expect((tooLong as { reply: string }).reply).toMatch(/^the server sent a reply of more than 64 KiB without its last line: "250-x+"$/);
  });

  describe.skipIf(!!missingTools('openssl'))('over TLS', () => {
    let certificate: Certificate;
    let dir: Awaited<ReturnType<typeof temporaryDir>>;
    beforeAll(async () => {
      dir = await temporaryDir();
      cleanup.push(dir.remove);
      certificate = makeCertificate(dir.dir);
    });

    it('authenticates with AUTH LOGIN when PLAIN is not offered, and keeps the password out of its errors', async () => {
      const { server } = await serve({ certificate, auth: { user: 'herald', password: 'pa55word' }, authMethods: ['LOGIN'] });
      const options = (password: string): SmtpTransportOptions => ({
        smtp: smtpSchema.parse({ host: '127.0.0.1', port: server.port, tls: 'starttls', ca_file: certificate.certFile, user: 'herald', password_env: 'X' }),
        ca: readCaFile('smtp', certificate.certFile, { cwd: dir.dir, configFile: 'herald.config.yaml' }).certificates,
        password,
      });
      const [wrong] = await deliverAll(options('guess-me'), ['a@example.net']);
      expect(wrong).toEqual({ kind: 'fatal', reply: expect.stringMatching(/^535 /), maybeDelivered: false });
      expect(JSON.stringify(wrong)).not.toContain('guess-me');
      const outcomes = await deliverAll(options('pa55word'), ['a@example.net', 'b@example.net']);
      expect(outcomes).toEqual([{ reply: '250 2.0.0 Ok: queued as 1' }, { reply: '250 2.0.0 Ok: queued as 2' }]);
      expect(server.authenticated).toEqual(['herald']);
      expect(server.messages.every((m) => m.secure)).toBe(true);
    });

    it('speaks implicit TLS, pipelined, and refuses it without the CA', async () => {
      const { server } = await serve({ certificate, implicitTls: true });
      const options = (ca_file?: string): SmtpTransportOptions => ({
        smtp: smtpSchema.parse({ host: '127.0.0.1', port: server.port, tls: 'implicit', ...(ca_file ? { ca_file } : {}) }),
        ...(ca_file ? { ca: readCaFile('smtp', ca_file, { cwd: dir.dir, configFile: 'herald.config.yaml' }).certificates } : {}),
      });
      const [untrusted] = await deliverAll(options(), ['a@example.net']);
      expect(untrusted).toEqual({ kind: 'fatal', reply: expect.stringMatching(/certificate/), maybeDelivered: false });
      const outcomes = await deliverAll(options(certificate.certFile), ['a@example.net', 'b@example.net', 'c@example.net']);
      expect(outcomes).toEqual([{ reply: '250 2.0.0 Ok: queued as 1' }, { reply: '250 2.0.0 Ok: queued as 2' }, { reply: '250 2.0.0 Ok: queued as 3' }]);
      expect(server.messages.map((m) => m.secure)).toEqual([true, true, true]);
    });
  });
});
