/**
 * A pool of worker threads for note jobs. Each worker runs one note at a
 * time under a deadline and memory limits: a note that takes longer than
 * the deadline, or exhausts the worker's heap, is reported with its path and
 * its worker replaced, so no single note can stall or crash the build.
 *
 * A pool can outlive one build: `herald serve --watch` keeps its workers
 * warm between rebuilds instead of paying their start-up each time.
 */
import type { Worker } from 'node:worker_threads';
import { message } from '../model/validate.ts';
import { takeEarlyWorker } from './early-worker.ts';
import { leanHeapMb, spawnWorker, workerEntry } from './worker-spawn.ts';
import type { JobSettings, NoteJobResult } from './note-job.ts';
import type { SearchPartJob, SearchPartResult } from './search-part-job.ts';

/** What a job's earlier try went through, when it is sent again. */
export interface SecondTry {
  /** Set on the second try of a job that ran out of time on the first. */
  retry?: true;
  /**
   * Set on a job sent again after the worker it had been sent to failed
   * with it unanswered: a failure that could be another job's (a callback
   * it left behind), so the job is blamed only if a second worker fails too.
   */
  resent?: true;
}

export interface NoteJobRequest extends SecondTry {
  id: number;
  path: string;
  /** The note's bytes (transferred, not copied). */
  bytes: ArrayBuffer;
  hash: string;
  /** Cache key under which the worker stores the result, if caching. */
  key?: string;
  /** With `pendingDir`: the note's files in the previous output (`groupText`), which the worker leaves as they are. */
  previous?: string;
}

/** Sent to every worker before a run's jobs: what the jobs of this run share. */
export interface RunSettings {
  settings: JobSettings;
  cacheDir: string | null;
  /** Parse and lint only, no renderer (`herald lint`). */
  lintOnly?: true;
  /**
   * A cold build's staging folder: each worker writes its notes' outputs
   * there itself, and replies with their paths and hashes only.
   */
  stagingDir?: string;
  /**
   * An incremental build's output folder: each worker writes its notes'
   * changed files there as pending files (beside their targets, renamed
   * into place at commit), and replies with paths and hashes only.
   */
  pendingDir?: string;
}

/** One part of the site's search (see search-part-job.ts). */
export interface SearchPartRequest extends SecondTry {
  id: number;
  /** The part's folder, named in a report of its failure. */
  path: string;
  searchPart: SearchPartJob;
}

export type JobRequest = NoteJobRequest | SearchPartRequest;

/** A job's result; a job that failed or ran out of time is reported as a note result with an error message. */
export type JobResult = NoteJobResult | SearchPartResult;

/** A worker says `ready` once its modules are loaded and warm; deadlines start only then. */
export type JobReply = { ready: true } | { id: number; result: JobResult } | { id: number; error: string; code?: string; failure?: FileSystemFailure };

/** Where a failure of the file system struck, as Node's error says it: carried back from a worker, so the build names the file and the operation. */
export interface FileSystemFailure {
  path?: string;
  dest?: string;
  syscall?: string;
}

export interface PoolOptions {
  size: number;
  /** The most heap one job may use, in MiB (default 256): the limit of a worker that a job outgrew. */
  heapMb?: number;
  /**
   * The old-generation limit workers start with, in MiB (default 96). A
   * build worker needs about 40 MiB of it, but V8 lets a heap grow up to
   * its limit before collecting it in earnest; a lower limit keeps two
   * workers and the main thread of a cold build at 10,000 notes under
   * 512 MiB together. A job that outgrows it runs again on a worker with
   * `heapMb`.
   */
  leanHeapMb?: number;
  /** The worker script (default: bin/note-worker.js). */
  entry?: string;
}

export interface RunOptions extends RunSettings {
  /** Per-job deadline in milliseconds. */
  timeoutMs: number;
  /** Jobs sent to a worker ahead of its replies (default 2). */
  inFlight?: number;
}

/**
 * Jobs sent to one worker ahead of its replies. With two, a worker starts
 * its next note as soon as it finishes one, instead of waiting for the main
 * thread, busy writing another worker's outputs, to read its reply.
 */
const inFlight = 2;

interface Sent {
  job: JobRequest;
  /** A copy of a note job's bytes (the worker was given the original), for another try. */
  spare?: ArrayBuffer;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Started with the whole `heapMb` (after a job outgrew a lean worker). */
  full: boolean;
  /** Started for search parts only (`restart({ searchOnly: true })`): it has not loaded the note jobs' modules, and is given no note. */
  searchOnly: boolean;
  /** Jobs sent, in the order the worker runs them; the first is the one running. */
  sent: Sent[];
  /**
   * A job sent again after another worker failed with it (`resendOrBlame`)
   * or ran past its deadline, and the run it belongs to: this fresh worker
   * runs it first, so that nothing another job left behind can fail it
   * again, and its second try starts at once.
   */
  resent?: { job: JobRequest; run: Run };
  /** The error the worker failed with, once it has: acted on when it exits. */
  failure?: Error;
  /**
   * The deadline of the first job. It starts when the job is sent to an
   * idle worker, or when the reply before it is read: never before the
   * worker starts it, so a deadline is never cut short.
   */
  timer?: NodeJS.Timeout;
}

interface Run {
  queue: JobRequest[];
  pending: number;
  options: RunOptions;
  onResult: (result: JobResult) => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function failed(job: JobRequest, rule: 'render-timeout' | 'render-failed', text: string): NoteJobResult {
  return { path: job.path, hash: 'hash' in job ? job.hash : '', messages: [message(job.path, rule, text, { line: 1, column: 1 })], rendered: false, outputs: [], digests: {} };
}

/** A job sent to a worker, to be sent again: on its own bytes, the worker had the original. */
function jobOf(sent: Sent): JobRequest {
  return sent.spare ? { ...sent.job, bytes: sent.spare } : sent.job;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private run?: Run;
  private closed = false;
  /** Why a worker could not start, when one failed before a run had jobs to give it: every later run fails with it. */
  private broken?: unknown;
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly options: PoolOptions) {}

  /** How many workers the pool runs at most. */
  get size(): number {
    return this.options.size;
  }

  /**
   * Runs every job; calls `onResult` as each finishes (in completion order)
   * and resolves when all are done. One run at a time.
   */
  runJobs<R extends JobResult>(jobs: readonly JobRequest[], options: RunOptions, onResult: (result: R | NoteJobResult) => void): Promise<void> {
    if (this.run) return Promise.reject(new Error('the worker pool is already running jobs'));
    if (this.closed) return Promise.reject(this.broken ?? new Error('the worker pool is closed'));
    if (jobs.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.run = { queue: [...jobs], pending: jobs.length, options, onResult: onResult as (result: JobResult) => void, resolve, reject };
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

  /**
   * Replaces the workers (between runs) with fresh ones, started now. A
   * worker that rendered thousands of notes keeps a heap, and malloc
   * arenas, several times what it needs for the next run; a fresh one is
   * ready in about half a second, and reuses the arenas the old ones left.
   * With `searchOnly`, the fresh workers load the search parts' modules
   * alone (not the parser and the renderers, nor the warm-up note); a note
   * job that comes after all (a note rendered again for a lost record)
   * has the worker it reaches replaced by a whole one first.
   */
  async restart(options: { searchOnly?: boolean } = {}): Promise<void> {
    if (this.run) throw new Error('the worker pool is running jobs');
    const count = this.slots.length;
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
    if (this.closed) return;
    while (this.slots.length < count) this.slots.push(this.spawn(false, options.searchOnly === true));
  }

  /**
   * Stops the workers; resolves once every worker has stopped, whichever
   * call (a cancel, a failed run, the caller) began it. A run still going
   * (parts of the search sent ahead of a build that then failed) ends
   * with an error, rather than waiting for ever.
   */
  close(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    this.closed = true;
    const stopping = Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
    this.closing = Promise.all([this.closing, stopping]).then(() => undefined);
    run?.reject(new Error('the worker pool is closed'));
    return this.closing;
  }

  /**
   * Ends the running jobs with `error` (a worker could not write: the
   * same would happen to every job). A worker with jobs of the run in
   * hand is replaced, so that none of their replies reaches a later run.
   */
  private fail(error: Error): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    this.slots.forEach((slot, index) => {
      if (slot.sent.length === 0) return;
      void this.stop(slot);
      this.slots[index] = this.spawn(slot.full);
    });
    this.setRef(false);
    run.reject(error);
  }

  /** Ends the running jobs with `reason` (the build was stopped, a result could not be taken, a worker could not start), and closes the pool. */
  cancel(reason: unknown): Promise<void> {
    const run = this.run;
    this.run = undefined;
    const closed = this.close();
    run?.reject(reason);
    return closed;
  }

  private spawn(full = false, searchOnly = false): Slot {
    const heapMb = this.options.heapMb ?? 256;
    const oldMb = full ? heapMb : Math.min(heapMb, this.options.leanHeapMb ?? leanHeapMb);
    // The worker bin/herald.js started before the CLI loaded, when it is the one this pool would start now.
    const early = !full && !searchOnly && oldMb === leanHeapMb && this.options.entry === undefined ? takeEarlyWorker() : undefined;
    const worker = early?.worker ?? spawnWorker(this.options.entry ?? workerEntry, oldMb, full, searchOnly);
    // A warm pool must not keep the process alive between runs.
    if (!this.run) worker.unref();
    else worker.ref();
    const slot: Slot = { worker, ready: early?.ready ?? false, full: full || oldMb === heapMb, searchOnly, sent: [] };
    worker.on('message', (reply: JobReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.configure(slot);
        return this.next(slot);
      }
      const job = slot.sent[0]?.job;
      if (!job || job.id !== reply.id) return;
      if ('error' in reply && reply.code) return this.fail(Object.assign(new Error(reply.error.split('\n')[0]), { ...reply.failure, code: reply.code }));
      if ('error' in reply) this.finish(slot, failed(job, 'render-failed', `Rendering failed: ${reply.error.split('\n')[0]}`));
      else this.finish(slot, reply.result);
    });
    worker.on('error', (error) => {
      if (!slot.ready) return this.failToStart(slot, error.message);
      // Dealt with at the exit: Node tells of an uncaught error ahead of
      // the replies the worker sent before it, and hands those over only
      // as the worker exits. Blamed now, the error would fall on a note
      // whose reply is still on its way.
      slot.failure = error;
    });
    worker.on('exit', (code) => {
      if (!slot.ready && this.slots.includes(slot)) return this.failToStart(slot, `exit code ${code}`);
      // One that failed or ended while idle, after its last reply, is replaced, blaming no note: left
      // in its place, it would be sent the next run's notes and never answer.
      if (slot.sent.length === 0) return this.replace(slot);
      const outOfMemory = (slot.failure as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      // A job that outgrew a lean worker goes back to the queue; this
      // worker's place goes to one with the whole heap limit. Every lean
      // worker it lands on becomes a full one, so it ends on one.
      if (outOfMemory && !slot.full) return this.replace(slot, undefined, '', true);
      const why = slot.failure ? `The worker rendering this note failed: ${slot.failure.message}` : `The worker rendering this note stopped (exit code ${code})`;
      // A heap exhausted is the running job's doing. Anything else cannot be tied to it: a build worker
      // catches whatever a job throws, so an uncaught error (or an exit) comes from a callback a job left
      // behind, after that job's reply, with the next job sent and perhaps not even begun.
      if (outOfMemory) return this.replace(slot, 'render-failed', why);
      this.resendOrBlame(slot, why);
    });
    return slot;
  }

  /**
   * A worker failed, or ended, with jobs unanswered, in a way that cannot be
   * tied to the first of them: that job is sent again, once, as the first
   * job of the fresh worker that takes this one's place (the jobs behind it
   * go back to the queue as they are). Failing that worker too blames it, so
   * a job that really fails its workers is reported, once, and none loops.
   */
  private resendOrBlame(slot: Slot, why: string): void {
    const [first, ...waiting] = slot.sent;
    if (first!.job.resent) return this.replace(slot, 'render-failed', `${why} (the second worker to fail with this note)`);
    slot.sent = waiting;
    this.replace(slot, undefined, '', slot.full, { ...jobOf(first!), resent: true });
  }

  private configure(slot: Slot): void {
    if (!this.run) return;
    const { options } = this.run;
    const settings: RunSettings = {
      settings: options.settings,
      cacheDir: options.cacheDir,
      ...(options.stagingDir ? { stagingDir: options.stagingDir } : {}),
      ...(options.pendingDir ? { pendingDir: options.pendingDir } : {}),
      ...(options.lintOnly ? { lintOnly: true } : {}),
    };
    slot.worker.postMessage({ settings });
  }

  /** Sends jobs to the worker until it has `inFlight` of them. */
  private next(slot: Slot): void {
    const run = this.run;
    if (!run || !this.slots.includes(slot) || !slot.ready) return;
    const resent = slot.resent?.run === run ? slot.resent.job : undefined;
    slot.resent = undefined;
    if (resent) this.send(slot, resent);
    while (slot.sent.length < (run.options.inFlight ?? inFlight)) {
      if (slot.searchOnly && run.queue[0] && 'bytes' in run.queue[0]) return this.makeWhole(slot);
      const job = run.queue.shift();
      if (!job) return;
      this.send(slot, job);
    }
  }

  private send(slot: Slot, job: JobRequest): void {
    if ('bytes' in job) {
      slot.sent.push({ job, spare: job.bytes.slice(0) });
      slot.worker.postMessage(job, [job.bytes]);
    } else {
      slot.sent.push({ job });
      slot.worker.postMessage(job);
    }
    if (slot.sent.length === 1) this.startDeadline(slot);
  }

  /** A search-only worker, once idle, replaced by one that runs notes too (it sends itself jobs once ready). */
  private makeWhole(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index === -1 || slot.sent.length > 0) return;
    void this.stop(slot);
    this.slots[index] = this.spawn(slot.full);
  }

  private startDeadline(slot: Slot): void {
    const run = this.run;
    const first = slot.sent[0];
    if (!run || !first) return;
    slot.timer = setTimeout(() => {
      if (slot.sent[0] !== first) return;
      // A thread starved by a busy machine (or a long garbage collection)
      // can miss the deadline on any note: one more try, as the first job
      // of the fresh worker that takes this one's place, tells that apart
      // from a note that really stalls.
      if (!first.job.retry) {
        slot.sent.shift();
        return this.replace(slot, undefined, '', slot.full, { ...jobOf(first), retry: true });
      }
      this.replace(slot, 'render-timeout', `Rendering took longer than ${run.options.timeoutMs} ms, twice, and was stopped`);
    }, run.options.timeoutMs);
  }

  private finish(slot: Slot, result: JobResult): void {
    const run = this.run;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.sent.shift();
    if (!run) return;
    run.pending -= 1;
    // The worker's next note is already running (or is sent now) before
    // this result is handled (written to disk).
    this.startDeadline(slot);
    if (run.pending > 0) this.next(slot);
    this.deliver(run, result);
  }

  /** Hands a result to the run, and ends the run after its last one. */
  private deliver(run: Run, result: JobResult): void {
    try {
      run.onResult(result);
    } catch (error) {
      void this.cancel(error);
      return;
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
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
    this.broken ??= new Error(`a build worker could not start: ${reason}`);
    void this.cancel(this.broken);
  }

  /**
   * Stops a worker whose note stalled or crashed it and starts a fresh
   * worker (with the whole heap limit when `full`); reports the note when
   * given a rule (without one, the note was queued again).
   */
  private replace(slot: Slot, rule?: 'render-timeout' | 'render-failed', text = '', full = slot.full, resent?: JobRequest): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    clearTimeout(slot.timer);
    // The running job is reported (with a rule) or tried again; the jobs
    // sent behind it go back to the front of the queue, on their own bytes.
    const [first, ...waiting] = rule ? slot.sent : [];
    const again = (rule ? waiting : slot.sent).map(jobOf);
    slot.sent = [];
    this.run?.queue.unshift(...again);
    void this.stop(slot);
    const fresh = this.spawn(full);
    if (resent && this.run) fresh.resent = { job: resent, run: this.run };
    this.slots[index] = fresh;
    // Idle workers take the jobs put back (the fresh one, once it is ready).
    for (const other of this.slots) this.next(other);
    if (first && rule) this.report(failed(first.job, rule, text));
  }

  /** Counts a job that ended without a worker's reply. */
  private report(result: NoteJobResult): void {
    const run = this.run;
    if (!run) return;
    run.pending -= 1;
    this.deliver(run, result);
  }

  private async stop(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    slot.sent = [];
    await slot.worker.terminate();
  }
}

/** Runs jobs on a pool made for them, closed at the end. */
export async function runOnPool(jobs: readonly JobRequest[], options: PoolOptions & RunOptions, onResult: (result: JobResult) => void): Promise<void> {
  const pool = new WorkerPool(options);
  try {
    await pool.runJobs(jobs, options, onResult);
  } finally {
    await pool.close();
  }
}
