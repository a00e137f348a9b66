/**
 * A build worker: runs note jobs sent by the pool (see worker-pool.ts),
 * storing each result in the cache, and makes parts of the site's search.
 * One job at a time, so the pool can time out exactly the note that stalls.
 */
import { parentPort } from 'node:worker_threads';
import { defaultConfig } from '../config/load.ts';
import { writeCacheEntry } from './cache.ts';
import { groupFiles } from './manifest.ts';
import { writePendingNote, writeStagedNote } from './output-writer.ts';
import { runNoteJob, type NoteJobResult } from './note-job.ts';
import { runSearchPartJob } from './search-part-job.ts';
import { writeFailureCode } from '../io/write-failure.ts';
import type { FileSystemFailure, JobRequest, JobReply, NoteJobRequest, RunSettings } from './worker-pool.ts';

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
    reply = { id: request.id, result: 'searchPart' in request ? runSearchPartJob(request.searchPart) : runNote(request, current) };
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

/** A note job: rendered, stored in the cache, and written into the staging folder (a cold build) or as pending files into the output (an incremental one). */
function runNote(request: NoteJobRequest, run: RunSettings): NoteJobResult {
  const result = runNoteJob(request.path, new Uint8Array(request.bytes), request.hash, run.settings, run.lintOnly ? [] : undefined);
  if (run.cacheDir && request.key) {
    writeCacheEntry(run.cacheDir, request.key, result);
    // The search record is in the entry: the build reads it from there, one part at a time.
    delete result.search;
  }
  if (result.outputs.length === 0 || !(run.stagingDir || run.pendingDir)) return result;
  if (run.stagingDir) {
    writeStagedNote(run.stagingDir, result.outputs, dirs);
    result.staged = true;
  } else {
    const previous = groupFiles(request.previous ?? '');
    result.pending = writePendingNote(run.pendingDir!, result.outputs, (file) => previous.get(file), dirs);
  }
  result.outputs = result.outputs.map((file) => ({ path: file.path, sha256: file.sha256, contents: '' }));
  return result;
}

/**
 * Renders a small note once before taking work, so one-time costs (module
 * initialization, template compilation, the JIT's first pass) do not count
 * against the first real note's deadline.
 */
const warmUpNote = [
  '---',
  'id: OSSN-0000',
  'title: Warm-up',
  'date: 2000-01-01',
  'status: published',
  'affects: [{ product: warm-up, ecosystem: deb, fixed: "1.0-1" }]',
  'verify: [{ id: v, title: v, run: "true", expect: { exit: 0 } }]',
  '---',
  '## Summary',
  'Text with `code`, a [link](https://example.org/) and https://example.org/.',
  '## Affected Services / Software',
  '| a | b |',
  '| - | - |',
  '| 1 | 2 |',
  '## Discussion',
  '> quote',
  '## Recommended Actions',
  '1. **Upgrade.**',
  '',
  '   ```sh',
  '   apt-get install --only-upgrade warm-up',
  '   ```',
  '',
  '   Verify: `v`',
  '## Contacts / References',
  '<b>bold</b>',
  '',
].join('\n');
runNoteJob('OSSN-0000.md', new TextEncoder().encode(warmUpNote), '', { config: defaultConfig(), now: new Date().toISOString(), preview: false });

parentPort!.postMessage({ ready: true } satisfies JobReply);
