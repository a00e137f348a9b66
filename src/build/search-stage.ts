/**
 * Writes the site's search (`../render/site/search.ts`) with the build's
 * other outputs, through the same writer: staged in a cold build, pending
 * until commit in an incremental one, in the manifest like every file.
 *
 * A part whose folder name (the digest of its pages) the previous output
 * already has is kept as it is; one the build cache holds
 * (`search-part-cache.ts`) is copied from there; each of the others is a
 * job (`search-part-job.ts`), run on the build's workers when there are two
 * or more, so that a cold build makes its parts on every core.
 */
import { HeraldError } from '../errors/message.ts';
import { message } from '../model/validate.ts';
import { planParts, searchFolderFiles, searchPath, type SearchMember, type SearchPart } from '../render/site/search.ts';
import { advisoryPageFile } from '../render/site/urls.ts';
import { pagefindAssets, type IndexedPage } from '../search/index.ts';
import type { JobSettings, NoteJobResult } from './note-job.ts';
import type { OutputWriter } from './output-writer.ts';
import { partIsCached, readCachedPart, sweepCachedParts } from './search-part-cache.ts';
import type { Retention } from './cache-retention.ts';
import { runSearchPartJob, type SearchPartJob, type SearchPartResult } from './search-part-job.ts';
import type { WorkerPool } from './worker-pool.ts';

/** A published note as the search sees it: its slug, cache entry key and the sha256 of its advisory page (absent when it has none). */
export interface SearchNote {
  slug: string;
  key: string;
  page?: string;
}

export interface SearchStageOptions {
  writer: OutputWriter;
  /** The build's global key: a change to herald or the config renames every part. */
  buildKey: string;
  notes: readonly SearchNote[];
  /** Search records of the notes rendered in this build, by slug, when there is no cache to read them from. */
  fresh: ReadonlyMap<string, IndexedPage>;
  cacheDir: string | null;
  /** Whether parts the cache holds are copied (not in a `--clean` build, which makes every part again). */
  copyParts: boolean;
  /** The room for parts no build uses now, in bytes (`cache.unused_mib`); default: `unusedRoom`'s. */
  unusedRoom?: number | undefined;
  log: (line: string) => void;
  /**
   * Workers to make the parts on, when there are two or more (default:
   * in-process); with `always`, even a single part, so that it is made
   * while the main thread renders the aggregates.
   */
  workers?: { pool: WorkerPool; settings: JobSettings; always?: boolean };
  /** Parts already sent to the workers (`makePartsAhead`): those still needed are taken from there. */
  ahead?: PartsAhead | undefined;
}

/** A part made on a worker may take a while on a busy machine; one that stalls still ends the build. */
const partDeadlineMs = 120_000;

function failure(text: string, hint?: string): HeraldError {
  return new HeraldError([message('node_modules/pagefind', 'search-index-failed', text, { line: 1, column: 1 }, hint)]);
}

/**
 * The hint when Pagefind's browser code could not be extracted because a
 * folder could not be made or written (the system's temporary folder,
 * where the binary runs): the rule's own hint, to run `npm ci`, fits a
 * missing or mismatched binary only.
 */
function extractionHint(error: unknown): string | undefined {
  const { code, path: where, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  // Starting the binary (`spawn …`) fails when it is missing: npm ci is the fix then.
  if (typeof code !== 'string' || where === undefined || syscall?.startsWith('spawn')) return undefined;
  return 'herald runs the Pagefind binary once in the system\u2019s temporary folder, and could not make or write the folder the message names: point TMPDIR at a folder the user herald runs as can write, or fix that folder\u2019s permissions or free space on its disk, then build again.';
}

/**
 * Parts sent to the workers ahead of the search stage (`makePartsAhead`):
 * their results by the path of their folder, as they arrive, and the end
 * of the workers' run.
 */
export interface PartsAhead {
  /** The folders sent, as `SearchPart.folder` names them. */
  readonly folders: ReadonlySet<string>;
  /** Each result by its folder's path in the output (`searchPath`), a failure too. */
  readonly made: ReadonlyMap<string, SearchPartResult | NoteJobResult>;
  /** Settles once the workers are done with them (a rejection is handled, so nothing need wait for it). */
  readonly done: Promise<void>;
  /** The notes the parts were planned for, and the plan: the stage plans again only when its notes differ. */
  readonly planned: { notes: readonly SearchNote[]; plan: PartsPlan };
}

export type PartsAheadOptions = Pick<SearchStageOptions, 'writer' | 'buildKey' | 'notes' | 'fresh' | 'cacheDir' | 'copyParts'> & { workers: { pool: WorkerPool; settings: JobSettings } };

/**
 * Sends the parts the search stage will make to the workers now, as soon
 * as the published pages are known, so that a one-note rebuild's part is
 * made on the worker while the main thread reads the aggregate memo and
 * patches the aggregates. Nothing is written to the output: the stage takes
 * the results whose folders it still needs (`SearchStageOptions.ahead`); a
 * part's folder names what it holds, so a result it does not need is
 * simply dropped (the part stays in the build cache). The pool runs
 * nothing else until `done`.
 */
export function makePartsAhead(options: PartsAheadOptions): PartsAhead {
  const { writer, cacheDir } = options;
  const plan = plannedParts(options.notes, options.buildKey);
  const { keys, parts } = plan;
  const held = writer.heldFolders(searchPath(''), new Set(parts.map((part) => part.folder)));
  const jobs = parts.filter((part) => !held.has(part.folder) && !(cacheDir && options.copyParts && partIsCached(cacheDir, part.folder))).map(partJob(writer, options.fresh, keys, cacheDir));
  const made = new Map<string, SearchPartResult | NoteJobResult>();
  const done = runParts(options.workers, cacheDir, jobs, (result) => made.set('messages' in result ? result.path : searchPath(result.folder), result));
  done.catch(() => undefined);
  return { folders: new Set(jobs.map((job) => job.part.folder)), made, done, planned: { notes: options.notes, plan } };
}

/** The published pages, each page's note's cache entry key by slug, and the parts of those pages. */
interface PartsPlan {
  members: SearchMember[];
  keys: Map<string, string>;
  parts: SearchPart[];
}

/** The parts of the published pages, and each page's note's cache entry key by slug. */
function plannedParts(notes: readonly SearchNote[], buildKey: string): PartsPlan {
  const keys = new Map<string, string>();
  const members: SearchMember[] = [];
  for (const note of notes) {
    if (!note.page) continue;
    members.push({ slug: note.slug, sha256: note.page });
    keys.set(note.slug, note.key);
  }
  return { members, keys, parts: planParts(members, buildKey) };
}

/** Whether two lists hold the same notes in the same order. */
function sameNotes(a: readonly SearchNote[], b: readonly SearchNote[]): boolean {
  return a.length === b.length && a.every((note, i) => note.slug === b[i]!.slug && note.key === b[i]!.key && note.page === b[i]!.page);
}

/** The job of a part: where each of its pages' search records is (the fresh one, the cache entry, or the page in this build's output). */
function partJob(writer: OutputWriter, fresh: ReadonlyMap<string, IndexedPage>, keys: ReadonlyMap<string, string>, cacheDir: string | null): (part: SearchPart) => SearchPartJob {
  return (part) => ({
    part,
    cacheDir,
    sources: part.members.map(({ slug }) => {
      const record = fresh.get(slug);
      return { slug, ...(record ? { record } : { key: keys.get(slug)!, page: writer.locate(advisoryPageFile(slug)) }) };
    }),
  });
}

/** Runs part jobs on the workers, one run, each worker taking its share at once. */
function runParts(workers: { pool: WorkerPool; settings: JobSettings }, cacheDir: string | null, jobs: readonly SearchPartJob[], onResult: (result: SearchPartResult | NoteJobResult) => void): Promise<void> {
  const requests = jobs.map((job, id) => ({ id, path: searchPath(job.part.folder), searchPart: job }));
  const inFlight = Math.ceil(jobs.length / Math.max(1, workers.pool.size));
  return workers.pool.runJobs<SearchPartResult>(requests, { settings: workers.settings, cacheDir, timeoutMs: partDeadlineMs, inFlight }, onResult);
}

/** Writes the search: each part to make on a worker (or in-process), as a job. Returns what the cache's parts take after the sweep, when there is a cache. */
export async function writeSiteSearch(options: SearchStageOptions): Promise<Retention | undefined> {
  const { writer, fresh, cacheDir, ahead } = options;
  // Planned ahead for these very notes (hashing 10,000 slugs into parts takes tens of milliseconds), or planned now.
  const { members, keys, parts } = ahead && sameNotes(ahead.planned.notes, options.notes) ? ahead.planned.plan : plannedParts(options.notes, options.buildKey);
  const kept = writer.keepFolders(searchPath(''), new Set(parts.map((part) => part.folder)));
  const missing = parts.filter((part) => !kept.has(part.folder));
  // A part sent ahead may be in the cache already, put there by its worker: taken from the run, as if made here.
  const cached = new Set(cacheDir && options.copyParts ? missing.filter((part) => !ahead?.folders.has(part.folder) && partIsCached(cacheDir, part.folder)).map((part) => part.folder) : []);
  const jobOf = partJob(writer, fresh, keys, cacheDir);
  const needed = missing.filter((part) => !cached.has(part.folder));
  // Those already sent ahead are taken from there once their run ends; the others, made here.
  const madeAhead = needed.filter((part) => ahead?.folders.has(part.folder));
  const jobs = needed.filter((part) => !ahead?.folders.has(part.folder)).map(jobOf);
  const write = (result: SearchPartResult | NoteJobResult) => {
    if ('messages' in result) throw failure(result.messages.map((m) => m.message).join('; '));
    for (const file of result.files) writer.write(file, file.sha256);
  };

  // The parts go to the workers before this function first waits, so that
  // a build that does not wait for it makes them while it does other work
  // (after the parts sent ahead, if any: the pool runs one run at a time).
  const { workers } = options;
  let made: Promise<void> | undefined;
  if (workers && (jobs.length > 1 || (workers.always && jobs.length > 0))) {
    made = ahead ? ahead.done.then(() => runParts(workers, cacheDir, jobs, write)) : runParts(workers, cacheDir, jobs, write);
    // Awaited below; until then a failure must not count as unhandled.
    made.catch(() => undefined);
  }

  let assets: Map<string, Uint8Array>;
  try {
    // Cached beside the build cache (`pagefind-<version>/`), or in the system's temporary folder.
    assets = await pagefindAssets(cacheDir ?? undefined);
  } catch (error) {
    throw failure(`Pagefind's browser code could not be extracted from its binary: ${error instanceof Error ? error.message : String(error)}`, extractionHint(error));
  }
  for (const file of searchFolderFiles(assets, parts)) writer.write(file);

  // Copied from the cache while the workers make the others; a damaged copy, or one with files outside its folder, is made here instead.
  for (const part of missing.filter((each) => cached.has(each.folder))) {
    const files = readCachedPart(cacheDir!, part.folder);
    const folder = searchPath(part.folder);
    if (files?.every((file) => file.path.startsWith(folder))) for (const file of files) writer.write(file, file.sha256);
    else {
      cached.delete(part.folder);
      const job = jobOf(part);
      jobs.push(job);
      if (made) write(runSearchPartJob(job));
    }
  }
  if (made) await made;
  else for (const job of jobs) write(runSearchPartJob(job));
  if (ahead && madeAhead.length > 0) {
    await ahead.done;
    for (const part of madeAhead) write(ahead.made.get(searchPath(part.folder))!);
  }
  // Once the parts made are kept too: the bound on the unused ones is the size of those in use.
  const retention = cacheDir ? sweepCachedParts(cacheDir, new Set(parts.map((part) => part.folder)), { room: options.unusedRoom }) : undefined;
  const pages = [...jobs.map((job) => job.part), ...madeAhead].reduce((sum, part) => sum + part.members.length, 0);
  const written = jobs.length + madeAhead.length + cached.size;
  const copied = cached.size > 0 ? ` (${cached.size} copied from the build cache)` : '';
  if (written > 0) options.log(`herald: search: ${written} of ${parts.length} part(s) written${copied}, ${pages} of ${members.length} advisory pages indexed`);
  return retention;
}
