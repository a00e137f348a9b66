/**
 * `mail.smtp.timeouts` against a real SMTP server on loopback (smtp-server,
 * slowed where the test says, or a raw-socket one that stops answering),
 * with timeouts of a second or a few: the final dot's answer has a time of
 * its own, longer than a command's; a final dot left unanswered is not sent
 * again; a message's attempts end when its time (`message`) is spent; a
 * long wait is reported while it lasts; and `herald send` ends a stalled
 * message right.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smtpSchema } from '../../src/config/schema.ts';
import { Ledger } from '../../src/publish/mail/ledger.ts';
import type { PreparedMessage } from '../../src/publish/mail/prepare.ts';
import { runDeliveries } from '../../src/publish/mail/run.ts';
import { smtpTransport } from '../../src/publish/mail/transport-smtp.ts';
import { DeliveryError } from '../../src/publish/mail/transport.ts';
import { describeWait } from '../../src/publish/mail/waits.ts';
import { temporaryDir } from './support/notes.ts';
import { startSmtpServer, startStallingServer, type TestServerOptions } from './support/smtp.ts';
import { makeWorkspace, runHerald } from './support/workspace.ts';

const message = { messageId: '<t@example.org>', subject: 'timeouts', bytes: Buffer.from('Subject: timeouts\r\n\r\nBody.\r\n'), audience: { name: 'announce' } } as PreparedMessage;

const smtpConfig = (port: number, timeouts: Record<string, number>) => smtpSchema.parse({ host: '127.0.0.1', port, tls: 'none', allow_plaintext: true, pool_size: 1, timeouts });

describe('SMTP timeouts', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function serve(options: TestServerOptions) {
    const server = await startSmtpServer(options);
    cleanup.push(server.close);
    return server;
  }

  /** One delivery through one session: the server's reply, or how it failed. */
  async function deliver(port: number, timeouts: Record<string, number>, sent = message) {
    const session = smtpTransport({ smtp: smtpConfig(port, timeouts) }).openSession();
    try {
      return await session.deliver(sent, 'security@example.org', 'a@example.net').catch((error: DeliveryError) => error);
    } finally {
      await session.close();
    }
  }

  it('waits for the answer to the final dot as long as timeouts.final_dot says, not timeouts.command', async () => {
    const server = await serve({ replyDelayMs: 1500 });
    expect(await deliver(server.port, { command: 1, final_dot: 4 })).toBe('250 2.0.0 Ok: queued as 1');
  });

  it('gives up on the final dot after timeouts.final_dot, naming it', async () => {
    const server = await serve({ replyDelayMs: 2500 });
    const outcome = await deliver(server.port, { command: 4, final_dot: 1 });
    expect(outcome).toMatchObject({ reply: 'connection lost after the message data was sent: no complete reply from the server within 1 s (timeouts.final_dot)', maybeDelivered: true });
  });

  /** Runs deliveries (one, to a@example.net, unless told) through the sending loop, with its ledger, as `herald send` does. */
  async function run(port: number, timeouts: Record<string, number>, attempts: number, waits: string[] = [], recipients = ['a@example.net'], sent = message) {
    const temp = await temporaryDir();
    cleanup.push(temp.remove);
    const ledger = Ledger.open(path.join(temp.dir, 'ledger.jsonl'), 'ledger.jsonl');
    const smtp = smtpConfig(port, timeouts);
    const result = await runDeliveries({
      deliveries: recipients.map((recipient) => ({ edition: 'OSSN-0001 r0', message: sent, recipient, attempts: 0 })),
      ledger,
      transport: smtpTransport({ smtp }),
      envelopeFrom: 'security@example.org',
      retry: { attempts, initial_delay_ms: 10, max_delay_ms: 20 },
      rateLimit: 0,
      messageTimeMs: smtp.timeouts.message * 1000,
      progress: { start() {}, update() {}, waiting: (text) => waits.push(text), finish() {} },
      clock: () => new Date('2024-02-01T12:00:00Z'),
    });
    await ledger.close();
    const reopened = Ledger.readOnly(path.join(temp.dir, 'ledger.jsonl'), 'ledger.jsonl');
    return { result, status: reopened.status('OSSN-0001 r0', recipients[0]!), statusOf: (recipient: string) => reopened.status('OSSN-0001 r0', recipient) };
  }

  it('does not send a message again whose final dot went unanswered: one copy at the server, uncertain in the ledger', async () => {
    const server = await serve({ replyDelayMs: 3000 });
    const { result, status } = await run(server.port, { final_dot: 1 }, 5);
    expect(server.messages).toHaveLength(1);
    expect(result).toMatchObject({ sent: 0, failed: [], retried: 0, uncertain: [{ recipient: 'a@example.net', attempts: 1 }] });
    expect(status).toMatchObject({ state: 'sending', attempts: 1, reply: expect.stringContaining('(timeouts.final_dot)') });
  });

  /** A message longer than a loopback connection's buffers hold (a few MiB): a server that stops reading stops the transfer. */
  const longMessage = {
    ...message,
    bytes: Buffer.from(`Subject: long\r\n\r\n${`${'A line of a long message, written again and again to fill the buffers.'.padEnd(76, '.')}\r\n`.repeat(400_000)}`),
  } as PreparedMessage;

  it('ends a transfer the server stopped taking after timeouts.data, not final_dot, and as not delivered: its final dot never left', async () => {
    const server = await serve({ holdData: true });
    const began = performance.now();
    const outcome = await deliver(server.port, { data: 1, command: 30, final_dot: 30 }, longMessage);
    expect(outcome).toMatchObject({
      kind: 'transient',
      reply: 'connection lost before the message\u2019s final dot had left: the server took none of herald\u2019s data for 1 s (timeouts.data)',
      maybeDelivered: false,
    });
    expect(performance.now() - began).toBeLessThan(20_000);
    expect(server.messages).toHaveLength(0);
  });

  it('retries a stalled transfer while the message\u2019s time lasts, says what it waits for, and leaves it failed, never uncertain', async () => {
    const server = await serve({ holdData: true });
    const waits: string[] = [];
    const { result, status } = await run(server.port, { data: 2, message: 1 }, 5, waits, ['a@example.net'], longMessage);
    expect(result.uncertain).toEqual([]);
    expect(result.failed).toEqual([expect.objectContaining({ recipient: 'a@example.net', reply: expect.stringMatching(/^connection lost before the message\u2019s final dot had left: the server took none of herald\u2019s data for 2 s \(timeouts\.data\); no attempt left within timeouts\.message/) })]);
    expect(status).toMatchObject({ state: 'failed' });
    expect(waits[0]).toBe(`waiting for 127.0.0.1:${server.port} to take the data of the message to a@example.net, 1 s so far (gives up after 2 s: timeouts.data)`);
  });

  it('stopped while a transfer stalls: says what it waits for; quitting then leaves the message pending, not uncertain', async () => {
    const server = await serve({ holdData: true });
    const temp = await temporaryDir();
    cleanup.push(temp.remove);
    const file = path.join(temp.dir, 'ledger.jsonl');
    const ledger = Ledger.open(file, 'ledger.jsonl');
    const stop = new AbortController();
    const quit = new AbortController();
    const waits: string[] = [];
    let saidStopping = () => {};
    const stopping = new Promise<void>((resolve) => (saidStopping = resolve));
    const running = runDeliveries({
      deliveries: [{ edition: 'OSSN-0001 r0', message: longMessage, recipient: 'a@example.net', attempts: 0 }],
      ledger,
      transport: smtpTransport({ smtp: smtpConfig(server.port, { data: 8 }) }),
      envelopeFrom: 'security@example.org',
      retry: { attempts: 5, initial_delay_ms: 10, max_delay_ms: 20 },
      rateLimit: 0,
      progress: {
        start() {},
        update() {},
        waiting: (text) => {
          waits.push(text);
          if (text.startsWith('stopping')) saidStopping();
        },
        finish() {},
      },
      clock: () => new Date('2024-02-01T12:00:00Z'),
      signal: stop.signal,
      quit: quit.signal,
    });
    // Stopped once the transfer stalls: the server holds the data unread, which herald cannot get past.
    await server.dataHeld;
    stop.abort('SIGINT');
    await stopping;
    expect(waits.find((line) => line.startsWith('stopping'))).toMatch(
      new RegExp(`^stopping once this is over: waiting for 127\\.0\\.0\\.1:${server.port} to take the data of the message to a@example\\.net, \\d s so far \\(gives up after 8 s: timeouts\\.data\\); stopped again, herald quits at once and leaves what waits for it pending \\(--resume sends it\\)$`),
    );
    // What a second Ctrl-C writes down before the process ends: the final dot never left, so the message is pending.
    quit.abort('SIGINT');
    const last = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { state: string }).at(-1);
    expect(last).toMatchObject({ to: 'a@example.net', state: 'pending' });
    expect(waits.at(-1)).toBe('quit at once: 0 message(s) uncertain, their final dot sent and unanswered (--resend-uncertain sends them again); 1 back to pending (--resume sends them)');
    const result = await running;
    await ledger.close();
    expect(result.uncertain).toEqual([]);
  });

  it('stops trying a message once timeouts.message is spent: failed, not uncertain, when the server stalled before its data', async () => {
    const server = await startStallingServer((line) => line === 'DATA');
    cleanup.push(server.close);
    const { result, status } = await run(server.port, { command: 1, message: 3 }, 20);
    expect(result.uncertain).toEqual([]);
    expect(result.failed).toHaveLength(1);
    // Each attempt waits a second for the answer to DATA: three fit in the message's 3 s, never the 20 allowed.
    expect(result.failed[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(result.failed[0]!.attempts).toBeLessThanOrEqual(4);
    expect(result.failed[0]!.reply).toBe('connection lost: no complete reply from the server within 1 s (timeouts.command); no attempt left within timeouts.message (3 s from the first)');
    expect(status).toMatchObject({ state: 'failed', attempts: result.failed[0]!.attempts });
  });

  it('counts a message\u2019s time from its own first attempt, not from the wait behind a stalled message', async () => {
    let stalled = false;
    let refused = false;
    // The first final dot goes unanswered; b's envelope, which rode behind it, gets one 451 on the next connection.
    const stallOnce = (line: string) => line === '.' && !stalled && (stalled = true);
    const refuseOnce = (line: string) => (line === 'RCPT TO:<b@example.net>' && !refused && (refused = true) ? '451 4.3.0 try again' : undefined);
    const server = await startStallingServer(stallOnce, undefined, refuseOnce);
    cleanup.push(server.close);
    const { result, statusOf } = await run(server.port, { final_dot: 2, message: 2 }, 5, [], ['a@example.net', 'b@example.net']);
    expect(result).toMatchObject({ sent: 1, failed: [], retried: 1, uncertain: [{ recipient: 'a@example.net', attempts: 1 }] });
    expect(statusOf('b@example.net')).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('says what it waits for while it waits long, and for how long', async () => {
    const stalled = await startStallingServer((line) => line === '.');
    cleanup.push(stalled.close);
    const waits: string[] = [];
    const { result } = await run(stalled.port, { final_dot: 2 }, 5, waits);
    expect(result.uncertain).toHaveLength(1);
    expect(waits).toEqual([`waiting for the answer of 127.0.0.1:${stalled.port} to the final dot of the message to a@example.net, 1 s so far (gives up after 2 s: timeouts.final_dot)`]);

    const silent = net.createServer(() => {});
    const held: net.Socket[] = [];
    silent.on('connection', (socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => (held.forEach((socket) => socket.destroy()), silent.close(() => resolve()))));
    const port = (silent.address() as net.AddressInfo).port;
    const greetings: string[] = [];
    await run(port, { greeting: 2 }, 1, greetings);
    expect(greetings).toEqual([`waiting for the greeting of 127.0.0.1:${port}, 1 s so far (gives up after 2 s: timeouts.greeting)`]);
  });

  it('words a long wait in minutes', () => {
    const wait = { what: 'the answer of smtp.example.org:587 to the final dot of the message to a@example.net', since: 0, limitMs: 600_000, setting: 'timeouts.final_dot' };
    expect(describeWait(wait, 150_400)).toBe('waiting for the answer of smtp.example.org:587 to the final dot of the message to a@example.net, 2 min 30 s so far (gives up after 10 min: timeouts.final_dot)');
  });

  it('herald send: a stalled final dot is reported while it lasts, then left uncertain, sent once', async () => {
    const server = await serve({ replyDelayMs: 4000 });
    const ws = await makeWorkspace({
      notes: ['OSSN-0100.md'],
      config: {
        mail: {
          from: 'Example Security Team <security@example.org>',
          lists: [
            { name: 'announce', address: 'security-announce@lists.example.org' },
            { name: 'discuss', address: 'security-discuss@lists.example.org' },
          ],
          transport: 'smtp',
          smtp: { host: '127.0.0.1', port: server.port, tls: 'none', allow_plaintext: true, pool_size: 1, timeouts: { final_dot: 2 } },
          retry: { attempts: 5, initial_delay_ms: 10, max_delay_ms: 40 },
        },
      },
    });
    cleanup.push(ws.remove);
    const run = await runHerald(['send', 'OSSN-0100', '--list', 'announce'], { cwd: ws.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`herald send: waiting for the answer of 127.0.0.1:${server.port} to the final dot of the message to security-announce@lists.example.org, 1 s so far (gives up after 2 s: timeouts.final_dot)`);
    expect(run.stdout).toContain('uncertain (it may have been delivered; --resume leaves it, --resend-uncertain resends it): security-announce@lists.example.org');
    expect(ws.ledger().filter((r) => r.to !== undefined).at(-1)).toMatchObject({ state: 'sending', attempts: 1, reply: expect.stringContaining('(timeouts.final_dot)') });
    expect(server.messages).toHaveLength(1);
  });
});
