/**
 * `mail.smtp.timeouts` against a real SMTP server on loopback (smtp-server,
 * slowed where the test says), with timeouts of a second or two: the final
 * dot's answer has a time of its own, longer than a command's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { smtpSchema } from '../../src/config/schema.ts';
import type { PreparedMessage } from '../../src/publish/mail/prepare.ts';
import { smtpTransport } from '../../src/publish/mail/transport-smtp.ts';
import { DeliveryError } from '../../src/publish/mail/transport.ts';
import { startSmtpServer, type TestServerOptions } from './support/smtp.ts';

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
  async function deliver(port: number, timeouts: Record<string, number>) {
    const session = smtpTransport({ smtp: smtpConfig(port, timeouts) }).openSession();
    try {
      return await session.deliver(message, 'security@example.org', 'a@example.net').catch((error: DeliveryError) => error);
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
});
