/**
 * Single-note rebuild latency inside a tool's watch mode: start the
 * watcher, wait for its first build, then edit one note and time how long
 * until the note's page (on disk or served on 127.0.0.1) shows the edit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { editNote } from './corpus.ts';
import type { WatchSpec } from './tools/types.ts';

export interface WatchResult {
  mode: string;
  /** From the edit until the note's page shows it. */
  latenciesMs: number[];
  /** From the edit until the whole rebuild finished, for tools that say (`WatchSpec.finished`). */
  wholeMs?: number[];
  error?: string;
}

const pollMs = 10;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function readProbe(probe: { file: string } | { url: string }): Promise<string> {
  try {
    if ('file' in probe) return await readFile(probe.file, 'utf8');
    const response = await fetch(probe.url, { headers: { 'cache-control': 'no-cache' } });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(pollMs);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    process.kill(-child.pid, 'SIGTERM');
  });
}

/**
 * Measures `runs` single-note rebuilds of note `id` (file `notePath`) in
 * the watcher `spec`. `timeoutMs` bounds the first build and each rebuild.
 */
export async function measureWatch(spec: WatchSpec, id: string, notePath: string, runs: number, timeoutMs: number): Promise<WatchResult> {
  const { command } = spec;
  const child = spawn(command.command, command.args, { cwd: command.cwd, env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  // Lines matching `finished`, counted as they come (a line may arrive in pieces, on either stream).
  let finished = 0;
  const partial = { out: '', err: '' };
  const count = (stream: 'out' | 'err', text: string) => {
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop()!;
    if (spec.finished) finished += lines.filter((line) => spec.finished!.test(line)).length;
  };
  const keep = (stream: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-20_000);
    count(stream, text);
  };
  child.stdout?.on('data', keep('out'));
  child.stderr?.on('data', keep('err'));
  const latenciesMs: number[] = [];
  const wholeMs: number[] = [];
  const result = () => ({ mode: spec.mode, latenciesMs, ...(spec.finished ? { wholeMs } : {}) });
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${spec.mode} exited with code ${child.exitCode}: ${output.slice(-1000)}`);
      return spec.ready.test(output);
    }, timeoutMs, `${spec.mode} to finish its first build`);
    const probe = spec.probe(id);
    await waitFor(async () => (await readProbe(probe)) !== '', 60_000, `the page of ${id}`);
    // Let file watchers settle after the first build before the first edit.
    await sleep(2000);
    for (let run = 1; run <= runs; run++) {
      const mark = `watch-${run}`;
      const before = finished;
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
      await editNote(notePath, mark);
      await waitFor(async () => (await readProbe(probe)).includes(mark), timeoutMs, `${id} to show the edit`);
      latenciesMs.push(elapsed());
      if (spec.finished) {
        await waitFor(async () => finished > before, timeoutMs, `${spec.mode} to finish the rebuild`);
        wholeMs.push(elapsed());
      }
      await sleep(1000);
    }
    return result();
  } catch (error) {
    return { ...result(), error: (error as Error).message };
  } finally {
    await stop(child);
  }
}
