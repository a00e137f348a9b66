/**
 * Crash safety: `herald send` killed with SIGKILL in the middle of a
 * 2,000-message run, then run again. Every recipient ends up with the
 * message; the only possible duplicates are messages that were in flight,
 * and each of them was reported as uncertain before it was resent.
 * Interrupted with Ctrl-C (SIGINT) instead, it finishes what is on the wire
 * and leaves nothing uncertain: `--resume` completes the run, each
 * recipient mailed once.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GithubEmulator } from '../github/emulator.ts';
import { missingTools } from '../support/system.ts';
import { temporaryDir } from './support/notes.ts';
import { makeCertificate, startSmtpServer, type TestServer } from './support/smtp.ts';
import { makeWorkspace, runHerald, spawnHerald, type Workspace } from './support/workspace.ts';

const reason = missingTools('openssl');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!!reason)('herald send killed mid-run', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  /** A TLS server on loopback and a workspace whose subscribers are `readers` addresses, mailed over `poolSize` connections. */
  async function sendingWorkspace(options: { readers: number; poolSize: number; replyDelayMs?: number }) {
    const temp = await temporaryDir();
    cleanup.push(temp.remove);
    const certificate = makeCertificate(temp.dir);
    const server: TestServer = await startSmtpServer({ certificate, ...(options.replyDelayMs ? { replyDelayMs: options.replyDelayMs } : {}) });
    cleanup.push(server.close);
    const subscribers = Array.from({ length: options.readers }, (_, i) => `member${i}@example.net,`);
    const workspace: Workspace = await makeWorkspace({
      notes: ['OSSN-0100.md'],
      subscribers,
      config: {
        mail: {
          from: 'Example Security Team <security@example.org>',
          domain: 'security.example.org',
          lists: [{ name: 'announce', address: 'security-announce@lists.example.org' }, { name: 'discuss', address: 'security-discuss@lists.example.org' }],
          transport: 'smtp',
          smtp: { host: '127.0.0.1', port: server.port, tls: 'starttls', ca_file: 'ca.pem', pool_size: options.poolSize },
          subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' },
        },
      },
    });
    cleanup.push(workspace.remove);
    copyFileSync(certificate.certFile, path.join(workspace.dir, 'ca.pem'));
    return { server, subscribers, workspace };
  }

  it('loses nothing and resends only what was in flight, after reporting it', async () => {
    const { server, subscribers, workspace } = await sendingWorkspace({ readers: 2000, poolSize: 4 });
    const args = ['send', 'OSSN-0100', '--list', 'subscribers'];

    const child = spawnHerald(args, { cwd: workspace.dir, env: { HERALD_NOW: '2024-02-01T12:00:00Z' } });
    while (server.messages.length < 700 && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    await child.exited;
    const atKill = server.messages.length;
    expect(atKill, child.output().stderr).toBeGreaterThanOrEqual(700);
    expect(atKill).toBeLessThan(2000);

    // Straight after the crash, a plain re-run refuses and says what it found.
    const refused = await runHerald(args, { cwd: workspace.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/mail-run-unfinished +OSSN-0100 r2: an earlier run stopped with \d+ sent, \d+ pending, \d+ uncertain and 0 failed/);

    // --resume sends what was never handed over and reports the uncertain ones, without resending them.
    const resumed = await runHerald([...args, '--resume', '--json'], { cwd: workspace.dir });
    expect(resumed.code).toBe(1);
    const unknown: { recipient: string; reply: string }[] = JSON.parse(resumed.stdout).editions[0].uncertain;
    // A crash leaves no reply behind: the summary says so rather than nothing.
    expect(unknown.every((entry) => entry.reply.startsWith('no reply recorded'))).toBe(true);
    const uncertain = unknown.map((entry) => entry.recipient);
    expect(uncertain.length).toBeGreaterThan(0);
    // At most one window (16) per connection was marked `sending`, plus the `sent` records of the last
    // moment (each claim writes them out, and a connection claims after every 4 outcomes).
    expect(uncertain.length).toBeLessThanOrEqual(4 * 16 + 4 * 4);
    const received = () => {
      const counts = new Map<string, number>();
      for (const m of server.messages) counts.set(m.to[0]!, (counts.get(m.to[0]!) ?? 0) + 1);
      return counts;
    };
    const afterResume = received();
    expect(subscribers.map((row) => row.slice(0, -1)).filter((address) => !afterResume.has(address)).every((address) => uncertain.includes(address))).toBe(true);

    // --resend-uncertain completes the run; the same Message-ID lets receivers drop the duplicates.
    const completed = await runHerald([...args, '--resume', '--resend-uncertain', '--json'], { cwd: workspace.dir });
    expect(completed.code).toBe(0);
    expect(JSON.parse(completed.stdout).editions[0]).toMatchObject({ resentUncertain: uncertain.length, uncertain: [], failed: [] });

    const final = received();
    const everyone = subscribers.map((row) => row.slice(0, -1));
    expect(everyone.every((address) => (final.get(address) ?? 0) >= 1)).toBe(true);
    const duplicates = [...final].filter(([, count]) => count > 1);
    expect(duplicates.every(([address, count]) => count === 2 && uncertain.includes(address))).toBe(true);
    expect(duplicates.length).toBeLessThanOrEqual(uncertain.length);
    const messageIds = new Set(server.messages.map((m) => /^Message-ID: (.*)$/im.exec(m.raw.toString())![1]!.trim()));
    expect(messageIds.size).toBe(1);
    // And nothing more to do.
    const again = await runHerald([...args, '--json'], { cwd: workspace.dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).editions[0]).toMatchObject({ sent: 0, alreadySent: 2000 });
  });

  it('stops cleanly on SIGINT: the messages on the wire get their replies, the rest stays pending, none is uncertain', async () => {
    // A slow server: each message waits 100 ms for its reply, so a few are always in flight.
    const { server, workspace } = await sendingWorkspace({ readers: 60, poolSize: 2, replyDelayMs: 100 });
    const args = ['send', 'OSSN-0100', '--list', 'subscribers'];

    const child = spawnHerald([...args, '--json'], { cwd: workspace.dir, env: { HERALD_NOW: '2024-02-01T12:00:00Z' } });
    while (server.messages.length < 4 && child.exitCode === null) await sleep(5);
    child.kill('SIGINT');
    const code = await child.exited;
    const { stdout, stderr } = child.output();
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('herald send: stopping: no new message is started');
    const stopped = JSON.parse(stdout);
    expect(stopped.interrupted).toBe('SIGINT');
    const edition = stopped.editions[0];
    // Every message the server holds got its reply and was recorded sent; nothing is uncertain.
    expect(edition.sent).toBe(server.messages.length);
    expect(edition.sent).toBeLessThan(60);
    expect(edition.notAttempted).toBe(60 - edition.sent);
    expect(edition.uncertain).toEqual([]);
    const plan = JSON.parse((await runHerald([...args, '--resume', '--dry-run', '--json'], { cwd: workspace.dir })).stdout).editions[0].plan as { status: string }[];
    expect(plan.filter((entry) => entry.status === 'sending')).toEqual([]);
    expect(plan.filter((entry) => entry.status === 'sent')).toHaveLength(edition.sent);

    // --resume (no --resend-uncertain needed) mails the rest: everyone once.
    const resumed = await runHerald([...args, '--resume', '--json'], { cwd: workspace.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).editions[0]).toMatchObject({ sent: 60 - edition.sent, alreadySent: edition.sent, uncertain: [] });
    const counts = new Map<string, number>();
    for (const m of server.messages) counts.set(m.to[0]!, (counts.get(m.to[0]!) ?? 0) + 1);
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it('a second Ctrl-C while a final dot waits for its answer: says what it waits for and how long, quits at once, and the ledger calls that message uncertain', async () => {
    const { server, workspace } = await sendingWorkspace({ readers: 1, poolSize: 1, replyDelayMs: 60_000 });
    const args = ['send', 'OSSN-0100', '--list', 'subscribers'];
    const child = spawnHerald(args, { cwd: workspace.dir, env: { HERALD_NOW: '2024-02-01T12:00:00Z' } });
    // The server has the message whole, and holds its answer back.
    while (server.messages.length < 1 && child.exitCode === null) await sleep(5);
    child.kill('SIGINT');
    const stopping = 'herald send: stopping once this is over: waiting for the answer of 127.0.0.1:';
    for (const began = Date.now(); !child.output().stderr.includes(stopping) && child.exitCode === null && Date.now() - began < 10_000; ) await sleep(20);
    expect(child.output().stderr).toMatch(
      /herald send: stopping once this is over: waiting for the answer of 127\.0\.0\.1:\d+ to the final dot of the message to member0@example\.net, \d+ s so far \(gives up after 10 min: timeouts\.final_dot\); stopped again, herald quits at once and leaves that message uncertain/,
    );
    child.kill('SIGINT');
    const code = await child.exited;
    const { stderr } = child.output();
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('herald send: quit at once: 1 message(s) uncertain, their final dot sent and unanswered (--resend-uncertain sends them again); 0 back to pending (--resume sends them)');
    expect(workspace.ledger().filter((r) => r.to === 'member0@example.net').at(-1)).toMatchObject({
      state: 'sending',
      attempts: 1,
      reply: 'herald quit (SIGINT) while waiting for the answer to the final dot: it may have been delivered',
    });
    const plan = JSON.parse((await runHerald([...args, '--resume', '--dry-run', '--json'], { cwd: workspace.dir })).stdout).editions[0].plan as { status: string }[];
    expect(plan.map((entry) => entry.status)).toEqual(['sending']);
  });

  it('herald publish, a second Ctrl-C while a final dot waits for its answer: the ledger calls that message uncertain, as herald send does', async () => {
    const { server, workspace } = await sendingWorkspace({ readers: 0, poolSize: 1, replyDelayMs: 60_000 });
    const github = await new GithubEmulator('example/advisories').start();
    cleanup.push(() => github.stop());
    const env = { HERALD_NOW: '2024-02-01T12:00:00Z', GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url, GITHUB_SHA: 'd'.repeat(40) };
    const child = spawnHerald(['publish'], { cwd: workspace.dir, env });
    // The build, then the first list's message, whose answer the server holds back.
    while (server.messages.length < 1 && child.exitCode === null) await sleep(20);
    child.kill('SIGINT');
    for (const began = Date.now(); !child.output().stderr.includes('stopping once this is over') && child.exitCode === null && Date.now() - began < 10_000; ) await sleep(20);
    child.kill('SIGINT');
    const code = await child.exited;
    const { stderr } = child.output();
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('quit at once: 1 message(s) uncertain, their final dot sent and unanswered');
    expect(workspace.ledger()).toContainEqual(expect.objectContaining({ state: 'sending', reply: 'herald quit (SIGINT) while waiting for the answer to the final dot: it may have been delivered' }));
  });
});
