/**
 * The note jobs of a build worker (see note-worker.ts): a note rendered,
 * stored in the cache and written where the run says. Kept apart from the
 * worker's message loop so that a worker started for search parts only
 * never loads the parser, lint and the renderers.
 */
import { defaultConfig } from '../config/load.ts';
import { writeCacheEntry } from './cache.ts';
import { groupFiles } from './manifest.ts';
import { writePendingNote, writeStagedNote } from './output-writer.ts';
import { runNoteJob, type NoteJobResult } from './note-job.ts';
import type { NoteJobRequest, RunSettings } from './worker-pool.ts';

/** A note job: rendered, stored in the cache, and written into the staging folder (a cold build) or as pending files into the output (an incremental one). `dirs`: the folders of the run's output known to exist. */
export function runNote(request: NoteJobRequest, run: RunSettings, dirs: Set<string>): NoteJobResult {
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
 * A small note, rendered once before the worker takes work, so one-time
 * costs (module initialization, template compilation, the JIT's first
 * pass) do not count against the first real note's deadline.
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

export function warmUp(): void {
  runNoteJob('OSSN-0000.md', new TextEncoder().encode(warmUpNote), '', { config: defaultConfig(), now: new Date().toISOString(), preview: false });
}
