/**
 * A server that echoes what AUTH wrote in its refusal (as some echo every
 * command they refuse, and some decode the base64): the password, in any
 * of the forms herald wrote it, reaches neither the summary, nor the
 * errors, nor the ledger under state/, which a CI job may keep.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkspace, runHerald } from './support/workspace.ts';

const password = 'hunter2-s3cret';
const forms = [password, Buffer.from(password).toString('base64'), Buffer.from(`\u0000herald\u0000${password}`).toString('base64')];

/** An SMTP server offering AUTH `mechanism` that refuses it, quoting the client's line and its base64 decoded. */
async function echoingServer(mechanism: 'PLAIN' | 'LOGIN'): Promise<{ port: number; close: () => Promise<void> }> {
  const held: net.Socket[] = [];
  const server = net.createServer((socket) => {
    held.push(socket);
    socket.on('error', () => {});
    socket.write('220 echo.example.org ESMTP\r\n');
    let buffer = '';
    let step = 0;
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const decoded = Buffer.from(line.replace(/^AUTH \w+ ?/, ''), 'base64').toString('latin1');
        if (line.startsWith('EHLO')) socket.write(`250-echo.example.org\r\n250 AUTH ${mechanism}\r\n`);
        else if (line === 'AUTH LOGIN') (step = 1), socket.write('334 VXNlcm5hbWU6\r\n');
        else if (step === 1) (step = 2), socket.write('334 UGFzc3dvcmQ6\r\n');
        else socket.write(`535-5.7.8 Authentication failed for: ${line}\r\n535 5.7.8 decoded: ${decoded}\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => (held.forEach((s) => s.destroy()), server.close(() => resolve()))) };
}

describe('a server that echoes the AUTH line in its refusal', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  for (const mechanism of ['PLAIN', 'LOGIN'] as const) {
    it(`AUTH ${mechanism}: the password is hidden in the summary, the errors and the ledger`, async () => {
      const server = await echoingServer(mechanism);
      cleanup.push(server.close);
      const workspace = await makeWorkspace({
        notes: ['OSSN-0100.md'],
        config: {
          mail: {
            from: 'Example Security Team <security@example.org>',
            domain: 'security.example.org',
            lists: [{ name: 'announce', address: 'security-announce@lists.example.org' }, { name: 'discuss', address: 'security-discuss@lists.example.org' }],
            transport: 'smtp',
            smtp: { host: '127.0.0.1', port: server.port, tls: 'none', allow_plaintext: true, user: 'herald', password_env: 'SMTP_PASSWORD' },
          },
        },
      });
      cleanup.push(workspace.remove);
      const text = await runHerald(['send', 'OSSN-0100', '--no-cache'], { cwd: workspace.dir, env: { SMTP_PASSWORD: password } });
      const json = await runHerald(['send', 'OSSN-0100', '--no-cache', '--resume', '--json'], { cwd: workspace.dir, env: { SMTP_PASSWORD: password } });
      expect(text.code).toBe(1);
      expect(text.stderr).toMatch(/mail-smtp-refused {2}Sending stopped: 535-5\.7\.8 Authentication failed for: .*\[password hidden\]/);
      expect(JSON.parse(json.stdout).stopped).toContain('[password hidden]');
      const ledger = readFileSync(path.join(workspace.dir, 'state', 'mail-ledger.jsonl'), 'utf8');
      expect(ledger).toContain('[password hidden]');
      for (const written of [text.stdout, text.stderr, json.stdout, json.stderr, ledger]) {
        for (const form of forms) expect(written).not.toContain(form);
      }
    });
  }
});
