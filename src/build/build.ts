/**
 * `herald build`: read every note, parse and lint it once (in worker
 * threads, or from the cache when nothing it depends on changed), refuse
 * while any note has an error, render every output, and write them.
 *
 * - Cold (no previous output): everything is written into a staging folder
 *   that replaces the output folder in one rename at the end.
 * - Incremental (a previous output with its manifest): files whose bytes
 *   changed are written beside their targets as pending files; only after
 *   everything rendered are they renamed into place, each atomically, and
 *   stale files removed. A failure before that point leaves the previous
 *   output untouched (the pending files are removed).
 *
 * Each note's outputs are written as its job result arrives and then
 * dropped, and each renderer's aggregates as they are made, so memory holds
 * the notes' summaries, never the whole output tree.
 */
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { compareMessages, HeraldError, type HeraldMessage } from '../errors/message.ts';
import { findNoteFiles, noteOutsideFolders, notePath } from '../io/find-notes.ts';
import type { IdentifiedNote } from '../lint/run.ts';
import type { NoteLink } from '../model/note-links.ts';
import type { Advisory } from '../model/types.ts';
import type { Renderer } from '../render/types.ts';
import { aggregateKey, appendable, cardOf, emptyIndex, mergedRecord, recordFromEntry, entryKey, globalKey, heavyBase, lightRecord, loadIndex, loadRecords, loadRecordsAsync, readCachedOutputs, saveIndex, sha256, writeCacheEntry, type AdvisoryCard, type CacheIndex, type CompletedBuild, type HeavyRecord, type IndexRecord, type LightRecord } from './cache.ts';
import type { JobSettings, NoteJobResult } from './note-job.ts';
import { groupFiles, loadManifest, lostRoots, manifestName, openManifest } from './manifest.ts';
import { checkFolders } from './check-folders.ts';
import { lockOutput } from './build-lock.ts';
import type { HeldLock } from '../io/lock-file.ts';
import { refusingFolder } from '../io/permission.ts';
import { writeFailureCode, writeFailureReason } from '../io/write-failure.ts';
import { ruleInfo } from '../errors/catalog.ts';
import { message, unreadableMessage } from '../model/validate.ts';
import { OutputCollision, OutputWriter } from './output-writer.ts';
import { StringPool } from './string-pool.ts';
import type { PostBuildStep } from './post-build.ts';
import { loadAggregateState, saveAggregateMemo } from './aggregate-memo.ts';
import { memoBasis, patchAggregates, textEdits } from './aggregate-patch.ts';
import { isLight, planLightPatch } from './light-patch.ts';
import { writeAggregates } from './aggregates-stage.ts';
import { aggregateInputs, type AggregateInputs } from './aggregate-inputs.ts';
import { isPublic, isShown, newestFirst, shownNewestFirst } from './select.ts';
import type { NoteJobRequest, WorkerPool } from './worker-pool.ts';
import { jobBytes } from './job-bytes.ts';
import { defaultCacheDir } from './cache-dir.ts';
import { addRetention, retentionLine, unusedRoomOf, type Retention } from './cache-retention.ts';
import type { IndexedPage } from '../search/index.ts';
import type { PartsAhead, SearchNote } from './search-stage.ts';
import { advisoryPageFile } from '../render/site/urls.ts';
import { groupFileHash } from './manifest.ts';

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
  /**
   * This build's own pool, started by the caller before it could know
   * whether there is anything to render (the CLI starts it first, so that
   * a worker's start-up overlaps the config, the lock, the cache's index
   * and the notes' stat). The build closes it whatever its outcome: with
   * nothing to do, refused, failed or finished. Unused with `workers: 0`.
   */
  startedPool?: WorkerPool;
  /** Per-note render deadline in milliseconds (default 2,000). */
  timeoutMs?: number;
  /** Rebuild and rewrite everything, ignoring the cache and the previous output. */
  clean?: boolean;
  /** The renderers to run (default: the registry); tests only, implies in-process. */
  renderers?: readonly Renderer[];
  /** Steps over the written tree, e.g. CSAF signing. */
  postBuild?: readonly PostBuildStep[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /**
   * Notes first: in an incremental build that rendered a few notes (64
   * at most), once every check passed, their files are put in place
   * before the aggregates are made, and this is called with their output
   * paths (`serve --watch` reloads the edited note's pages first). A
   * failure after that puts the previous files back.
   */
  onNotesPlaced?: (files: readonly string[]) => void;
  /**
   * A watcher's word that, since this process's previous build with the
   * same notes, only these note files changed (none added or removed):
   * the notes are not listed again, and only these are statted. Without a
   * previous build in this process, every note is, as without the hint.
   */
  changedNotes?: readonly string[];
  /**
   * This process builds again after this build (`serve --watch`): every
   * note's record is read and kept in memory for the next build. A one-off
   * build that renders a few notes into an existing output reads only the
   * records of the notes the files it makes show (`readRecordsAt`).
   */
  resident?: boolean;
  /**
   * Stops the build (Ctrl-C in the CLI): at the next point it can, the
   * build ends with the signal's reason, having removed what it wrote (the
   * staging folder, or the pending files) and stopped its workers.
   */
  signal?: AbortSignal;
}

export interface BuildResult {
  /** What the build publishes, newest first. */
  advisories: AdvisoryCard[];
  /** Warnings (errors abort the build). */
  messages: HeraldMessage[];
  /** Output files in the tree. */
  files: number;
  /** Output files whose bytes were (re)written. */
  written: number;
  /** Output files removed (no longer produced). */
  removed: number;
  /** Notes parsed and rendered in this build (the rest came from the cache). */
  rendered: number;
  /**
   * Aggregate files (and keyed groups) made and kept as they were;
   * `patched`: only those that show the notes whose text alone changed
   * were made, no `renderAll` ran (`aggregate-patch.ts`). Absent when the
   * build stopped early, nothing having changed.
   */
  aggregates?: { made: number; kept: number; patched: boolean };
  out: string;
  /** What the build cache's entries and search parts take after this build, and what it swept; absent without a cache, and when the build had nothing to do. */
  cache?: Retention;
}

/** The state of one note after this build's read phase. */
interface NoteState {
  path: string;
  record: IndexRecord;
  /** Whether this build rendered the note and already wrote its outputs. */
  written?: boolean;
  /** Read by this build from a note whose front matter fails its schema: its links to other notes, checked all the same. */
  noteLinks?: readonly NoteLink[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  let lock: HeldLock | undefined;
  try {
    lock = await lockOutput({ out: path.resolve(cwd, options.out), cwd, now: options.now, log: options.log ?? (() => {}) });
    return await buildLocked(options);
  } catch (error) {
    const code = writeFailureCode(error);
    throw code ? writeFailed(code, error, path.resolve(cwd, options.out), cwd) : error;
  } finally {
    lock?.release();
    // Not awaited: a worker stopped while it loads its modules may take a
    // while to end, and a build with nothing to do need not wait for it.
    void options.startedPool?.close();
  }
}

/** What the build was doing to a file when the system refused, by the failing call (else: writing it). */
const writeOperations: Record<string, string> = { mkdir: 'making the folder', rmdir: 'removing the folder', unlink: 'removing', rm: 'removing', scandir: 'listing the folder', opendir: 'listing the folder', copyfile: 'copying to', link: 'linking', symlink: 'linking' };

/**
 * `build-write-failed`, located at the output folder, naming the file and
 * the operation when the system said which; a permission refused gets a
 * hint that names the folder whose permissions to fix.
 */
function writeFailed(code: string, error: unknown, out: string, cwd: string): HeraldError {
  // A rename names its source and its destination: what could not be replaced is the destination.
  const { path: source, dest, syscall } = error as NodeJS.ErrnoException & { dest?: string };
  const file = dest ?? source;
  const shown = (file: string) => path.relative(cwd, file) || file;
  const operation = dest ? 'replacing' : (writeOperations[syscall ?? ''] ?? 'writing');
  const where = file ? ` (${operation} ${shown(file)})` : '';
  const text = `${ruleInfo('build-write-failed').title}: ${writeFailureReason(code)} (${code})${where}`;
  // Making, replacing or removing a file is a change to the folder that holds it: that folder's permissions are the ones to fix.
  const listing = operation === 'listing the folder';
  const folder = file && (code === 'EACCES' || code === 'EPERM') ? refusingFolder(listing ? file : path.dirname(file)) : undefined;
  const hint = folder
    ? `Give the user herald runs as permission to enter and ${listing ? 'read' : 'write'} ${shown(folder)} (herald writes every folder in the output and the cache), or build into other folders (--out, --cache). The previous output is as it was.`
    : undefined;
  return new HeraldError([message(path.relative(cwd, out) || '.', 'build-write-failed', text, { line: 1, column: 1 }, hint)]);
}

/** `build`, once this process holds the output folder's lock. */
async function buildLocked(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => {});
  const preview = options.preview ?? false;
  const settings: JobSettings = { config: options.config, now: options.now.toISOString(), preview };
  const out = path.resolve(cwd, options.out);
  const inProcess = options.renderers !== undefined || options.workers === 0;
  const cacheDir = cacheFolder(options, cwd);
  const key = globalKey(options.config, preview);
  // The aggregates' memo and the finished build's key: these change with settings no note's own output shows.
  const outputsKey = aggregateKey(options.config, preview);
  const previous: CacheIndex = cacheDir && !options.clean ? loadIndex(cacheDir, key) : emptyIndex(key);

  // Read phase: reuse what the cache knows, queue the rest.
  const listing = `${cwd}\0${options.notes.join('\0')}`;
  const changedNotes = options.changedNotes && lastListing?.key === listing ? new Set(options.changedNotes.map((file) => notePath(file, cwd))) : undefined;
  // A site of nothing is rarely what was meant: a notes folder without notes is said (a wrong path, or a new repository).
  const folderMessages: HeraldMessage[] = [];
  const files = changedNotes ? lastListing!.files : await findNoteFiles(options.notes, cwd, { emptyFolders: folderMessages });
  lastListing = { key: listing, files };
  const states = new Map<string, NoteState>();
  const unchanged = new Map<string, LightRecord>();
  // Notes changed since the index was saved whose records an earlier build's cache entries hold.
  const revived = new Set<string>();
  const jobs: NoteJobRequest[] = [];
  let jobId = 0;
  // Whether anything but an unchanged set of unchanged notes was found (no fast path then).
  let indexChanged = Object.keys(previous.notes).length !== files.length;
  const queue = (file: string, bytes: Buffer, info: { size: number; mtimeMs: number }, hash = sha256(bytes)) => {
    jobs.push({ id: jobId++, path: file, bytes: jobBytes(bytes), hash, ...(cacheDir ? { key: entryKey(key, file, hash) } : {}) });
    const record: IndexRecord = { size: info.size, mtimeMs: info.mtimeMs, hash, key: '', messages: [], rendered: false, files: '', digests: {} };
    // In place for a note whose state exists (its records turned out lost): the checks' list holds that state.
    const known = states.get(file);
    if (known) known.record = record;
    else states.set(file, { path: file, record });
  };
  // A broken link, a file gone since the listing: its error refuses the build below.
  const readOrSay = <T>(file: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      indexChanged = true;
      const record: IndexRecord = { size: 0, mtimeMs: 0, hash: '', key: '', messages: [unreadableMessage(file, error, path.resolve(cwd, file))], rendered: false, files: '', digests: {} };
      states.set(file, { path: file, record });
      return undefined;
    }
  };
  for (const file of files) {
    const known = previous.notes[file];
    if (known && changedNotes && !changedNotes.has(file) && reusable(known, options.now, preview)) {
      unchanged.set(file, known);
      continue;
    }
    const full = path.resolve(cwd, file);
    const info = readOrSay(file, () => statSync(full));
    if (!info) continue;
    if (!known) indexChanged = true;
    if (known && reusable(known, options.now, preview) && known.size === info.size && known.mtimeMs === info.mtimeMs) {
      unchanged.set(file, known);
      continue;
    }
    indexChanged = true;
    const bytes = readOrSay(file, () => readFileSync(full));
    if (!bytes) continue;
    const hash = sha256(bytes);
    if (known && reusable(known, options.now, preview) && known.hash === hash) {
      unchanged.set(file, { ...known, size: info.size, mtimeMs: info.mtimeMs });
      continue;
    }
    // Rendered by an earlier build, and no longer in the index (a branch checked out again): its entry has its record.
    const earlier = cacheDir ? recordFromEntry(cacheDir, entryKey(key, file, hash), hash, info) : undefined;
    if (earlier && reusable(earlier, options.now, preview)) {
      states.set(file, { path: file, record: earlier });
      revived.add(file);
      continue;
    }
    queue(file, bytes, info, hash);
  }

  // Nothing changed since the last build that finished: no note, no
  // aggregate input, no output file. Nothing is read beyond the light index.
  if (cacheDir && jobs.length === 0 && !indexChanged && !options.postBuild?.length && previous.completed) {
    const cards = [...unchanged].filter(([, record]) => isShown(record.card, options.now, preview));
    const completion = completedKey(outputsKey, out, options.now, cards.map(([file, record]) => [file, record.key]));
    const { completed } = previous;
    if (completion === completed.key && completed.out === out && sameStamp(completed.manifest, manifestStamp(out)) && completed.roots && lostRoots(out, completed.roots).length === 0) {
      const messages = [...folderMessages, ...[...unchanged.values()].flatMap((record) => record.messages)].sort(compareMessages);
      const advisories = cards.map(([, record]) => record.card!).sort(newestFirst);
      log(`herald: nothing changed since the last build of ${path.relative(cwd, out) || out}`);
      return { advisories, messages, files: previous.completed.files, written: 0, removed: 0, rendered: 0, out };
    }
  }

  // Past this point the build renders or writes something: a folder it
  // cannot write, or may not replace, is said now, before any work.
  options.signal?.throwIfAborted();
  checkFolders(out, cacheDir, cwd);
  // Start the workers for the changed notes first, so their start-up
  // overlaps the rest of this phase; then load the parser, the lint rules
  // and the renderers (not needed by a no-change rebuild).
  const { WorkerPool } = await import('./worker-pool.ts');
  const workers = options.workers ?? availableParallelism();
  const ownPool = inProcess || options.pool ? undefined : (options.startedPool ?? new WorkerPool({ size: workers }));
  ownPool?.prestart(jobs.length);
  // Ends a run of jobs at once; the checks below end the build.
  if (ownPool) options.signal?.addEventListener('abort', () => void ownPool.cancel(options.signal!.reason), { once: true });
  // The workers of this build; none when it renders in-process.
  const pool = inProcess ? undefined : (options.pool ?? ownPool);
  let modules: Awaited<ReturnType<typeof loadBuildModules>>;
  let records: Map<string, HeavyRecord> | undefined;
  let writer: OutputWriter;
  try {
    modules = await loadBuildModules();
    // The unchanged notes by their light records (messages and card) until
    // their heavy ones are read, after the checks (`mergeRecords` below).
    for (const [file, light] of unchanged) states.set(file, { path: file, record: lightRecord(file, light) });
    // Render phase: the changed notes, on the pool (or in-process). Each
    // result's outputs are written as it arrives (staged or pending, never
    // over the previous output), then dropped.
    writer = OutputWriter.open(out, options.clean ? undefined : openManifest(out));
  } catch (error) {
    // Nothing written yet: only the workers to stop (they would keep the process alive).
    await ownPool?.close();
    throw error;
  }
  const [{ lintAcrossNotes, parsedOnDemand }, { parseNote }, { renderers: registry }, { runNoteJob }, { writeSiteSearch, makePartsAhead }] = modules;
  const renderersToRun = options.renderers ?? registry;
  // An edit or a few in a one-off build into an existing output: the
  // unchanged notes stay light (their files kept by their manifest
  // digests, the selection made from their cards), and only the records the
  // aggregates made again show are read, by offset. Anything the light
  // records cannot do reads every record (`readAllRecords`).
  const heavyFile = heavyBase(previous);
  let light =
    cacheDir !== null && !options.resident && writer.incremental && jobs.length <= overlapLimit && unchanged.size > 0 && heavyFile !== undefined && appendable(heavyFile, jobs.length + revived.size, files.length) && [...unchanged.values()].every((record) => record.stored);
  // Search records of rendered notes, kept only when no cache entry holds them.
  const freshSearch = new Map<string, IndexedPage>();
  // The search parts sent to the workers as soon as the published pages are known (`makePartsAhead`).
  let ahead: PartsAhead | undefined;
  // Notes whose outputs another note's had claimed.
  const collisions: { file: string; output: string }[] = [];
  const strings = new StringPool();
  // Note jobs sent to workers that write pending files, not answered yet: after a failure, the output is searched for their files.
  let unanswered = 0;
  try {
    const accept = (result: NoteJobResult, entry?: string) => {
      if (!cacheDir && result.search && result.summary) freshSearch.set(result.summary.slug, result.search);
      const state = states.get(result.path)!;
      let files: string;
      try {
        files = result.staged ? writer.adoptNote(result.path, result.outputs) : result.pending ? writer.adoptPending(result.path, result.outputs, result.pending) : writer.writeNote(result.path, result.outputs);
      } catch (error) {
        if (!(error instanceof OutputCollision)) throw error;
        // Two advisories with one id: the checks across notes below say so, and the build is refused.
        collisions.push({ file: result.path, output: error.output });
        files = '';
      }
      state.record = {
        ...state.record,
        key: entry ?? '',
        messages: result.messages,
        ...(result.summary ? { summary: strings.intern(result.summary) } : {}),
        rendered: result.rendered,
        digests: result.digests,
        files,
      };
      state.written = true;
      if (result.noteLinks) state.noteLinks = result.noteLinks;
    };
    // Renders notes (on the pool, or in-process), each result accepted as it comes.
    const render = async (batch: readonly NoteJobRequest[]) => {
      // The pool runs one run at a time: the search parts sent ahead end first.
      await ahead?.done.catch(() => undefined);
      if (!pool) {
        for (const [index, job] of batch.entries()) {
          // In-process, a signal is seen only between turns of the event loop.
          if (options.signal && index % 50 === 49) {
            await new Promise((resolve) => setImmediate(resolve));
            options.signal.throwIfAborted();
          }
          const result = runNoteJob(job.path, new Uint8Array(job.bytes), job.hash, settings, renderersToRun);
          if (cacheDir && job.key) writeCacheEntry(cacheDir, job.key, result);
          accept(result, job.key);
        }
        return;
      }
      const keys = new Map(batch.map((job) => [job.path, job.key]));
      let done = 0;
      // The workers write the notes' files themselves: staged in a cold build, pending in an incremental one.
      const { stagingDir, pendingDir } = writer;
      const sent = pendingDir ? batch.map((job) => ({ ...job, previous: writer.previousGroup(job.path) })) : batch;
      if (pendingDir) unanswered += batch.length;
      await pool.runJobs<NoteJobResult>(sent, { settings, cacheDir, ...(stagingDir ? { stagingDir } : {}), ...(pendingDir ? { pendingDir } : {}), timeoutMs: options.timeoutMs ?? 2000 }, (result) => {
        if (pendingDir) unanswered -= 1;
        accept(result, keys.get(result.path));
        done += 1;
        if (done % progressStep === 0) log(`herald: ${done}/${batch.length} notes rendered`);
      });
    };
    if (revived.size > 0) log(`herald: ${revived.size} changed note${revived.size === 1 ? '' : 's'} found as an earlier build rendered ${revived.size === 1 ? 'it' : 'them'}, in the build cache`);
    if (jobs.length > 0) log(`herald: rendering ${jobs.length} of ${files.length} note${files.length === 1 ? '' : 's'}${inProcess ? '' : ` on ${Math.min(jobs.length, workers)} worker(s)`}`);
    // An edit or a few in a one-off build: this thread reads the unchanged
    // notes' records (about a second at 10,000 notes) while the workers
    // start and render them. `serve --watch` puts the edited pages in place
    // first, and a build of many notes would hold the records beside the
    // workers at their peak.
    const earlyRecords = !light && pool && !options.onNotesPlaced && jobs.length <= overlapLimit && unchanged.size > 0 && cacheDir ? loadRecordsAsync(cacheDir, previous, () => false) : undefined;
    // Awaited below; a render that throws first leaves it unawaited.
    earlyRecords?.catch(() => {});
    await render(jobs);
    // After many notes, the search parts are made on fresh workers,
    // started now: a cold build's peak memory is the search phase, the
    // main thread's records beside the workers. The build's own workers
    // load the search modules alone; a pool that outlives the build
    // (`serve --watch`) gets whole ones, ready for the next edit's note.
    if (pool && jobs.length > overlapLimit) await pool.restart({ searchOnly: pool === ownPool });
    options.signal?.throwIfAborted();
    // An edit or a few (light): the search parts that hold the edited pages
    // go to the worker now, before the checks, the aggregate memo and the
    // patch's plan, none of which their plan needs (the selection by the
    // notes' cards, each page's sha256 from the light index), so they are
    // made on the second core while this thread does all that. The search
    // stage below takes those it still needs.
    // What an edit or a few publishes, by the notes' cards: the same
    // selection once their summaries are read, so made once (sorting
    // 10,000 notes takes tens of milliseconds).
    let lightSelected = light ? shownNewestFirst([...states.values()], cardOfState, options.now, preview) : undefined;
    if (lightSelected && pool && pool === ownPool && renderersToRun.some((renderer) => renderer.name === 'site')) {
      ahead = makePartsAhead({ writer, buildKey: key, notes: lightSelected.map(searchNoteOf), fresh: freshSearch, cacheDir, copyParts: !options.clean, workers: { pool, settings } });
    }
    // The unchanged notes' summaries, digests and output hashes, merged into
    // their states; the notes whose records are missing or do not match,
    // queued to be rendered again.
    const mergeRecords = async () => {
      if (light) return [];
      records = earlyRecords ? await earlyRecords : unchanged.size > 0 && cacheDir ? loadRecords(cacheDir, previous) : undefined;
      const lostRecords: string[] = [];
      for (const [file, light] of unchanged) {
        const heavy = records?.get(file);
        if (heavy && heavy.key === light.key && (heavy.summary !== undefined) === (light.card !== undefined)) states.get(file)!.record = mergedRecord(file, light, heavy);
        else lostRecords.push(file);
      }
      return lostRecords;
    };
    // Checks across notes (the unchanged ones by their cards), then refuse while anything is broken.
    const notes = [...states.values()];
    // The notes whose records this build made or took from an entry: the others' records stay as they are.
    const changed = new Set([...jobs.map((job) => job.path), ...revived]);
    const messages = [...folderMessages, ...notes.flatMap((state) => state.record.messages)];
    messages.push(...lintAcrossNotes(notes.map((state) => asIdentifiedNote(state, parsedOnDemand(() => parseNote(state.path, readFileSync(path.resolve(cwd, state.path)), { config: settings.config, now: new Date(settings.now) })))), new Date(settings.now), (target) => noteOutsideFolders(target, options.notes, cwd)));
    messages.push(...collisionMessages(collisions, messages, notes));
    messages.sort(compareMessages);
    if (messages.some((m) => m.severity === 'error')) {
      // Refused: only the rendered notes' records are saved, for the build
      // after the fix. Appended, every other note's record left unread where
      // it is, when the light index says where each is; else read and
      // written whole, as a build that cannot append.
      if (cacheDir) {
        const keyed = notes.filter((state) => state.record.key);
        const append = heavyFile && appendable(heavyFile, changed.size, keyed.length) && keyed.every((state) => changed.has(state.path) || state.record.stored) ? { base: heavyFile, changed } : undefined;
        light = false;
        const lost = new Set(append ? [] : await mergeRecords());
        saveIndex(cacheDir, { globalKey: key, replaces: previous.notes, unusedRoom: unusedRoomOf(options.config) }, new Map(keyed.filter((state) => !lost.has(state.path)).map((state) => [state.path, state.record])), append);
      }
      const errors = messages.filter((m) => m.severity === 'error').length;
      throw new HeraldError(messages, `build refused: ${errors} error(s) to fix; ${options.out} was left as it was`);
    }

    const isSelected = (state: NoteState) => isShown(cardOfState(state), options.now, preview);
    // Only for an edit or a few: a rebuild of every note (a template or the
    // config changed) may also change the files its pages use, such as the
    // stylesheet, which the aggregates write.
    if (options.onNotesPlaced && writer.incremental && jobs.length <= overlapLimit) {
      const placed = jobs.flatMap(({ path: file }) => {
        const state = states.get(file)!;
        return state.written && isSelected(state) ? writer.placeGroup(file) : [];
      });
      if (placed.length > 0) options.onNotesPlaced(placed);
    }
    // Read only now (unless read already, above), so that an edited note's
    // pages are in place first: at 10,000 notes reading them takes about a second.
    const renderedFirst = jobs.length;
    const { memo, basis } = cacheDir && !options.clean ? loadAggregateState(cacheDir, outputsKey) : { memo: new Map(), basis: undefined };
    const aggregateContext = (inputs: AggregateInputs) => ({ config: options.config, now: options.now, preview, all: inputs.advisories, noteFile: (file: string) => writer.read(file), keyOf: inputs.keyOf });
    const patch = light && lightSelected ? planLightPatch({ cacheDir: cacheDir!, previous, selected: lightSelected, writer, memo, basis, now: options.now, renderers: renderersToRun, context: aggregateContext }) : undefined;
    if (!patch) {
      light = false;
      lightSelected = undefined;
      for (const file of await mergeRecords()) {
        const full = path.resolve(cwd, file);
        queue(file, readFileSync(full), statSync(full));
      }
      if (jobs.length > renderedFirst) {
        log(`herald: rendering ${jobs.length - renderedFirst} note(s) again: their cache records are missing or damaged`);
        await render(jobs.slice(renderedFirst));
      }
    }

    // What may be shown now; outputs of the cached notes, from the cache
    // when the output folder does not have them already.
    const selected = lightSelected ?? shownNewestFirst(notes, cardOfState, options.now, preview);
    for (const state of notes) {
      if (state.written && !isSelected(state)) writer.forgetGroup(state.path);
    }
    // A note whose cache entry is gone or damaged is rendered again.
    const lost: NoteJobRequest[] = [];
    const toCopy: NoteState[] = [];
    for (const state of selected) {
      if (state.written) continue;
      const stored = patch && isLight(state) ? state.record.stored : undefined;
      // Checked against the manifest by `planLightPatch`.
      if (stored) writer.keepHeldGroup(state.path, stored[2], stored[3]);
      else if (!writer.groupNeeds(state.path, state.record.files)) writer.keepGroup(state.path, state.record.files);
      else toCopy.push(state);
    }
    // Into a fresh output, every note's files: seconds at 10,000 notes, so said as it goes.
    if (toCopy.length >= progressStep) log(`herald: copying the files of ${toCopy.length} notes from the build cache`);
    let copied = 0;
    for (const [index, state] of toCopy.entries()) {
      const contents = cacheDir ? readCachedOutputs(cacheDir, state.record.key, groupFiles(state.record.files)) : undefined;
      if (contents) {
        writer.writeNote(state.path, contents);
        copied += 1;
      } else {
        const bytes = readFileSync(path.resolve(cwd, state.path));
        const hash = sha256(bytes);
        // Stored again under its key, unless the note changed since it was read.
        lost.push({ id: jobId++, path: state.path, bytes: jobBytes(bytes), hash, ...(state.record.key && hash === state.record.hash ? { key: state.record.key } : {}) });
      }
      if ((index + 1) % progressStep === 0) log(`herald: ${index + 1}/${toCopy.length} notes copied`);
    }
    if (lost.length > 0) {
      log(`herald: rendering ${lost.length} note(s) again: their cache entries are missing or damaged`);
      await render(lost);
    }

    const leftOut = files.length - selected.length;
    const why = preview ? ' (PRIVATE PREVIEW: drafts, embargoed notes and notes without their id included)' : leftOut > 0 ? ` (${leftOut} left out: drafts, notes under embargo or without their id; --preview shows them)` : '';
    log(`herald: ${files.length} note${files.length === 1 ? '' : 's'} read, ${selected.length} to publish${why}`);

    // The site's search parts, on the workers. When many notes were
    // written (rendered, or copied from the cache into a fresh output), the
    // workers stop before the aggregates, so that their memory and the
    // aggregates' never add up; when few were, the parts (few, and small)
    // are made while the main thread renders the aggregates.
    const overlap = pool !== undefined && jobs.length + lost.length + copied <= overlapLimit;
    let search: Promise<Retention | undefined> = Promise.resolve(undefined);
    if (renderersToRun.some((renderer) => renderer.name === 'site')) {
      const notes = selected.map(searchNoteOf);
      search = writeSiteSearch({ writer, buildKey: key, notes, fresh: freshSearch, cacheDir, copyParts: !options.clean, unusedRoom: unusedRoomOf(options.config), log, ahead, ...(pool ? { workers: { pool, settings, always: overlap } } : {}) });
    }
    if (overlap) search.catch(() => undefined);
    else {
      await search;
      await ownPool?.close();
    }

    // Aggregates, from the summaries, one renderer at a time; after an
    // edit to the text of a few notes, only the files that show them.
    options.signal?.throwIfAborted();
    let patched = patch?.();
    let aggregates = patched;
    if (!aggregates) {
      const inputs = aggregateInputs(selected.map((state) => state.record));
      const stage = { renderers: renderersToRun, context: aggregateContext(inputs), digestsOf: inputs.digestsOf, writer, memo };
      // A note's record as the build before had it, when it is still the one the index names.
      const previousRecord = (file: string) => {
        const heavy = records?.get(file);
        return heavy && heavy.key === previous.notes[file]?.key ? heavy : undefined;
      };
      const shown = selected.map((state) => ({ slug: state.record.summary!.slug, record: state.record, before: previousRecord(state.path) }));
      const edited = writer.incremental ? textEdits({ basis, completed: previous.completed?.key, now: options.now, shown, renderers: renderersToRun }) : undefined;
      patched = edited && patchAggregates({ ...stage, changed: edited, advisoryOf: inputs.advisoryOf });
      aggregates = patched ?? writeAggregates({ ...stage, advisories: inputs.advisories });
    }
    log(`herald: listings and feeds: ${aggregates.made} of ${aggregates.made + aggregates.kept} made, ${aggregates.kept} unchanged${patched ? ' (only those that show the edited notes)' : ''}`);
    if (overlap) {
      await search;
      await ownPool?.close();
    }

    const steps = options.postBuild ?? [];
    const runSteps = async (root: string) => {
      for (const step of steps) await step.run(root, { log });
    };
    // A cold build's steps work in the staging folder before it is swapped
    // in; an incremental build's, on the output once its files are in place.
    if (!writer.incremental) await runSteps(writer.root);
    // The last point to stop at: past it, the output is put in place.
    options.signal?.throwIfAborted();
    const summary = await writer.commit();
    if (writer.incremental) await runSteps(out);
    let cache: Retention | undefined;
    if (cacheDir) {
      const completed: CompletedBuild = {
        out,
        key: completedKey(outputsKey, out, options.now, selected.map((state) => [state.path, state.record.key])),
        manifest: manifestStamp(out)!,
        roots: summary.roots,
        files: summary.files,
      };
      saveAggregateMemo(cacheDir, outputsKey, aggregates.memo, memoBasis(completed.key, options.now, selected.map((state) => cardOfState(state)!.slug)));
      // Appended to when this build read the heavy file (whole, or the light records' places in it).
      const base = records || patch ? heavyBase(previous, records?.size) : undefined;
      const entries = saveIndex(cacheDir, { globalKey: key, completed, replaces: previous.notes, unusedRoom: unusedRoomOf(options.config) }, new Map(notes.map((state) => [state.path, state.record])), base ? { base, changed } : undefined);
      cache = addRetention(entries, await search);
      log(retentionLine(cache, path.relative(cwd, cacheDir) || cacheDir));
    }
    log(`herald: ${summary.written} of ${summary.files} output files written to ${path.relative(cwd, out) || out}${summary.removed ? `, ${summary.removed} removed` : ''}`);
    return {
      advisories: selected.map((state) => (state.record.summary ? cardOf(state.record.summary) : state.record.card!)),
      messages,
      files: summary.files,
      written: summary.written,
      removed: summary.removed,
      rendered: jobs.length + lost.length,
      aggregates: { made: aggregates.made, kept: aggregates.kept, patched: patched !== undefined },
      out,
      ...(cache ? { cache } : {}),
    };
  } catch (error) {
    await ownPool?.close();
    await writer.abort(unanswered > 0);
    throw error;
  }
}

/** The notes the last build of this process listed, for the next one told what changed (`changedNotes`). */
let lastListing: { key: string; files: string[] } | undefined;

/** At most this many notes rendered: the search parts are made beside the aggregates, and `onNotesPlaced` is called. */
const overlapLimit = 64;

/** Notes between two progress lines of a long phase (rendering, copying from the cache). */
const progressStep = 1000;

/**
 * Reads into memory what the next build with these options will need
 * once a note changed (`serve --watch`, after its first build, which may
 * have had nothing to do and read none of it). First what a rebuild needs
 * before the edited note's page is in place: the modules, the output
 * manifest and warm workers, at once, beside the watcher's own start-up
 * (the workers render on their own threads). Then, once `notesWatched`
 * resolves, what only the listings need: the cache's records, a chunk at a
 * time, and the aggregates. An edit stops it at its next step.
 */
export async function warmUp(options: Pick<BuildOptions, 'notes' | 'out' | 'config' | 'cwd' | 'cache' | 'preview' | 'now' | 'pool' | 'signal'> & { notesWatched?: Promise<unknown> }): Promise<void> {
  // Aborted when the author edits a note meanwhile: the rebuild, waiting for this, comes first (what it needs, it loads itself).
  const stop = () => options.signal?.aborted === true;
  await loadBuildModules();
  if (stop()) return;
  const cwd = options.cwd ?? process.cwd();
  const workersWarm = options.pool ? warmWorkers(options.pool, options, cwd, stop) : Promise.resolve();
  loadManifest(path.resolve(cwd, options.out));
  await workersWarm;
  await options.notesWatched;
  const cacheDir = cacheFolder(options, cwd);
  if (!cacheDir || stop()) return;
  const records = await loadRecordsAsync(cacheDir, loadIndex(cacheDir, globalKey(options.config, false)), stop);
  if (records && !stop()) await warmAggregates(records, options, stop);
}

/**
 * Runs every renderer's aggregates over the cached summaries and drops
 * what they make, so that the first rebuild after a build with nothing to
 * do (the usual start of `serve --watch`) finds the main thread's code
 * compiled and the per-advisory rows made (`../render/row-memo.ts`: the
 * records stay in memory, the same objects). Nothing is written, no keyed
 * file is made, no note file is read.
 */
async function warmAggregates(records: ReadonlyMap<string, HeavyRecord>, options: Pick<BuildOptions, 'config' | 'preview' | 'now'>, stop: () => boolean): Promise<void> {
  const { renderers } = await import('../render/registry.ts');
  const preview = options.preview ?? false;
  const shown = shownNewestFirst([...records.values()], (record) => record.summary, options.now, preview);
  const { advisories, keyOf, digestsOf } = aggregateInputs(shown);
  const context = { config: options.config, now: options.now, preview, all: advisories, noteFile: () => undefined, keyOf };
  for (const renderer of renderers) {
    if (!renderer.renderAll) continue;
    const digests = renderer.digest ? digestsOf(renderer.name) : new Map<string, unknown>();
    let made = 0;
    for (const file of renderer.renderAll(advisories, { ...context, digests })) {
      void file;
      // Now and then, a turn of the event loop: an edit seen there stops the warm-up.
      if (++made % 25 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (stop()) return;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (stop()) return;
  }
}

/** Notes each worker renders to warm up: the first renders of a fresh worker are several times slower than the later ones. */
const warmUpRenders = 3;

/**
 * Has each worker of the pool render a few notes, for nothing: nothing is
 * written, neither output nor cache. So that the first note an author
 * edits renders at a warm worker's speed.
 */
async function warmWorkers(pool: WorkerPool, options: Pick<BuildOptions, 'notes' | 'config' | 'preview' | 'now'>, cwd: string, stop: () => boolean): Promise<void> {
  const files = (await findNoteFiles(options.notes, cwd)).slice(0, pool.size * warmUpRenders);
  const settings: JobSettings = { config: options.config, now: options.now.toISOString(), preview: options.preview ?? false };
  const jobs: NoteJobRequest[] = files.map((file, id) => {
    const bytes = readFileSync(path.resolve(cwd, file));
    return { id, path: file, bytes: jobBytes(bytes), hash: sha256(bytes) };
  });
  // One note per worker at a time: a rebuild waits for the pool's jobs, so an edit waits for one round at most.
  for (let start = 0; start < jobs.length && !stop(); start += pool.size) {
    await pool.runJobs(jobs.slice(start, start + pool.size), { settings, cacheDir: null, timeoutMs: 10_000, inFlight: 1 }, () => {});
  }
}

/** The build's cache folder; none for previews, `--no-cache` and renderers given by a test. */
function cacheFolder(options: Pick<BuildOptions, 'preview' | 'cache' | 'renderers'>, cwd: string): string | null {
  return options.preview || options.cache === false || options.renderers ? null : path.resolve(cwd, options.cache ?? defaultCacheDir);
}

/** What a build loads once it has something to render or write (a no-change rebuild never does). */
export function loadBuildModules() {
  return Promise.all([import('../lint/run.ts'), import('../model/load.ts'), import('../render/registry.ts'), import('./note-job.ts'), import('./search-stage.ts')]);
}

/** A cached note can be reused unless it had errors, or became public since it was rendered. */
function reusable(record: LightRecord, now: Date, preview: boolean): boolean {
  if (record.messages.some((m) => m.severity === 'error') || !record.card) return false;
  return record.rendered || !(preview || isPublic(record.card, now));
}

/** What the build knows of a note's advisory: its summary once read, else its card (none when it could not be read). */
function cardOfState(state: NoteState): Advisory | AdvisoryCard | undefined {
  return state.record.summary ?? state.record.card;
}

/** A published note as the search plans its parts: its slug, entry key and advisory page's sha256, from its files or its light record. */
function searchNoteOf(state: NoteState): SearchNote {
  const { record } = state;
  const slug = cardOfState(state)!.slug;
  const page = record.summary ? groupFileHash(record.files, advisoryPageFile(slug)) : record.stored?.[4];
  return { slug, key: record.key, ...(page ? { page } : {}) };
}

/**
 * The key of everything a finished build's outputs depend on besides
 * herald and the config (in `globalKey`): the output folder, the notes it
 * published with their entry keys, and the day (feeds and security.txt
 * change with the date; with nothing to publish, a feed is dated to the
 * second).
 */
function completedKey(globalKeyValue: string, out: string, now: Date, shown: readonly (readonly [string, string])[]): string {
  const clock = shown.length > 0 ? now.toISOString().slice(0, 10) : now.toISOString();
  const hash = createHash('sha256').update(`${globalKeyValue}\0${out}\0${clock}\0`);
  for (const [file, entry] of [...shown].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${file}\0${entry}\n`);
  return hash.digest('hex');
}

function manifestStamp(out: string): CompletedBuild['manifest'] | undefined {
  try {
    const info = statSync(path.join(out, manifestName));
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}

function sameStamp(a: CompletedBuild['manifest'], b: CompletedBuild['manifest'] | undefined): boolean {
  return b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * A note as the checks across notes see it. Positions are not kept in the
 * cache: the rare note that a check reports on is parsed again, from its
 * file (unchanged: its size, mtime or hash was checked in this build).
 */
function asIdentifiedNote(state: NoteState, parsed: Pick<IdentifiedNote, 'locate' | 'read'>): IdentifiedNote {
  const { record } = state;
  // A rendered note's summary; an unchanged note's card, its records not read yet.
  const advisory = record.summary ?? record.card;
  return {
    path: state.path,
    ...(advisory ? { advisory } : {}),
    ...(state.noteLinks ? { noteLinks: state.noteLinks } : {}),
    ...parsed,
  };
}

/**
 * An error for each note whose output another note's had claimed, unless
 * the checks across notes already refused it (an id or alias used twice is
 * the usual cause): no two advisories may publish the same file.
 */
function collisionMessages(collisions: readonly { file: string; output: string }[], messages: readonly HeraldMessage[], notes: readonly NoteState[]): HeraldMessage[] {
  const refused = new Set(messages.filter((m) => m.severity === 'error' && m.ruleId === 'id-duplicate').map((m) => m.file));
  return collisions
    .filter(({ file }) => !refused.has(file))
    .map(({ file, output }) => {
      const owner = notes.find((state) => state.path !== file && groupFiles(state.record.files).has(output))?.path;
      return message(file, 'output-collision', `Its output ${output} is also ${owner ? `the output of ${owner}` : "another note's"}: two advisories would publish the same file`, { line: 1, column: 1 });
    });
}
