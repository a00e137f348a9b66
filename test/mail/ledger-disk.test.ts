/**
 * The ledger's disk failing in the middle of `herald send`: the process's
 * file size limit (prlimit --fsize, EFBIG) stands in for a disk that fills
 * up, since both refuse the next write(2) of a growing ledger. herald
 * stops sending at once with mail-ledger-unwritable (no stack trace), gives
 * up its lock, and the ledger, read again with room to grow, says what was
 * sent and what is uncertain: --resume then finishes without doubling
 * anything it recorded as sent.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/system.ts';
import { startSmtpServer, type TestServer } from './support/smtp.ts';
import { makeWorkspace, repoRoot, runHerald, type RunResult, type Workspace } from './support/workspace.ts';

const reason = missingTools('prlimit');

/** `herald <args>` as a child process whose files may not grow past `bytes`. */
function heraldWithFileLimit(bytes: number, args: string[], cwd: string): Promise<RunResult> {
  const child = spawn('prlimit', [`--fsize=${bytes}`, process.execPath, path.join(repoRoot, 'bin', 'herald.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HERALD_NOW: '2024-02-01T12:00:00Z' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

describe.skipIf(!!reason)('the ledger\u2019s disk refusing a write mid-run', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('stops sending at once with mail-ledger-unwritable, and --resume finishes the run without doubling a recorded delivery', async () => {
    const server: TestServer = await startSmtpServer();
    cleanup.push(server.close);
    const readers = Array.from({ length: 300 }, (_, i) => `member${i}@example.net`);
    const workspace: Workspace = await makeWorkspace({
      notes: ['OSSN-0100.md'],
      subscribers: readers.map((address) => `${address},`),
      config: {
        mail: {
          from: 'Example Security Team <security@example.org>',
          domain: 'security.example.org',
          lists: [{ name: 'announce', address: 'security-announce@lists.example.org' }, { name: 'discuss', address: 'security-discuss@lists.example.org' }],
          transport: 'smtp',
          smtp: { host: '127.0.0.1', port: server.port, tls: 'none', allow_plaintext: true, pool_size: 2 },
          subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' },
        },
      },
    });
    cleanup.push(workspace.remove);
    const args = ['send', 'OSSN-0100', '--list', 'subscribers', '--no-cache'];

    // About 250 bytes a record: the pending and first sending records fit, the ledger fills up while sending.
    const limited = await heraldWithFileLimit(130_000, args, workspace.dir);
    expect(limited.code, limited.stderr).toBe(1);
    expect(limited.stderr).toMatch(
      /^state\/mail-ledger\.jsonl:1:1 {2}error {2}mail-ledger-unwritable {2}Could not write to the mail ledger state\/mail-ledger\.jsonl: the file would grow past the size limit set for this process \(ulimit -f\) \(EFBIG\)\. Sending stopped at once\./m,
    );
    expect(limited.stderr).toContain('hint: Raise the file size limit of the process running herald (ulimit -f), then run the same herald send with --resume');
    expect(limited.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(path.join(workspace.dir, 'state', 'mail-ledger.jsonl.lock'))).toBe(false);
    const atFailure = server.messages.length;
    expect(atFailure).toBeGreaterThan(0);
    expect(atFailure).toBeLessThan(readers.length);

    // The write that failed may have left part of a record: only ever on the last line, which the next start cuts off.
    const lines = readFileSync(path.join(workspace.dir, 'state', 'mail-ledger.jsonl'), 'utf8').split('\n');
    const whole = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    const recorded = (state: string) => new Set(whole.filter((r) => r.state === state).map((r) => r.to as string));
    const sentBefore = recorded('sent');
    // Nothing the ledger could not account for was sent: every message the server got is recorded sent, or was handed over (sending).
    const handedOver = recorded('sending');
    for (const message of server.messages) expect(handedOver.has(message.to[0]!)).toBe(true);

    // With room again, --resume sends what is pending, lists the uncertain ones, and resends nothing recorded as sent.
    const resumed = await runHerald([...args, '--resume', '--json'], { cwd: workspace.dir });
    const summary = JSON.parse(resumed.stdout).editions[0];
    expect(summary.alreadySent).toBe(sentBefore.size);
    const uncertain: string[] = summary.uncertain.map((entry: { recipient: string }) => entry.recipient);
    expect(resumed.code).toBe(uncertain.length > 0 ? 1 : 0);
    expect(sentBefore.size + uncertain.length + summary.sent).toBe(readers.length);
    const finished = uncertain.length > 0 ? await runHerald([...args, '--resume', '--resend-uncertain'], { cwd: workspace.dir }) : resumed;
    expect(finished.code, finished.stderr).toBe(0);

    const counts = new Map<string, number>();
    for (const message of server.messages) for (const to of message.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    for (const address of readers) expect(counts.get(address), address).toBeGreaterThanOrEqual(1);
    // Only a message the ledger reported uncertain can have arrived twice.
    const doubled = [...counts].filter(([, count]) => count > 1).map(([address]) => address);
    for (const address of doubled) expect(uncertain).toContain(address);
    for (const address of sentBefore) expect(counts.get(address)).toBe(1);
  }, 60_000);
});
