/**
 * `herald send` end to end against a real SMTP server on loopback
 * (smtp-server with STARTTLS and a self-signed certificate): a list, two
 * thousand subscribers, threading, re-runs, injected 4xx/5xx replies and
 * dropped connections, and TLS refused unless plaintext is allowed.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/system.ts';
import { dkimVerify, gpgKeyring, makeDkimKey, makePgpKey, missingDkimpy, type PgpKeyPair } from './support/keys.ts';
import { temporaryDir } from './support/notes.ts';
import { makeCertificate, startSmtpServer, type Certificate, type TestServer } from './support/smtp.ts';
import { makeWorkspace, runHerald, spawnHerald, type Workspace } from './support/workspace.ts';

/** mailparser without its HTML conversions, which these checks do not read. */
const parserOptions = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

const reason = missingTools('openssl', 'gpg') ?? missingDkimpy();

const lists = [
  { name: 'announce', address: 'security-announce@lists.example.org', unsubscribe: 'https://lists.example.org/unsubscribe/announce', description: 'Security announcements' },
  { name: 'discuss', address: 'security-discuss@lists.example.org' },
];

function mailConfig(port: number, extra: Record<string, unknown> = {}, smtp: Record<string, unknown> = {}) {
  return {
    site: { title: 'Example Security Notes', base_url: 'https://security.example.org/' },
    mail: {
      from: 'Example Security Team <security@example.org>',
      domain: 'security.example.org',
      lists,
      transport: 'smtp',
      smtp: { host: '127.0.0.1', port, tls: 'starttls', ca_file: 'ca.pem', pool_size: 4, ...smtp },
      retry: { attempts: 4, initial_delay_ms: 10, max_delay_ms: 40 },
      ...extra,
    },
  };
}

/** 2,000 subscribers: 1,500 for libvirt, 300 for glance only, 200 for everything. */
function subscriberRows(): { rows: string[]; wantsLibvirt: string[] } {
  const rows: string[] = [];
  const wantsLibvirt: string[] = [];
  for (let i = 0; i < 2000; i += 1) {
    const address = `user${String(i).padStart(4, '0')}@subscribers.example.net`;
    const products = i < 1500 ? 'libvirt' : i < 1800 ? 'glance' : '';
    rows.push(`${address},${products}`);
    if (products !== 'glance') wantsLibvirt.push(address);
  }
  return { rows, wantsLibvirt };
}

describe.skipIf(!!reason)('herald send over SMTP', () => {
  let temp: Awaited<ReturnType<typeof temporaryDir>>;
  let certificate: Certificate;
  let pgp: PgpKeyPair;
  let dkimKey: ReturnType<typeof makeDkimKey>;
  let keyring: Awaited<ReturnType<typeof gpgKeyring>>;
  const open: { servers: TestServer[]; workspaces: Workspace[] } = { servers: [], workspaces: [] };

  beforeAll(async () => {
    temp = await temporaryDir();
    certificate = makeCertificate(temp.dir);
    pgp = await makePgpKey();
    dkimKey = makeDkimKey();
    keyring = await gpgKeyring(pgp.publicKey);
  });
  afterAll(async () => {
    await Promise.all(open.servers.map((s) => s.close()));
    await Promise.all(open.workspaces.map((w) => w.remove()));
    keyring?.remove();
    await temp?.remove();
  });

  async function server(options: Parameters<typeof startSmtpServer>[0] = {}) {
    const started = await startSmtpServer({ certificate, ...options });
    open.servers.push(started);
    return started;
  }

  async function workspace(notes: string[], config: object, subscribers?: string[]) {
    const created = await makeWorkspace({ notes, config, ...(subscribers ? { subscribers } : {}) });
    copyFileSync(certificate.certFile, path.join(created.dir, 'ca.pem'));
    writeFileSync(path.join(created.dir, 'dkim.pem'), dkimKey.privateKey);
    open.workspaces.push(created);
    return created;
  }

  const env = () => ({ HERALD_PGP_KEY: pgp.privateKey });

  it('sends a signed, DKIM-signed announcement to the lists and 2,000 subscribers, once each', async () => {
    const smtp = await server();
    const { rows, wantsLibvirt } = subscriberRows();
    const config = mailConfig(smtp.port, {
      signing: { mode: 'inline', key_env: 'HERALD_PGP_KEY' },
      dkim: { domain: 'example.org', selector: 'herald', key_file: 'dkim.pem' },
      subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org', unsubscribe: 'https://security.example.org/unsubscribe' },
    });
    const ws = await workspace(['OSSN-0100.md', 'OSSN-0101.md'], config, rows);

    // A child process, as an operator runs it: the server in this process gets the other core.
    const child = spawnHerald(['send', 'OSSN-0100', '--json'], { cwd: ws.dir, env: { ...env(), HERALD_NOW: '2024-02-01T12:00:00Z' } });
    expect(await child.exited).toBe(0);
    const run = child.output();
    expect(run.stderr).not.toMatch(/warning/);
    expect(run.stderr).toMatch(/^herald send: 1702\/1702 \(100%\)/m);
    const summary = JSON.parse(run.stdout);
    expect(summary.editions[0]).toMatchObject({ edition: 'OSSN-0100 r2', recipients: 1702, sent: 1702, alreadySent: 0, failed: [], uncertain: [] });

    // Every expected recipient got exactly one message, over TLS, one recipient per envelope.
    const expected = [lists[0]!.address, lists[1]!.address, ...wantsLibvirt].sort();
    expect(smtp.messages.every((m) => m.secure && m.to.length === 1 && m.from === 'security@example.org')).toBe(true);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(expected);

    // Recipients of one audience share the very same bytes; each audience has its own List-Id.
    const byAudience = new Map<string, Set<string>>();
    const parsed = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw, parserOptions)));
    for (const [index, message] of parsed.entries()) {
      const listId = message.headerLines.find((h) => h.key === 'list-id')!.line;
      const set = byAudience.get(listId) ?? new Set<string>();
      set.add(smtp.messages[index]!.raw.toString('base64'));
      byAudience.set(listId, set);
      expect(message.subject).toBe('[OSSN-0100 UPDATE 2] Live migration over unauthenticated libvirt TCP exposes every compute node');
      expect(message.messageId).toBe(summary.editions[0].messageId);
      expect(message.inReplyTo).toMatch(/^<ossn-0100\.r1\.[0-9a-f]{16}@security\.example\.org>$/);
    }
    expect([...byAudience.keys()].sort()).toEqual([
      'List-Id: <security-discuss.lists.example.org>',
      'List-Id: <security-subscribers.example.org>',
      'List-Id: Security announcements <security-announce.lists.example.org>',
    ]);
    expect([...byAudience.values()].map((s) => s.size)).toEqual([1, 1, 1]);

    // One message per audience through the real judges: gpg for the inline signature, dkimpy for DKIM.
    for (const raw of [...byAudience.values()].map((s) => Buffer.from([...s][0]!, 'base64'))) {
      const text = (await simpleParser(raw)).text!;
      const file = path.join(temp.dir, 'received.txt');
      writeFileSync(file, text);
      expect((await keyring.verify(file)).status).toContain(`VALIDSIG ${pgp.fingerprint}`);
      const verdict = dkimVerify(raw, dkimKey.publicKeyBase64);
      expect(verdict.ok).toBe(true);
      if (raw.includes('List-Unsubscribe-Post:')) expect(verdict.signedHeaders).toContain('list-unsubscribe-post');
    }

    // A re-run sends nothing: the ledger knows every delivery.
    const again = await runHerald(['send', 'OSSN-0100', '--json'], { cwd: ws.dir, env: env() });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).editions[0]).toMatchObject({ sent: 0, alreadySent: 1702 });
    expect(smtp.messages).toHaveLength(1702);
  });

  it('threads an update under the original as received', async () => {
    const smtp = await server();
    const ws = await workspace(['OSSN-0100.md'], mailConfig(smtp.port, { lists: [lists[0]] }));
    const note = path.join(ws.dir, 'notes', 'OSSN-0100.md');
    const full = readFileSync(note, 'utf8');
    // First as originally published (no revisions, one list), then as it stands.
    writeFileSync(note, full.replace(/^revisions:\n(  - .*\n)+/m, '').replace('lists: [announce, discuss]', 'lists: [announce]'));
    expect((await runHerald(['send', 'OSSN-0100'], { cwd: ws.dir })).code).toBe(0);
    writeFileSync(note, full.replace('lists: [announce, discuss]', 'lists: [announce]'));
    const update = await runHerald(['send', 'OSSN-0100'], { cwd: ws.dir });
    expect(update.code).toBe(0);
    expect(update.stderr).toContain('warning: mail.signing is not configured');
    const [original, second] = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    expect(original!.subject).toBe('[OSSN-0100] Live migration over unauthenticated libvirt TCP exposes every compute node');
    expect(original!.inReplyTo).toBeUndefined();
    expect(second!.subject).toMatch(/^\[OSSN-0100 UPDATE 2\]/);
    // UPDATE 1 was never mailed: UPDATE 2 names it as its parent, and the original before it, so it threads under the original.
    expect(second!.references).toEqual([original!.messageId, expect.stringMatching(/^<ossn-0100\.r1\./)]);
    expect(second!.inReplyTo).toBe(second!.references![1]);
  });

  it('retries 4xx replies, records 5xx as failed with the reply, and resumes', async () => {
    const tries = new Map<string, number>();
    const count = (address: string) => {
      const n = (tries.get(address) ?? 0) + 1;
      tries.set(address, n);
      return n;
    };
    const smtp = await server({
      onRecipient: (address) => {
        if (address.startsWith('gone')) return { code: 550, message: '5.1.1 <gone@subscribers.example.net>: Recipient address rejected: User unknown' };
        if (address.startsWith('busy') && count(address) <= 2) return { code: 451, message: '4.3.0 Try again later' };
        return 'accept';
      },
    });
    const rows = ['gone@subscribers.example.net,', 'busy@subscribers.example.net,', ...Array.from({ length: 40 }, (_, i) => `ok${i}@subscribers.example.net,`)];
    const ws = await workspace(['OSSN-0100.md'], mailConfig(smtp.port, { subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' } }), rows);

    const run = await runHerald(['send', 'OSSN-0100', '--list', 'subscribers', '--json'], { cwd: ws.dir });
    expect(run.code).toBe(1);
    const edition = JSON.parse(run.stdout).editions[0];
    expect(edition).toMatchObject({ recipients: 42, sent: 41, uncertain: [] });
    expect(edition.failed).toEqual([
      { edition: 'OSSN-0100 r2', recipient: 'gone@subscribers.example.net', attempts: 1, reply: expect.stringContaining('550 5.1.1') },
    ]);
    expect(JSON.parse(run.stdout).messages).toEqual([expect.objectContaining({ ruleId: 'mail-delivery-failed', message: expect.stringMatching(/^OSSN-0100 r2: 1 of 42 message\(s\) not confirmed delivered/) })]);
    const received = smtp.messages.map((m) => m.to[0]);
    expect(received.filter((r) => r === 'busy@subscribers.example.net')).toHaveLength(1);
    expect(received).toHaveLength(41);
    const busy = ws.ledger().filter((r) => r.to === 'busy@subscribers.example.net').map((r) => r.state);
    expect(busy).toEqual(['pending', 'sending', 'retry', 'sending', 'retry', 'sending', 'sent']);

    // Without --resume the unfinished edition is refused; with it only the failed one is tried again.
    const refused = await runHerald(['send', 'OSSN-0100', '--list', 'subscribers'], { cwd: ws.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/mail-run-unfinished +OSSN-0100 r2: an earlier run stopped with 41 sent, 0 pending, 0 uncertain and 1 failed/);
    const resumed = await runHerald(['send', 'OSSN-0100', '--list', 'subscribers', '--resume'], { cwd: ws.dir });
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toContain('42 recipient(s): 0 sent now, 41 sent before, 1 failed, 0 uncertain');
    expect(resumed.stdout).toContain('failed: gone@subscribers.example.net after 2 attempt(s): 550 5.1.1');
    expect(smtp.messages).toHaveLength(41);
  });

  it('leaves uncertain, neither retried nor failed, a message whose attempt lost the connection after its final dot: --resume does not send it again unasked', async () => {
    let dropping = true;
    let attempts = 0;
    const smtp = await server({
      onMessage: (message) => {
        if (!message.to[0]!.startsWith('flaky')) return 'accept';
        attempts += 1;
        return dropping ? 'drop' : 'accept';
      },
    });
    const rows = ['flaky@subscribers.example.net,', 'ok@subscribers.example.net,'];
    const ws = await workspace(['OSSN-0100.md'], mailConfig(smtp.port, { subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' } }), rows);
    const args = ['send', 'OSSN-0100', '--list', 'subscribers'];

    const run = await runHerald([...args, '--json'], { cwd: ws.dir });
    expect(run.code).toBe(1);
    const edition = JSON.parse(run.stdout).editions[0];
    expect(edition).toMatchObject({ recipients: 2, sent: 1, failed: [], uncertain: [{ recipient: 'flaky@subscribers.example.net', attempts: 1, reply: expect.stringContaining('connection lost after the message data was sent') }] });
    // The server may hold it: a retry could be a second copy.
    expect(attempts).toBe(1);
    expect(JSON.parse(run.stdout).messages).toEqual([expect.objectContaining({ ruleId: 'mail-delivery-failed', message: 'OSSN-0100 r2: 1 of 2 message(s) not confirmed delivered (0 failed, 1 uncertain, 0 not attempted)', hint: expect.stringContaining('add --resend-uncertain to send those again too') })]);
    const last = ws.ledger().filter((r) => r.to === 'flaky@subscribers.example.net').at(-1);
    expect(last).toMatchObject({ state: 'sending', attempts: 1, reply: expect.stringContaining('connection lost after the message data was sent') });

    // The server may hold it: --resume says so and leaves it; --resend-uncertain sends it.
    const resumed = await runHerald([...args, '--resume'], { cwd: ws.dir });
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toContain('2 recipient(s): 0 sent now, 1 sent before, 0 failed, 1 uncertain');
    expect(resumed.stdout).toMatch(/uncertain \(it may have been delivered; --resume leaves it, --resend-uncertain resends it\): flaky@subscribers\.example\.net after 1 attempt\(s\): connection lost after the message data was sent/);
    expect(attempts).toBe(1);
    dropping = false;
    const resent = await runHerald([...args, '--resume', '--resend-uncertain'], { cwd: ws.dir });
    expect(resent.code, resent.stderr).toBe(0);
    expect(attempts).toBe(2);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['flaky@subscribers.example.net', 'ok@subscribers.example.net']);
  });

  it('refuses a server without STARTTLS, leaving everything pending, unless plaintext is allowed', async () => {
    const smtp = await server({ starttls: false });
    const ws = await workspace(['OSSN-0100.md'], mailConfig(smtp.port));
    const refused = await runHerald(['send', 'OSSN-0100', '--json'], { cwd: ws.dir });
    expect(refused.code).toBe(1);
    const summary = JSON.parse(refused.stdout);
    expect(summary.stopped).toMatch(/^TLS could not be started/);
    expect(summary.editions[0]).toMatchObject({ sent: 0, notAttempted: 2 });
    // With --json every finding is said once, in the JSON, at the smtp section's line.
    const smtpLine = readFileSync(path.join(ws.dir, 'herald.config.yaml'), 'utf8').split('\n').findIndex((line) => line.startsWith('  smtp:')) + 1;
    expect(summary.ok).toBe(false);
    expect(summary.messages).toEqual([
      expect.objectContaining({ file: 'herald.config.yaml', line: smtpLine, column: 3, ruleId: 'mail-smtp-refused', message: expect.stringMatching(/^Sending stopped: TLS could not be started/) }),
      expect.objectContaining({ ruleId: 'mail-delivery-failed' }),
    ]);
    expect(refused.stderr).not.toContain('mail-smtp-refused');
    const text = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir });
    expect(text.stderr).toMatch(new RegExp(`herald\\.config\\.yaml:${smtpLine}:3 +error +mail-smtp-refused +Sending stopped`));
    expect(smtp.messages).toHaveLength(0);
    expect(new Set(ws.ledger().filter((r) => r.to).map((r) => `${r.to} ${r.state}`).slice(-2))).toEqual(
      new Set(['security-announce@lists.example.org pending', 'security-discuss@lists.example.org pending']),
    );

    ws.writeConfig(mailConfig(smtp.port, {}, { allow_plaintext: true }));
    const plain = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('warning: allow_plaintext is set: mail to 127.0.0.1');
    expect(smtp.messages.map((m) => m.secure)).toEqual([false, false]);
  });

  it('refuses a certificate it cannot verify, and authenticates with the password from the environment', async () => {
    const smtp = await server({ auth: { user: 'herald', password: 's3cret' } });
    const ws = await workspace(['OSSN-0100.md'], mailConfig(smtp.port, {}, { ca_file: undefined, user: 'herald', password_env: 'SMTP_PASSWORD' }));
    const untrusted = await runHerald(['send', 'OSSN-0100', '--json'], { cwd: ws.dir, env: { SMTP_PASSWORD: 's3cret' } });
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout).stopped).toMatch(/certificate/i);

    ws.writeConfig(mailConfig(smtp.port, {}, { user: 'herald', password_env: 'SMTP_PASSWORD' }));
    const wrong = await runHerald(['send', 'OSSN-0100', '--resume', '--json'], { cwd: ws.dir, env: { SMTP_PASSWORD: 'guess' } });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).stopped).toMatch(/535/);
    expect(wrong.stdout + wrong.stderr).not.toContain('guess');
    // What stopped the run is said at the smtp section; the edition not delivered at the note's lists, not at the config's first line.
    const smtpLine = readFileSync(path.join(ws.dir, 'herald.config.yaml'), 'utf8').split('\n').findIndex((text) => /^ {2}smtp:/.test(text)) + 1;
    expect(JSON.parse(wrong.stdout).messages).toEqual([
      expect.objectContaining({ file: 'herald.config.yaml', line: smtpLine, ruleId: 'mail-smtp-refused', message: 'Sending stopped: 535 Invalid username or password' }),
      expect.objectContaining({ file: 'notes/OSSN-0100.md', line: 29, column: 8, ruleId: 'mail-delivery-failed', message: 'OSSN-0100 r2: 2 of 2 message(s) not confirmed delivered (0 failed, 0 uncertain, 2 not attempted)', hint: expect.stringContaining('None of these messages was refused: the run stopped before them') }),
    ]);
    const wrongText = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir, env: { SMTP_PASSWORD: 'guess' } });
    expect(wrongText.stdout).toContain('2 recipient(s): 0 sent now, 0 sent before, 0 failed, 0 uncertain\n  2 not attempted: run again with --resume\nStopped: 535 Invalid username or password\n');

    const missing = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir, env: {} });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/mail-key-unavailable +The environment variable SMTP_PASSWORD \(the SMTP password\) is not set/);
    // At the setting that names it, with what to do about a password (not about signing keys).
    const configLines = readFileSync(path.join(ws.dir, 'herald.config.yaml'), 'utf8').split('\n');
    const line = configLines.findIndex((text) => /password_env: *["']?SMTP_PASSWORD/.test(text)) + 1;
    expect(line).toBeGreaterThan(1);
    expect(missing.stderr).toMatch(new RegExp(`^herald\\.config\\.yaml:${line}:\\d+ +error +mail-key-unavailable`, 'm'));
    expect(missing.stderr).toMatch(/hint: Set SMTP_PASSWORD in the environment herald send runs in/);

    // A CA file that is not there is the config's mistake, said at its setting before anything is sent.
    ws.writeConfig(mailConfig(smtp.port, {}, { ca_file: 'relay-ca.pem', user: 'herald', password_env: 'SMTP_PASSWORD' }));
    const noCa = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir, env: { SMTP_PASSWORD: 's3cret' } });
    expect(noCa.code).toBe(1);
    const caLine = readFileSync(path.join(ws.dir, 'herald.config.yaml'), 'utf8').split('\n').findIndex((text) => /ca_file: *["']?relay-ca\.pem/.test(text)) + 1;
    expect(noCa.stderr).toMatch(new RegExp(`^herald\\.config\\.yaml:${caLine}:\\d+ +error +config-invalid +\`mail\\.smtp\\.ca_file\` names relay-ca\\.pem \\(.*\\), but there is no such file`, 'm'));
    expect(noCa.stderr).not.toMatch(/\n +at /);
    expect(smtp.messages).toHaveLength(0);

    ws.writeConfig(mailConfig(smtp.port, {}, { user: 'herald', password_env: 'SMTP_PASSWORD' }));
    const right = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir, env: { SMTP_PASSWORD: 's3cret' } });
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('2 recipient(s): 2 sent now, 0 sent before, 0 failed, 0 uncertain\n');
    expect(smtp.authenticated).toContain('herald');
    // Each list once: the refused logins lost nothing and the resume doubled nothing.
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(lists.map((list) => list.address).sort());
    const again = await runHerald(['send', 'OSSN-0100', '--resume'], { cwd: ws.dir, env: { SMTP_PASSWORD: 's3cret' } });
    expect(again.stdout).toContain('2 recipient(s): 0 sent now, 2 sent before');
    expect(smtp.messages).toHaveLength(2);
  });
});
