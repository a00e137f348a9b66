/**
 * The render worker `herald build` starts first of all: bin/herald.js
 * calls `startEarlyWorker` (compiled code only: `dist-js/early-worker.js`)
 * before it loads the CLI, so that the worker's start-up (loading the
 * parser and the renderers, its warm-up note: about a second, more on a
 * busy machine) overlaps the loading of the CLI's own modules too, not only
 * the config, the lock and the cache's index. The build's pool takes it as
 * its first worker (`takeEarlyWorker`, in `WorkerPool`); until then it says
 * whether it became ready or failed, here. Unreferenced: a command that
 * never takes it (a usage error, a build with `--workers 0`) exits as if
 * it had not been started.
 */
import type { Worker } from 'node:worker_threads';
import { leanHeapMb, spawnWorker, workerEntry } from './worker-spawn.ts';

/** The worker started early, and what it said before a pool took it. */
export interface EarlyWorker {
  worker: Worker;
  /** It said it is ready (modules loaded, warm). */
  ready: boolean;
  /** It failed or exited before a pool took it. */
  failed: boolean;
}

let early: { taken: EarlyWorker; stop: () => void } | undefined;

/** Starts the early worker (lean, as the pool's first worker starts), unless one is waiting to be taken; returns that worker. */
export function startEarlyWorker(): Worker {
  if (early) return early.taken.worker;
  const taken: EarlyWorker = { worker: spawnWorker(workerEntry, leanHeapMb, false), ready: false, failed: false };
  const onMessage = (reply: unknown) => {
    if (typeof reply === 'object' && reply !== null && 'ready' in reply) taken.ready = true;
  };
  const onFailure = () => {
    taken.failed = true;
  };
  taken.worker.on('message', onMessage).on('error', onFailure).on('exit', onFailure).unref();
  const stop = () => void taken.worker.off('message', onMessage).off('error', onFailure).off('exit', onFailure);
  early = { taken, stop };
  return taken.worker;
}

/**
 * The early worker for a pool of the default script and heap limits to
 * take, with the listeners here removed (the pool's own are attached in
 * the same turn, so no message is lost); undefined when none was started,
 * it was taken, or it failed (the pool then starts one itself, and says why
 * that one cannot start).
 */
export function takeEarlyWorker(): EarlyWorker | undefined {
  const current = early;
  early = undefined;
  current?.stop();
  if (current?.taken.failed) {
    void current.taken.worker.terminate();
    return undefined;
  }
  return current?.taken;
}
