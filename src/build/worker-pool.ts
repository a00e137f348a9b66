/**
 * A pool of worker threads for note jobs. Each worker runs one note at a
 * time under a deadline and memory limits: a note that takes longer than
 * the deadline, or exhausts the worker's heap, is reported with its path and
 * its worker replaced, so no single note can stall or crash the build.
 *
 * A pool can outlive one build: `herald serve --watch` keeps its workers
 * warm between rebuilds instead of paying their start-up each time.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { message } from '../model/validate.ts';
import { packageRoot } from '../package-root.ts';
import type { JobSettings, NoteJobResult } from './note-job.ts';

export interface JobRequest {
  id: number;
  path: string;
  /** The note's bytes (transferred, not copied). */
  bytes: ArrayBuffer;
  hash: string;
  /** Cache key under which the worker stores the result, if caching. */
  key?: string;
  /** Set on the second try of a note that ran out of time on the first. */
  retry?: true;
}

/** Sent to every worker before a run's jobs: what the jobs of this run share. */
export interface RunSettings {
  settings: JobSettings;
  cacheDir: string | null;
}

/** A worker says `ready` once its modules are loaded and warm; deadlines start only then. */
export type JobReply = { ready: true } | { id: number; result: NoteJobResult } | { id: number; error: string };

export interface PoolOptions {
  size: number;
  /** Heap limit of each worker, in MiB. */
  heapMb?: number;
  /** The worker script (default: bin/note-worker.js). */
  entry?: string;
}

export interface RunOptions extends RunSettings {
  /** Per-note deadline in milliseconds. */
  timeoutMs: number;
}

const workerEntry = path.join(packageRoot, 'bin/note-worker.js');

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: JobRequest;
  /** A copy of the job's bytes (the worker was given the original), for its second try. */
  spare?: ArrayBuffer;
  timer?: NodeJS.Timeout;
}

interface Run {
  queue: JobRequest[];
  pending: number;
  options: RunOptions;
  onResult: (result: NoteJobResult) => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function failed(job: JobRequest, rule: 'render-timeout' | 'render-failed', text: string): NoteJobResult {
  return { path: job.path, hash: job.hash, messages: [message(job.path, rule, text, { line: 1, column: 1 })], rendered: false, outputs: [], digests: {} };
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private run?: Run;
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  /**
   * Runs every job; calls `onResult` as each finishes (in completion order)
   * and resolves when all are done. One run at a time.
   */
  runJobs(jobs: readonly JobRequest[], options: RunOptions, onResult: (result: NoteJobResult) => void): Promise<void> {
    if (this.run) return Promise.reject(new Error('the worker pool is already running jobs'));
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (jobs.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.run = { queue: [...jobs], pending: jobs.length, options, onResult, resolve, reject };
      const wanted = Math.max(1, Math.min(this.options.size, jobs.length));
      while (this.slots.length < wanted) this.slots.push(this.spawn());
      this.setRef(true);
      for (const slot of this.slots) {
        if (slot.ready) this.configure(slot);
        this.next(slot);
      }
    });
  }

  /**
   * Starts up to `count` workers ahead of the first run, so their start-up
   * (loading modules, warming up) overlaps what the caller does before it
   * has jobs to give them.
   */
  prestart(count: number): void {
    if (this.closed) return;
    const wanted = Math.max(0, Math.min(this.options.size, count));
    while (this.slots.length < wanted) this.slots.push(this.spawn());
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.entry ?? workerEntry, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb ?? 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
      stdout: false,
      stderr: false,
    });
    // A warm pool must not keep the process alive between runs.
    if (!this.run) worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (reply: JobReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.configure(slot);
        return this.next(slot);
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if ('error' in reply) this.finish(slot, failed(job, 'render-failed', `Rendering failed: ${reply.error.split('\n')[0]}`));
      else this.finish(slot, reply.result);
    });
    worker.on('error', (error) => {
      if (!slot.ready) return this.failToStart(slot, error.message);
      this.replace(slot, 'render-failed', `The worker rendering this note failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (!slot.ready && this.slots.includes(slot)) return this.failToStart(slot, `exit code ${code}`);
      if (slot.job) this.replace(slot, 'render-failed', `The worker rendering this note stopped (exit code ${code})`);
    });
    return slot;
  }

  private configure(slot: Slot): void {
    if (!this.run) return;
    const settings: RunSettings = { settings: this.run.options.settings, cacheDir: this.run.options.cacheDir };
    slot.worker.postMessage({ settings });
  }

  private next(slot: Slot): void {
    const run = this.run;
    if (!run || !this.slots.includes(slot) || !slot.ready || slot.job) return;
    const job = run.queue.shift();
    if (!job) return;
    slot.job = job;
    if (!job.retry) slot.spare = job.bytes.slice(0);
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      // A thread starved by a busy machine (or a long garbage collection)
      // can miss the deadline on any note: one more try on a fresh worker
      // tells that apart from a note that really stalls.
      if (!job.retry && slot.spare) {
        run.queue.unshift({ ...job, bytes: slot.spare, retry: true });
        return this.replace(slot);
      }
      this.replace(slot, 'render-timeout', `Rendering took longer than ${run.options.timeoutMs} ms, twice, and was stopped`);
    }, run.options.timeoutMs);
    slot.worker.postMessage(job, [job.bytes]);
  }

  private finish(slot: Slot, result: NoteJobResult): void {
    const run = this.run;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.spare = undefined;
    if (!run) return;
    run.pending -= 1;
    // The worker gets its next note before this result is handled (written
    // to disk), so it never waits for the main thread.
    if (run.pending > 0) this.next(slot);
    try {
      run.onResult(result);
    } catch (error) {
      this.run = undefined;
      void this.close();
      return run.reject(error);
    }
    if (run.pending === 0) {
      this.run = undefined;
      this.setRef(false);
      run.resolve();
    }
  }

  private setRef(on: boolean): void {
    for (const slot of this.slots) {
      if (on) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  /** A worker that dies before it is ready is broken (not a note's fault): starting another would loop. */
  private failToStart(slot: Slot, reason: string): void {
    const run = this.run;
    this.run = undefined;
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
    void this.close();
    run?.reject(new Error(`a build worker could not start: ${reason}`));
  }

  /**
   * Stops a worker whose note stalled or crashed it and starts a fresh
   * worker; reports the note when given a rule (without one, the note was
   * queued again).
   */
  private replace(slot: Slot, rule?: 'render-timeout' | 'render-failed', text = ''): void {
    const job = slot.job;
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.spare = undefined;
    void this.stop(slot);
    this.slots[index] = this.spawn();
    if (job && rule) this.finish(this.slots[index]!, failed(job, rule, text));
  }

  private async stop(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    slot.job = undefined;
    await slot.worker.terminate();
  }
}

/** Runs jobs on a pool made for them, closed at the end. */
export async function runOnPool(jobs: readonly JobRequest[], options: PoolOptions & RunOptions, onResult: (result: NoteJobResult) => void): Promise<void> {
  const pool = new WorkerPool(options);
  try {
    await pool.runJobs(jobs, options, onResult);
  } finally {
    await pool.close();
  }
}
