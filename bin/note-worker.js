// Worker thread entry of the build's pool (src/build/worker-pool.ts). Workers
// do not inherit the main thread's loader hooks, so each chooses for itself
// between the compiled code and the sources through tsx (see compiled.js),
// unless the pool, itself compiled, says it is (`workerData.compiled`).
import { workerData } from 'node:worker_threads';
import { importEntry } from './compiled.js';

await importEntry('note-worker.js', 'src/build/note-worker.ts', workerData?.compiled === true);
