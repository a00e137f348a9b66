/**
 * A build worker: runs note jobs sent by the pool (see worker-pool.ts),
 * storing each result in the cache, and makes parts of the site's search.
 * One job at a time, so the pool can time out exactly the note that stalls.
 *
 * A worker started for search parts only (`workerData.searchOnly`, after a
 * cold build's render: `WorkerPool.restart`) loads neither the note jobs'
 * modules (parser, lint, renderers) nor renders the warm-up note: about a
 * second of CPU per worker on a busy machine. The pool never sends it a note.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runSearchPartJob } from './search-part-job.ts';
import { writeFailureCode } from '../io/write-failure.ts';
import type { FileSystemFailure, JobRequest, JobReply, RunSettings } from './worker-pool.ts';

const notes = workerData?.searchOnly === true ? undefined : await import('./note-runner.ts');

/** The settings of the current run; the pool sends them before the run's jobs. */
let current: RunSettings | undefined;
/** Folders of the current staging folder known to exist. */
let dirs = new Set<string>();

parentPort!.on('message', (request: JobRequest | { settings: RunSettings }) => {
  if ('settings' in request) {
    current = request.settings;
    dirs = new Set();
    return;
  }
  let reply: JobReply;
  try {
    if (!current) throw new Error('a job arrived before the run settings');
    if ('searchPart' in request) reply = { id: request.id, result: runSearchPartJob(request.searchPart) };
    else if (notes) reply = { id: request.id, result: notes.runNote(request, current, dirs) };
    else throw new Error('a note job arrived at a worker started for search parts only');
  } catch (error) {
    // A failure of the file system (a full disk) is the build's, not the note's: its code ends the run.
    const code = writeFailureCode(error);
    reply = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error), ...(code ? { code, failure: fileSystemFailure(error as NodeJS.ErrnoException & { dest?: string }) } : {}) };
  }
  parentPort!.postMessage(reply);
});

/** The file and the operation of a file-system error, which a message between threads would lose (only its text crosses). */
function fileSystemFailure(error: NodeJS.ErrnoException & { dest?: string }): FileSystemFailure {
  const { path, dest, syscall } = error;
  return { ...(path !== undefined ? { path } : {}), ...(dest !== undefined ? { dest } : {}), ...(syscall !== undefined ? { syscall } : {}) };
}

notes?.warmUp();
parentPort!.postMessage({ ready: true } satisfies JobReply);
