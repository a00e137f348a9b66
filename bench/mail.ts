/**
 * Benchmark of `herald send`: messages per second into Postfix's smtp-sink
 * for 10,000 subscribers with the ledger on, beside the rate of Postfix's
 * own load generator, smtp-source, into the same sink in the same run (the
 * ceiling on this machine). Target: at least half of smtp-source's rate.
 *
 *   npx tsx bench/mail.ts [--subscribers N] [--connections N] [--runs N] [--json]
 *
 * With `--runs N` the pair is measured N times, alternating, and the
 * medians are reported: on a shared machine one pair can be off by a lot.
 *
 * Needs /usr/sbin/smtp-sink and /usr/sbin/smtp-source (Debian postfix).
 * Timing numbers belong here, never in unit tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/schema.ts';
import { parseNote } from '../src/model/load.ts';
import { sendAnnouncements } from '../src/publish/mail/send.ts';

const sinkPath = '/usr/sbin/smtp-sink';
const sourcePath = '/usr/sbin/smtp-source';

export interface MailBenchResult {
  subscribers: number;
  connections: number;
  messageBytes: number;
  smtpSourcePerSecond: number;
  heraldPerSecond: number;
  /** herald's rate over smtp-source's (medians when there were several runs). */
  ratio: number;
  /** CPU time (user + system) of the herald process per message sent, in microseconds: less sensitive to other load than the rates. */
  heraldCpuPerMessageUs: number;
  /** Every pair measured, in order. */
  runs: { smtpSourcePerSecond: number; heraldPerSecond: number; ratio: number; heraldCpuPerMessageUs: number }[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startSink(port: number): Promise<ChildProcess> {
  const args = [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), '-m', '1024', `127.0.0.1:${port}`, '1024'];
  const sink = spawn(sinkPath, args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return sink;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('smtp-sink did not start');
}

/** smtp-source's rate: `count` messages of `bytes` over `connections` sessions, kept open (-d). */
function smtpSourceRate(port: number, count: number, connections: number, bytes: number): number {
  const started = performance.now();
  const result = spawnSync(sourcePath, ['-d', '-s', String(connections), '-m', String(count), '-l', String(bytes), '-f', 'security@example.org', '-t', 'reader@example.net', `127.0.0.1:${port}`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`smtp-source failed: ${result.stderr}`);
  return count / ((performance.now() - started) / 1000);
}

const note = `---
id: OSSN-0900
title: Benchmark announcement with the size of a real security note
date: 2024-01-15
status: published
severity: high
affects:
  - { product: libvirt, package: libvirt-bin, ecosystem: deb, fixed: 1.2.1-1+deb7u1 }
verify:
  - id: libvirt-fixed
    title: libvirt is at a fixed version
    run: dpkg-query -W -f='\${Version}\\n' libvirt-bin
    expect: { version: ">= 1.2.1-1+deb7u1", scheme: deb }
lists: []
---

## Summary

${'A paragraph of prose of the kind a security note holds, wrapped by herald to seventy-two columns for every mail client. '.repeat(12)}

## Affected Services / Software

libvirt on Debian 7.

## Discussion

${'More discussion of the problem, its impact and the conditions under which it can be exploited by an attacker. '.repeat(12)}

## Recommended Actions

1. **Upgrade libvirt.** Install the fixed package.

   \`\`\`sh
   apt-get update && apt-get install --only-upgrade libvirt-bin
   \`\`\`

   Verify: \`libvirt-fixed\`

## Contacts / References

The Example Security Team.
`;

class Discard extends Writable {
  override _write(_chunk: unknown, _encoding: string, callback: () => void): void {
    callback();
  }
}

export async function benchMail(options: { subscribers?: number; connections?: number; runs?: number } = {}): Promise<MailBenchResult> {
  const subscribers = options.subscribers ?? 10_000;
  const connections = options.connections ?? 4;
  const runs: MailBenchResult['runs'] = [];
  let messageBytes = 0;
  for (let run = 0; run < (options.runs ?? 1); run += 1) {
    const measured = await benchOnce(subscribers, connections);
    messageBytes = measured.messageBytes;
    runs.push({ smtpSourcePerSecond: measured.smtpSourcePerSecond, heraldPerSecond: measured.heraldPerSecond, ratio: measured.ratio, heraldCpuPerMessageUs: measured.heraldCpuPerMessageUs });
  }
  return {
    subscribers,
    connections,
    messageBytes,
    smtpSourcePerSecond: median(runs.map((r) => r.smtpSourcePerSecond)),
    heraldPerSecond: median(runs.map((r) => r.heraldPerSecond)),
    ratio: median(runs.map((r) => r.ratio)),
    heraldCpuPerMessageUs: median(runs.map((r) => r.heraldCpuPerMessageUs)),
    runs,
  };
}

/** One pair: smtp-source, then herald, into a fresh sink; a fresh ledger for herald. */
async function benchOnce(subscribers: number, connections: number): Promise<Omit<MailBenchResult, 'runs'>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
  const port = await freePort();
  const sink = await startSink(port);
  try {
    const config = configSchema.parse({
      mail: {
        from: 'Example Security Team <security@example.org>',
        transport: 'smtp',
        smtp: { host: '127.0.0.1', port, tls: 'none', allow_plaintext: true, pool_size: connections },
        subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' },
      },
    });
    const now = new Date('2024-02-01T12:00:00Z');
    const parsed = parseNote('notes/OSSN-0900.md', note, { config, now });
    if (!parsed.advisory) throw new Error(`benchmark note is invalid: ${parsed.messages.map((m) => m.message).join('; ')}`);
    mkdirSync(path.join(dir, 'state'));
    writeFileSync(path.join(dir, 'subscribers.csv'), ['email,products', ...Array.from({ length: subscribers }, (_, i) => `reader${i}@example.net,`)].join('\n') + '\n');

    // Warm both paths up, then measure each on the same sink.
    smtpSourceRate(port, 500, connections, 4096);
    const sourceRate = smtpSourceRate(port, subscribers, connections, 4096);

    const started = performance.now();
    const cpu = process.cpuUsage();
    const summary = await sendAnnouncements({
      advisories: [parsed.advisory],
      config,
      configFile: 'herald.config.yaml',
      cwd: dir,
      env: {},
      clock: () => now,
      lists: [],
      dryRun: false,
      resume: false,
      resendUncertain: false,
      stderr: new Discard(),
      interactive: false,
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const edition = summary.editions[0]!;
    if (edition.sent !== subscribers) throw new Error(`herald sent ${edition.sent} of ${subscribers}: ${JSON.stringify(edition.failed.slice(0, 3))}`);
    const heraldRate = subscribers / seconds;
    const { prepareMessage } = await import('../src/publish/mail/prepare.ts');
    const { subscribersAudience } = await import('../src/render/mail/audience.ts');
    const sample = await prepareMessage(parsed.advisory, subscribersAudience(config.mail.subscribers!), config, { date: now, signers: {} });
    return {
      subscribers,
      connections,
      messageBytes: sample.bytes.length,
      smtpSourcePerSecond: Math.round(sourceRate),
      heraldPerSecond: Math.round(heraldRate),
      ratio: Math.round((heraldRate / sourceRate) * 100) / 100,
      heraldCpuPerMessageUs: Math.round((cpuUsed.user + cpuUsed.system) / subscribers),
    };
  } finally {
    sink.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result as the lines `npm run bench -- mail` prints. */
export function describeMail(result: MailBenchResult): string {
  const runs = result.runs.length > 1
    ? result.runs.map((run, index) => `  run ${index + 1}: smtp-source ${run.smtpSourcePerSecond} msg/s, herald ${run.heraldPerSecond} msg/s (${Math.round(run.ratio * 100)}%), ${run.heraldCpuPerMessageUs} µs CPU/msg\n`).join('')
    : '';
  return (
    runs +
    `mail: ${result.subscribers} subscribers, ${result.connections} connections, ${result.messageBytes}-byte messages, ledger on${result.runs.length > 1 ? `, medians of ${result.runs.length} runs` : ''}\n` +
    `  smtp-source  ${result.smtpSourcePerSecond} msg/s (the ceiling)\n` +
    `  herald send  ${result.heraldPerSecond} msg/s (${Math.round(result.ratio * 100)}% of smtp-source; target 50%), ${result.heraldCpuPerMessageUs} µs CPU per message\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { subscribers: { type: 'string' }, connections: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } } });
  const result = await benchMail({
    ...(values.subscribers ? { subscribers: Number(values.subscribers) } : {}),
    ...(values.connections ? { connections: Number(values.connections) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
  });
  process.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : describeMail(result));
}
