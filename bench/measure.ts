/**
 * Whole-process measurements: wall time from spawn to exit, and peak
 * resident memory. Peak memory comes from GNU time (`/usr/bin/time -f %M`,
 * Debian package `time`) when present; otherwise, for Node programs only,
 * from a preloaded module that reports `process.resourceUsage().maxRSS` at
 * exit. Either way it is the peak of the largest single process, which
 * includes its worker threads but not separate child processes; the peak
 * of the whole tree is sampled beside it (process-tree.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sampleEveryMs, sampleTree } from './process-tree.ts';

/** One command to run and measure. */
export interface CommandSpec {
  command: string;
  args: string[];
  cwd: string;
  /** Added to the benchmark's own environment. */
  env?: Record<string, string>;
  /** True when `command` is `node`: peak memory can then be read without GNU time. */
  node?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  wallMs: number;
  /** Peak resident set size of the largest single process, in KiB, when it could be measured. */
  peakRssKiB?: number;
  /** Peak of the summed resident sets of the whole process tree, sampled from /proc, in KiB. */
  peakTreeKiB?: number;
  exitCode: number | null;
  /** The end of stdout and stderr, for error reports. */
  output: string;
  timedOut: boolean;
}

const gnuTime = '/usr/bin/time';
const outputTail = 4000;

/** How peak memory is measured on this machine, for the report. */
export function peakMemoryMethod(): string {
  const largest = existsSync(gnuTime) ? 'GNU time (/usr/bin/time -f %M), largest process' : 'process.resourceUsage().maxRSS of the Node process (no GNU time: Hugo memory not measured)';
  return `${largest}; all processes: sum of resident sets sampled from /proc every ${sampleEveryMs} ms`;
}

// Preloaded into Node children when GNU time is absent: writes maxRSS (KiB) at exit.
const rssReporter = `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.HERALD_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

/** Runs `spec` to completion and measures it. Never throws for a failing command: see `exitCode`. */
export async function measure(spec: CommandSpec): Promise<RunResult> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'herald-bench-rss-'));
  const rssFile = path.join(scratch, 'rss');
  try {
    let command = spec.command;
    let args = spec.args;
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
    if (existsSync(gnuTime)) {
      args = ['-f', '%M', '-o', rssFile, command, ...args];
      command = gnuTime;
    } else if (spec.node) {
      const reporter = path.join(scratch, 'rss-reporter.mjs');
      await writeFile(reporter, rssReporter);
      args = ['--import', reporter, ...args];
      env.HERALD_BENCH_RSS_FILE = rssFile;
    }
    let sampler: ReturnType<typeof sampleTree> | undefined;
    const started = process.hrtime.bigint();
    const { exitCode, output, timedOut } = await runToExit(command, args, spec.cwd, env, spec.timeoutMs, (pid) => {
      sampler = sampleTree(pid, command === gnuTime);
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const peakTreeKiB = await sampler?.stop();
    const peakRssKiB = await readRss(rssFile);
    return { wallMs, exitCode, output, timedOut, ...(peakRssKiB !== undefined ? { peakRssKiB } : {}), ...(peakTreeKiB !== undefined ? { peakTreeKiB } : {}) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readRss(file: string): Promise<number | undefined> {
  try {
    // GNU time writes "Command exited with non-zero status N" before the value on failure.
    const value = Number((await readFile(file, 'utf8')).trim().split('\n').at(-1));
    return Number.isFinite(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function runToExit(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number | undefined, onSpawn: (pid: number) => void): Promise<{ exitCode: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout stops the whole tree.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) onSpawn(child.pid);
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-outputTail);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs ?? 60 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output, timedOut });
    });
  });
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
