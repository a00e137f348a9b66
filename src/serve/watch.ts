/**
 * The authoring loop of `herald serve --watch`: build once, then rebuild
 * whenever a note or the config changes (chokidar), and report each result.
 * A failed build (a lint error, a broken config) is reported, never thrown:
 * the server keeps serving the last good site.
 */
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { WorkerPool } from '../build/worker-pool.ts';
import { watch, type FSWatcher } from 'chokidar';
import { loadConfig, configFileName } from '../config/load.ts';
import { HeraldError, UsageError, type HeraldMessage } from '../errors/message.ts';
import { isNoteName, isSkippedName } from '../io/find-notes.ts';
import { message } from '../model/validate.ts';
import { siteRoot } from '../render/site/urls.ts';

export interface RebuildOptions {
  cwd: string;
  /** Notes folder, relative to cwd or absolute. */
  notes: string;
  /** Output folder (the site is `<out>/site`). */
  out: string;
  /** Config file as given with --config; the default file otherwise. */
  configFile?: string;
  preview: boolean;
  /** Worker threads of each build (default: the build's own, one per core); 0 builds in-process. */
  workers?: number;
  now: () => Date;
  /** Progress lines (stderr). */
  log: (line: string) => void;
  /** Workers kept warm across rebuilds (set by `watchNotes`). */
  pool?: WorkerPool;
  /** The edited notes' files, put in place before the rest of a rebuild (`BuildOptions.onNotesPlaced`). */
  onNotesPlaced?: (files: readonly string[]) => void;
  /** Watch by asking for each file's status every this many milliseconds instead of by the system's file events (`--poll`). */
  pollMs?: number;
}

/**
 * What the watcher saw since the last rebuild began: note files changed,
 * anything else among the notes or the config (a whole rebuild), the
 * output folder removed (a rebuild if it is still gone then), or one of
 * the output's root folders (a rebuild: one with nothing else to do
 * writes only that folder).
 */
interface Seen {
  changed: Set<string>;
  whole: boolean;
  outputRemoved: boolean;
  rootRemoved: boolean;
}

const nothingSeen = (): Seen => ({ changed: new Set(), whole: false, outputRemoved: false, rootRemoved: false });

/** A build's outcome; `changed` says whether it wrote or removed any output file (no page needs to reload when none). */
export type BuildOutcome = { ok: true; warnings: HeraldMessage[]; changed: boolean } | { ok: false; errors: HeraldMessage[] };

/**
 * How often the output's root folders (`site`, `wiki`, ...) are looked
 * for: a stat each. Their removal (`rm -rf dist/site`) is no event of the
 * watched folders, and watching inside the output would follow every
 * file each build writes.
 */
const rootsCheckMs = 500;

/** The root folders of an output folder (its folders but the hidden ones); none when it is missing. */
function outputRoots(outDir: string): string[] {
  try {
    return readdirSync(outDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** One build, with every failure turned into located messages. */
export async function buildOnce(options: RebuildOptions, changedNotes?: readonly string[]): Promise<BuildOutcome> {
  try {
    const config = await loadConfig(options.cwd, options.configFile);
    // Loaded on use, as `herald build` does, so the server starts fast.
    const { build } = await import('../build/build.ts');
    const result = await build({
      notes: [options.notes],
      out: options.out,
      config,
      now: options.now(),
      preview: options.preview,
      cwd: options.cwd,
      log: options.log,
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.pool ? { pool: options.pool } : {}),
      ...(options.onNotesPlaced ? { onNotesPlaced: options.onNotesPlaced } : {}),
      resident: true,
      ...(changedNotes ? { changedNotes } : {}),
    });
    return { ok: true, warnings: result.messages, changed: result.written + result.removed > 0 };
  } catch (error) {
    if (error instanceof HeraldError) return { ok: false, errors: error.messages };
    // The notes folder removed or moved away while watched (a checkout, a folder swapped): not a bug, nor the wrong folder.
    if (error instanceof UsageError && !existsSync(path.resolve(options.cwd, options.notes))) {
      const where = path.relative(options.cwd, path.resolve(options.cwd, options.notes)) || '.';
      return { ok: false, errors: [message(where, 'serve-notes-gone', `The notes folder ${where} is no longer there: it was removed or moved away while being watched`, { line: 1, column: 1 })] };
    }
    // A bug, not a mistake in the notes: still shown, so the loop survives it.
    const text = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [{ file: options.notes, line: 1, column: 1, severity: 'error', ruleId: 'render-failed', message: `The build failed: ${text}` }],
    };
  }
}

export interface Watcher {
  /**
   * Resolves once every note is watched: an edit from then on is never
   * missed (at 10,000 notes chokidar needs about a second to get there).
   */
  ready: Promise<void>;
  /**
   * Settles if watching stops working: the system's limit on watched files
   * reached (`serve-watch-limit`). Never after `close`.
   */
  failure: Promise<HeraldError>;
  /** Stops watching; resolves after the build running now, if any. */
  close(): Promise<void>;
}

/** Errors that mean the system will not watch more files (inotify watches, open files). */
const limitCodes = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * What a watcher error means to the author: the system's limit reached
 * (watching is broken: a located error with the fix), or undefined for a
 * single file chokidar could not watch (the build reports that file).
 */
export function watchLimitError(error: unknown, notesDir: string, cwd: string): HeraldError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !limitCodes.has(code)) return undefined;
  const where = path.relative(cwd, notesDir) || '.';
  const what = code === 'ENOSPC' ? 'file watches (fs.inotify.max_user_watches)' : 'open files';
  return new HeraldError([message(where, 'serve-watch-limit', `Cannot watch every note in ${where}: the system's limit on ${what} was reached (${code})`, { line: 1, column: 1 })]);
}

/**
 * Watches the notes and the config, calling `onBuild` after each rebuild.
 * Changes that arrive during a build coalesce into one more build.
 */
export function watchNotes(options: RebuildOptions, onBuild: (outcome: BuildOutcome) => void): Watcher {
  const configPath = path.resolve(options.cwd, options.configFile ?? configFileName);
  const notesDir = path.resolve(options.cwd, options.notes);
  const outDir = path.resolve(options.cwd, options.out);
  // The folders that hold the notes folder, the config and the output are
  // watched, not those paths themselves: a watch follows what it was put
  // on, so a config saved by renaming a new file over it (vim, sed -i) was
  // seen once at most, a notes folder moved away and made again was no
  // longer watched at all, and a config made later never was. Of those
  // folders, only these paths are looked at.
  const roots = [...new Set([path.dirname(notesDir), path.dirname(configPath), path.dirname(outDir)])];
  const notesPrefix = notesDir.endsWith(path.sep) ? notesDir : notesDir + path.sep;
  // Called for every note each time chokidar reads the notes folder again (after any event in it): one comparison for a note.
  const ignored = (file: string) => !(file.startsWith(notesPrefix) || file === notesDir || roots.includes(file) || file === configPath || file === outDir);
  // In the notes folder, what finding the notes passes over (an editor's swap and lock files, `.obsidian/`).
  const skippedInNotes = (file: string) => file.slice(notesPrefix.length).split(path.sep).some(isSkippedName);
  // No `awaitWriteFinish`: its polling until a file stops changing cost
  // every rebuild 100 ms. Editors save by renaming a whole file into place,
  // or write it within the 50 ms the rebuild waits for more events; a file
  // written more slowly than that is built twice, the second time whole
  // (a change during a build always makes one more).
  const watcher: FSWatcher = watch(roots, { ignoreInitial: true, ignored, ...(options.pollMs !== undefined ? { usePolling: true, interval: options.pollMs, binaryInterval: options.pollMs } : {}) });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  let closed = false;
  const failure = new Promise<HeraldError>((resolve) => {
    watcher.on('error', (error) => {
      const limit = watchLimitError(error, notesDir, options.cwd);
      if (limit) {
        if (!closed) resolve(limit);
        return;
      }
      options.log(`herald: warning: the watcher reported: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  // Rebuilds reuse warm workers instead of starting new ones each time.
  const pool = options.workers === 0 ? undefined : new WorkerPool({ size: options.workers ?? availableParallelism() });
  const rebuildOptions: RebuildOptions = { ...options, ...(pool ? { pool } : {}) };
  // Get the first rebuild's one-time costs out of the way while the author
  // reads the site: the workers started and warmed up by rendering a few
  // notes (for nothing); the parser, lint rules and renderers loaded, the
  // output manifest read, all while the notes are being watched; then,
  // once they are, the cache's records read and the aggregates warmed (a
  // build with nothing to do never reads them). A rebuild waits for it (the
  // pool runs one build's jobs at a time), but the first change stops it at
  // its next step: at 10,000 notes it takes seconds, most of them warming
  // the aggregates, which the edited page does not wait for.
  pool?.prestart(1);
  // Watching that failed (the system's limit) never becomes ready: the warm-up then stops before the records.
  const watching = Promise.race([ready, failure.then((error) => Promise.reject(error))]);
  // The first change stops the warm-up where it is, so its rebuild need not wait for the rest.
  const warming = new AbortController();
  watching.catch(() => {});
  let running: Promise<void> = Promise.all([loadConfig(options.cwd, options.configFile), import('../build/build.ts')])
    .then(([config, { warmUp }]) =>
      warmUp({ notes: [options.notes], out: options.out, config, cwd: options.cwd, preview: options.preview, now: options.now(), signal: warming.signal, notesWatched: watching, ...(pool ? { pool } : {}) }),
    )
    .catch(() => {});
  let queued = false;
  let timer: NodeJS.Timeout | undefined;
  let seen: Seen = nothingSeen();
  // The root folders the last build left: one removed since (rm -rf dist/site) is built again without
  // waiting for an edit. A build that moves the output aside for a moment may be seen doing so: the
  // rebuild it queues finds every root there and does nothing.
  let builtRoots = outputRoots(outDir);
  const rootsGone = () => builtRoots.some((name) => !existsSync(path.join(outDir, name)));

  const rebuild = () => {
    if (queued) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      // Changes from here on are the next rebuild's.
      const now = seen;
      seen = nothingSeen();
      // The output folder or a root of it was removed and is there again (a build that writes a whole new
      // output swaps it in, or already built it again): nothing to do.
      if ((now.outputRemoved || now.rootRemoved) && !now.whole && now.changed.size === 0 && existsSync(path.join(outDir, siteRoot)) && !rootsGone()) return;
      const outcome = await buildOnce(rebuildOptions, now.whole ? undefined : [...now.changed]);
      // What a failed build leaves missing is looked for again once a build makes it.
      builtRoots = outputRoots(outDir);
      // A build that failed may not have recorded what it read: the next one looks at the same notes again.
      if (!outcome.ok) {
        seen.whole ||= now.whole;
        for (const file of now.changed) seen.changed.add(file);
      }
      onBuild(outcome);
    });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 50);
  };
  // Only a note file edited in place lets the build skip listing and
  // statting the others; a file added or removed, a folder, or the config
  // makes it look at everything.
  watcher.on('all', (event, file) => {
    if (roots.includes(file) && file !== notesDir) return;
    // What finding the notes passes over, and a file in the notes folder that is no note (vim's OSSN-0007.md~,
    // emacs's #OSSN-0007.md#, a README), change no page: a build would find nothing changed, yet reload every open page.
    if (file.startsWith(notesPrefix) && file !== configPath) {
      if (skippedInNotes(file)) return;
      if ((event === 'add' || event === 'change' || event === 'unlink') && !isNoteName(path.basename(file))) return;
    }
    if (file === outDir) {
      // The output folder deleted while serving: built again from the cache, without waiting for an edit.
      if (event !== 'unlinkDir') return;
      seen.outputRemoved = true;
    } else if (event === 'change' && file !== configPath && file.startsWith(notesDir + path.sep)) seen.changed.add(file);
    else seen.whole = true;
    warming.abort();
    schedule();
  });
  const rootsCheck = setInterval(() => {
    if (queued || seen.rootRemoved || !rootsGone()) return;
    seen.rootRemoved = true;
    warming.abort();
    schedule();
  }, rootsCheckMs);
  rootsCheck.unref();

  return {
    ready,
    failure,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      clearInterval(rootsCheck);
      await watcher.close();
      await running;
      await pool?.close();
    },
  };
}
