/**
 * `herald build`: read every note, parse and lint it once (in worker
 * threads, or from the cache when nothing it depends on changed), refuse
 * while any note has an error, render every output, and write them.
 *
 * - Cold (no previous output): everything is written into a staging folder
 *   that replaces the output folder in one rename at the end.
 * - Incremental (a previous output with its manifest): everything is
 *   rendered first; only then are the files whose bytes changed replaced,
 *   each by an atomic rename, and stale files removed. A failure before
 *   that point leaves the previous output untouched.
 */
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { compareMessages, HeraldError, type HeraldMessage } from '../errors/message.ts';
import { findNoteFiles } from '../io/find-notes.ts';
import { checkOutputPaths } from '../io/write-tree.ts';
import { lintAcrossNotes } from '../lint/run.ts';
import type { ParsedNote } from '../model/load.ts';
import type { Advisory } from '../model/types.ts';
import { renderers as registry } from '../render/registry.ts';
import type { OutputFile, Renderer } from '../render/types.ts';
import { emptyIndex, entryKey, globalKey, loadIndex, readCachedOutputs, saveIndex, sha256, writeCacheEntry, type CacheIndex, type IndexRecord } from './cache.ts';
import { runNoteJob, type JobSettings, type NoteJobResult } from './note-job.ts';
import { OutputWriter, loadManifest } from './output-writer.ts';
import type { PostBuildStep } from './post-build.ts';
import { defaultPostBuildSteps } from './steps.ts';
import { isPublic, newestFirst } from './select.ts';
import { WorkerPool, type JobRequest } from './worker-pool.ts';

export interface BuildOptions {
  /** Note files or folders. */
  notes: readonly string[];
  /** Output folder (e.g. `dist`). */
  out: string;
  config: Config;
  now: Date;
  preview?: boolean;
  cwd?: string;
  /** Cache folder, or false for none (default `.herald-cache`; previews never use it). */
  cache?: string | false;
  /** Worker threads: 0 runs in-process; default one per core. */
  workers?: number;
  /** A pool to run on, kept warm by the caller across builds (`serve --watch`); default: one for this build. */
  pool?: WorkerPool;
  /** Per-note render deadline in milliseconds (default 2,000). */
  timeoutMs?: number;
  /** Rebuild and rewrite everything, ignoring the cache and the previous output. */
  clean?: boolean;
  /** The renderers to run (default: the registry); tests only, implies in-process. */
  renderers?: readonly Renderer[];
  /** Steps after the default ones (search index), e.g. CSAF signing. */
  postBuild?: readonly PostBuildStep[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface BuildResult {
  advisories: Advisory[];
  /** Warnings (errors abort the build). */
  messages: HeraldMessage[];
  /** Output files in the tree. */
  files: number;
  /** Output files whose bytes were (re)written. */
  written: number;
  /** Notes parsed and rendered in this build (the rest came from the cache). */
  rendered: number;
  out: string;
}

/** The state of one note after this build's read phase. */
interface NoteState {
  path: string;
  record: IndexRecord;
  /** Outputs produced in this build, when the note was (re)rendered. */
  fresh?: OutputFile[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => {});
  const preview = options.preview ?? false;
  const settings: JobSettings = { config: options.config, now: options.now.toISOString(), preview };
  const out = path.resolve(cwd, options.out);
  const inProcess = options.renderers !== undefined || options.workers === 0;
  const cacheDir = preview || options.cache === false || options.renderers ? null : path.resolve(cwd, options.cache ?? '.herald-cache');
  const key = globalKey(options.config, preview);
  const previous: CacheIndex = cacheDir && !options.clean ? loadIndex(cacheDir, key) : emptyIndex(key);

  // Read phase: reuse what the cache knows, queue the rest.
  const files = await findNoteFiles(options.notes, cwd);
  const states = new Map<string, NoteState>();
  const jobs: JobRequest[] = [];
  let jobId = 0;
  for (const file of files) {
    const full = path.resolve(cwd, file);
    const info = await stat(full);
    const known = previous.notes[file];
    if (known && reusable(known, options.now, preview) && known.size === info.size && known.mtimeMs === info.mtimeMs) {
      states.set(file, { path: file, record: known });
      continue;
    }
    const bytes = await readFile(full);
    const hash = sha256(bytes);
    if (known && reusable(known, options.now, preview) && known.hash === hash) {
      states.set(file, { path: file, record: { ...known, size: info.size, mtimeMs: info.mtimeMs } });
      continue;
    }
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    jobs.push({ id: jobId++, path: file, bytes: buffer, hash, key: cacheDir ? entryKey(key, file, hash) : undefined });
    states.set(file, { path: file, record: { size: info.size, mtimeMs: info.mtimeMs, hash, key: '', messages: [], rendered: false, outputs: [], digests: {} } });
  }

  // Render phase: the changed notes, on the pool (or in-process).
  const accept = (result: NoteJobResult, entry?: string) => {
    const state = states.get(result.path)!;
    state.record = {
      ...state.record,
      key: entry ?? '',
      messages: result.messages,
      ...(result.summary ? { summary: result.summary } : {}),
      ...(result.positions ? { positions: result.positions } : {}),
      rendered: result.rendered,
      digests: result.digests,
      outputs: result.outputs.map((file) => ({ path: file.path, sha256: sha256(file.contents) })),
    };
    state.fresh = result.outputs;
  };
  if (jobs.length > 0) log(`herald: rendering ${jobs.length} of ${files.length} notes${inProcess ? '' : ` on ${Math.min(jobs.length, options.workers ?? availableParallelism())} worker(s)`}`);
  if (inProcess) {
    for (const job of jobs) {
      const result = runNoteJob(job.path, new Uint8Array(job.bytes), job.hash, settings, options.renderers ?? registry);
      if (cacheDir && job.key) writeCacheEntry(cacheDir, job.key, result);
      accept(result, job.key);
    }
  } else {
    const keys = new Map(jobs.map((job) => [job.path, job.key]));
    let done = 0;
    const pool = options.pool ?? new WorkerPool({ size: options.workers ?? availableParallelism() });
    try {
      await pool.runJobs(jobs, { settings, cacheDir, timeoutMs: options.timeoutMs ?? 2000 }, (result) => {
        accept(result, keys.get(result.path));
        done += 1;
        if (done % 1000 === 0) log(`herald: ${done}/${jobs.length} notes rendered`);
      });
    } finally {
      if (!options.pool) await pool.close();
    }
  }

  // Checks across notes, then refuse while anything is broken.
  const notes = [...states.values()];
  const messages = notes.flatMap((state) => state.record.messages);
  messages.push(...lintAcrossNotes(notes.map(asParsedNote)));
  messages.sort(compareMessages);
  if (messages.some((m) => m.severity === 'error')) {
    if (cacheDir) saveIndex(cacheDir, withoutBroken(key, notes));
    throw new HeraldError(messages);
  }

  // Aggregates, from the summaries of what may be shown now.
  const selected = notes
    .filter((state) => state.record.summary && (preview || isPublic(state.record.summary, options.now)))
    .sort((a, b) => newestFirst(a.record.summary!, b.record.summary!));
  const advisories = selected.map((state) => state.record.summary!);
  log(`herald: ${files.length} notes read, ${advisories.length} to publish${preview ? ' (PRIVATE PREVIEW: drafts and embargoed notes included)' : ''}`);
  const context = { config: options.config, now: options.now, preview, all: advisories };
  const aggregates = (options.renderers ?? registry).flatMap((renderer) => {
    if (!renderer.renderAll) return [];
    const digests = new Map(selected.map((state) => [state.record.summary!.slug, state.record.digests[renderer.name]]));
    return renderer.renderAll(advisories, { ...context, digests });
  });

  // Write phase.
  const perNote = selected.map((state) => ({ state, outputs: state.record.outputs }));
  checkOutputPaths([...perNote.flatMap((p) => p.outputs.map((o) => ({ path: o.path, contents: '' }))), ...aggregates]);
  const manifest = options.clean ? undefined : await loadManifest(out);
  const writer = await OutputWriter.open(out, manifest);
  for (const { state } of perNote) {
    const contents = state.fresh ?? (writer.needs(state.record.outputs) && cacheDir ? readCachedOutputs(cacheDir, state.record.key) : undefined);
    if (writer.needs(state.record.outputs) && !contents) {
      throw new Error(`cached outputs of ${state.path} are missing; run \`herald build --clean\``);
    }
    for (const file of contents ?? []) await writer.write(file);
    writer.keep(state.record.outputs);
  }
  for (const file of aggregates) await writer.write(file);
  const steps = options.renderers ? [] : [...defaultPostBuildSteps, ...(options.postBuild ?? [])];
  const changed = writer.changedPaths();
  const runSteps = async (root: string) => {
    for (const step of steps) {
      if (step.when && !step.when(changed)) continue;
      await step.run(root, { advisories, log });
    }
  };
  try {
    // A cold build's steps work in the staging folder before it is swapped
    // in; an incremental build's, on the output once its files are in place.
    if (!writer.incremental) await runSteps(writer.root);
    const summary = await writer.commit();
    if (writer.incremental) await runSteps(out);
    if (cacheDir) saveIndex(cacheDir, { format: previous.format, globalKey: key, notes: Object.fromEntries(notes.map((s) => [s.path, s.record])) });
    log(`herald: ${summary.written} of ${summary.files} output files written to ${path.relative(cwd, out) || out}${summary.removed ? `, ${summary.removed} removed` : ''}`);
    return { advisories, messages, files: summary.files, written: summary.written, rendered: jobs.length, out };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** A cached note can be reused unless it had errors, or became public since it was rendered. */
function reusable(record: IndexRecord, now: Date, preview: boolean): boolean {
  if (record.messages.some((m) => m.severity === 'error') || !record.summary) return false;
  return record.rendered || !(preview || isPublic(record.summary, now));
}

function asParsedNote(state: NoteState): ParsedNote {
  const { record } = state;
  return {
    path: state.path,
    ...(record.summary ? { advisory: record.summary } : {}),
    messages: record.messages,
    locate: (fieldPath) => {
      const position = fieldPath[0] === 'aliases' ? record.positions?.aliases[fieldPath[1] as number] : record.positions?.id;
      return position ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    },
  };
}

function withoutBroken(key: string, notes: NoteState[]): CacheIndex {
  return { format: emptyIndex(key).format, globalKey: key, notes: Object.fromEntries(notes.filter((s) => s.record.key).map((s) => [s.path, s.record])) };
}
