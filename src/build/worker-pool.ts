/**
 * A pool of worker threads for note jobs. Each worker runs one note at a
 * time under a deadline and memory limits: a note that takes longer than
 * the deadline, or exhausts the worker's heap, is reported with its path and
 * its worker replaced, so no single note can stall or crash the build.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { message } from '../model/validate.ts';
import type { JobSettings, NoteJobResult } from './note-job.ts';

export interface JobRequest {
  id: number;
  path: string;
  /** The note's bytes (transferred, not copied). */
  bytes: ArrayBuffer;
  hash: string;
  /** Cache key under which the worker stores the result, if caching. */
  key?: string;
}

/** A worker says `ready` once its modules are loaded; deadlines start only then. */
export type JobReply = { ready: true } | { id: number; result: NoteJobResult } | { id: number; error: string };

export interface PoolOptions {
  size: number;
  settings: JobSettings;
  cacheDir: string | null;
  /** Per-note deadline in milliseconds. */
  timeoutMs: number;
  /** Heap limit of each worker, in MiB. */
  heapMb?: number;
  /** The worker script (default: bin/note-worker.js). */
  entry?: string;
}

const workerEntry = fileURLToPath(new URL('../../bin/note-worker.js', import.meta.url));

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: JobRequest;
  timer?: NodeJS.Timeout;
}

function failed(job: JobRequest, rule: 'render-timeout' | 'render-failed', text: string): NoteJobResult {
  return { path: job.path, hash: job.hash, messages: [message(job.path, rule, text, { line: 1, column: 1 })], rendered: false, outputs: [], digests: {} };
}

/**
 * Runs every job on the pool; calls `onResult` as each finishes (in
 * completion order) and resolves when all are done.
 */
export function runOnPool(jobs: readonly JobRequest[], options: PoolOptions, onResult: (result: NoteJobResult) => void): Promise<void> {
  const queue = [...jobs];
  let pending = jobs.length;
  return new Promise((resolve, reject) => {
    if (pending === 0) return resolve();
    const slots: Slot[] = [];
    const finish = (slot: Slot, result: NoteJobResult) => {
      clearTimeout(slot.timer);
      slot.job = undefined;
      try {
        onResult(result);
      } catch (error) {
        shutdown();
        return reject(error);
      }
      pending -= 1;
      if (pending === 0) {
        shutdown();
        resolve();
      } else next(slot);
    };
    const spawn = (): Slot => {
      const worker = new Worker(options.entry ?? workerEntry, {
        workerData: { settings: options.settings, cacheDir: options.cacheDir },
        resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
        stdout: false,
        stderr: false,
      });
      const slot: Slot = { worker, ready: false };
      worker.on('message', (reply: JobReply) => {
        if ('ready' in reply) {
          slot.ready = true;
          return next(slot);
        }
        const job = slot.job;
        if (!job || job.id !== reply.id) return;
        if ('error' in reply) finish(slot, failed(job, 'render-failed', `Rendering failed: ${reply.error.split('\n')[0]}`));
        else finish(slot, reply.result);
      });
      worker.on('error', (error) => replace(slot, `The worker rendering this note failed: ${error.message}`));
      worker.on('exit', (code) => {
        if (slot.job) replace(slot, `The worker rendering this note stopped (exit code ${code})`);
      });
      return slot;
    };
    const replace = (slot: Slot, text: string) => {
      const job = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      void slot.worker.terminate();
      const index = slots.indexOf(slot);
      if (index === -1) return;
      const fresh = spawn();
      slots[index] = fresh;
      if (job) finish(fresh, failed(job, 'render-failed', text));
    };
    const next = (slot: Slot) => {
      if (!slots.includes(slot) || !slot.ready || slot.job) return;
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      slot.timer = setTimeout(() => {
        if (slot.job !== job) return;
        const index = slots.indexOf(slot);
        slot.job = undefined;
        void slot.worker.terminate();
        const fresh = spawn();
        slots[index] = fresh;
        finish(fresh, failed(job, 'render-timeout', `Rendering took longer than ${options.timeoutMs} ms and was stopped`));
      }, options.timeoutMs);
      slot.worker.postMessage(job, [job.bytes]);
    };
    const shutdown = () => {
      for (const slot of slots.splice(0)) {
        clearTimeout(slot.timer);
        void slot.worker.terminate();
      }
    };
    const size = Math.max(1, Math.min(options.size, jobs.length));
    for (let i = 0; i < size; i++) slots.push(spawn());
  });
}
