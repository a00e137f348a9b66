/**
 * How a build worker thread is started: its script, heap limits and
 * `workerData`. Shared by the pool (`worker-pool.ts`) and by the worker
 * bin/herald.js starts before the CLI loads (`early-worker.ts`), which the
 * pool then takes as its first worker: both must start the same thread.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { packageRoot } from '../package-root.ts';
import { runsCompiled } from './sources-digest.ts';

export const workerEntry = path.join(packageRoot, 'bin/note-worker.js');

/** The old-generation limit a worker starts with, in MiB, unless its pool says otherwise (see `PoolOptions.leanHeapMb`). */
export const leanHeapMb = 96;

/** Starts a build worker: lean (`full` false) or with the whole heap limit `oldMb`; `searchOnly` loads the search alone (see worker-pool.ts). */
export function spawnWorker(entry: string, oldMb: number, full: boolean, searchOnly = false): Worker {
  return new Worker(entry, {
    // A young generation of 16 MiB costs a few per cent of CPU against 32 (8 MiB cost 30 %).
    resourceLimits: { maxOldGenerationSizeMb: oldMb, maxYoungGenerationSizeMb: full ? 32 : 16, stackSizeMb: 8 },
    stdout: false,
    stderr: false,
    // Compiled code starts its workers on the same code, without checking again that it is fresh (bin/compiled.js).
    workerData: { compiled: runsCompiled, searchOnly },
  });
}
