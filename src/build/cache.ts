/**
 * The persistent build cache (`.herald-cache/`, safe to delete, restorable
 * in CI with actions/cache). Every entry is keyed by the content hash of the
 * note together with a global key made of herald's own sources, templates,
 * browser assets and the config, so a change to any of them invalidates
 * exactly what it must.
 *
 * - `index.jsonl`: per note path, its size, mtime, content hash, entry key,
 *   messages and card (id, kind, aliases, status, dates, revision), where
 *   its heavy record is and what a build needs of its files without it
 *   (`StoredRecord`), and in its header the key of the last build that
 *   finished: all a no-change rebuild reads. Each save ends with a commit
 *   line; a save of a few notes appends their lines and a commit
 *   (`appendLight`), and a read keeps what the last commit covers.
 * - `records.jsonl`: per note path, its summary, digests and output hashes,
 *   read only by a build that has something to render or write: whole, or
 *   a few records by offset (`readRecordsAt`).
 * - `entries/v<version>/<k2>/<key>.out`: one note's output files, stored raw (no
 *   compression, no JSON escaping of the contents): a small JSON header
 *   naming each file and its blob, the page's search record, then the
 *   blobs, then the note's record (`EntryRecord`), so that the entry serves
 *   a later build that no index tells about it (`recordFromEntry`). Files
 *   with the same bytes (the site's downloads/ copies) share one blob. The
 *   worker that rendered the note writes it, so the main thread never
 *   encodes outputs twice. Entries no note uses are kept within the bound
 *   of `cache-retention.ts` (`entry-retention.ts`; `retention.json`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { noteInputs, renderInputs } from '../config/render-inputs.ts';
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { NoteLink } from '../model/note-links.ts';
import { currentRevision, lastUpdated, type Advisory } from '../model/types.ts';
import { asciiJson } from '../io/ascii-json.ts';
import { FileMemo } from '../io/file-memo.ts';
import { writeFileAtomically } from '../io/write-file.ts';
import { isSafeOutputPath } from '../io/write-tree.ts';
import { packageRoot } from '../package-root.ts';
import { utf8Text } from '../io/utf8-text.ts';
import { version } from '../version.ts';
import { sourcesDigest, treeDigest } from './sources-digest.ts';
import type { Retention } from './cache-retention.ts';
import { boundEntries, entryFile } from './entry-retention.ts';
import { ByteSink } from './byte-sink.ts';
import { groupCount, groupDigest, groupFileHash, groupText } from './manifest.ts';
import { advisoryPageFile } from '../render/site/urls.ts';
import type { OutputFile } from '../render/types.ts';
import type { NoteJobResult } from './note-job.ts';
import type { IndexedPage } from '../search/index.ts';

/** 12: a note's entry holds its record; 11: the card holds the title (10: the note's links to other notes); 9: the card holds the current revision's date (8: the card names the advisory's kind and current revision; 7 and before: neither); 6: a note's output hashes as one string (5: no OSV text in the records; 4: entries hold the page's search record; 3: the index split in two). */
const formatVersion = 12;

/** What every build needs of a note to tell whether anything changed, and what it publishes. */
export interface AdvisoryCard {
  id: string;
  kind: Advisory['kind'];
  title: string;
  slug: string;
  aliases: string[];
  status: Advisory['status'];
  date: string;
  embargo?: string;
  /** Its current revision (`currentRevision`): what `herald publish` announces. */
  revision: number;
  /** The current revision's date, or the publication date (`lastUpdated`): `publish.announce_from` is compared with it. */
  updated: string;
  /** Its links to other notes' files, for the checks across notes; absent when none. */
  noteLinks?: NoteLink[];
}

/** What a no-change rebuild reads of each note: its file's identity, its messages and its card. */
export interface LightRecord {
  size: number;
  mtimeMs: number;
  hash: string;
  key: string;
  messages: HeraldMessage[];
  /** Absent when the note could not be read into an Advisory. */
  card?: AdvisoryCard;
  rendered: boolean;
  /** Where its heavy record is, and what a build needs of its output files without reading it (absent in an index of an earlier herald). */
  stored?: StoredRecord;
}

/**
 * Where a note's heavy record is in `records.jsonl` (its line's offset and
 * length), and what a build that keeps the note's files as they are needs
 * of them: the digest of its manifest group (`groupDigest` of its `files`),
 * how many files the group has, and the sha256 of its advisory page
 * (absent when it has none), for the search. So a one-note rebuild reads
 * the records of the few notes it shows again only (`readRecordsAt`).
 */
export type StoredRecord = [offset: number, length: number, group: string, files: number, page?: string];

/** What a build that renders aggregates or writes outputs needs as well. */
export interface HeavyRecord {
  /** The entry key of the light record this belongs to. */
  key: string;
  summary?: Advisory;
  /** Each renderer's digest of the note, for aggregates. */
  digests: Record<string, unknown>;
  /** Per-note output paths and the sha256 of each, as the manifest lists a note's files (`groupText`). */
  files: string;
}

export type IndexRecord = LightRecord & HeavyRecord;

/**
 * The last build that finished: the key of everything its outputs depended
 * on, and the output manifest it left (size and mtime), so that the next
 * build can tell that there is nothing at all to do.
 */
export interface CompletedBuild {
  out: string;
  key: string;
  manifest: { size: number; mtimeMs: number };
  /** Each output root folder's identity, as the manifest records it (`rootIdentities`). */
  roots?: Record<string, string>;
  /** Output files in the tree. */
  files: number;
}

export interface CacheIndex {
  format: number;
  globalKey: string;
  /** Read-only: the index a build reads may be the one this process keeps in memory. */
  notes: Readonly<Record<string, LightRecord>>;
  completed?: CompletedBuild;
  /** Pairs the light file with the heavy file written with it. */
  generation?: string;
  /** How many bytes of the heavy file belong to this index (later bytes are a torn append). */
  heavyLength?: number;
  /** How many lines (records) those bytes hold, appended ones included (absent in an index of an earlier herald). */
  heavyLines?: number;
  /** Where the light file's last save ends (later bytes are a torn append), and how many note lines it holds, appended ones included; absent when it cannot be appended to (an earlier herald's, one never saved). */
  lightLength?: number;
  lightLines?: number;
}

export function cardOf(advisory: Advisory): AdvisoryCard {
  return { id: advisory.id, kind: advisory.kind, title: advisory.title, slug: advisory.slug, aliases: advisory.aliases, status: advisory.status, date: advisory.date, ...(advisory.embargo !== undefined ? { embargo: advisory.embargo } : {}), revision: currentRevision(advisory), updated: lastUpdated(advisory), ...(advisory.noteLinks.length > 0 ? { noteLinks: advisory.noteLinks } : {}) };
}

let sourcesHash: string | undefined;

/** Hash of herald itself: its version, sources, templates and browser assets. */
function heraldHash(): string {
  if (!sourcesHash) {
    // src/'s digest is compiled in when running from dist-js/ (see sources-digest.ts).
    const hash = createHash('sha256').update(version).update(sourcesDigest());
    for (const dir of ['templates', 'site']) hash.update(treeDigest(path.join(packageRoot, dir)));
    sourcesHash = hash.digest('hex');
  }
  return sourcesHash;
}

function keyOf(configInputs: Record<string, unknown>, preview: boolean): string {
  return createHash('sha256').update(`${formatVersion}\0${heraldHash()}\0${preview}\0${JSON.stringify(configInputs)}`).digest('hex');
}

/** What every cached note depends on: herald, preview or not, and the config as far as a note's own outputs and lint read it (`noteInputs`). */
export function globalKey(config: Config, preview: boolean): string {
  return keyOf(noteInputs(config), preview);
}

/** What the aggregate files depend on besides the notes: the same, with the config as far as any output reads it (`renderInputs`). */
export function aggregateKey(config: Config, preview: boolean): string {
  return keyOf(renderInputs(config), preview);
}

export function entryKey(globalKeyValue: string, notePath: string, contentHash: string): string {
  return createHash('sha256').update(`${globalKeyValue}\0${notePath}\0${contentHash}`).digest('hex');
}

export function emptyIndex(key: string): CacheIndex {
  return { format: formatVersion, globalKey: key, notes: {} };
}

const lightFile = 'index.jsonl';
const heavyFile = 'records.jsonl';

type Header = Omit<CacheIndex, 'notes' | 'lightLength' | 'lightLines'>;

/**
 * The line that ends each save of the light file (an object, where a
 * note's line is an array): what the header says of the heavy file and of
 * the last finished build, as of that save. A save of a few notes appends
 * their lines and a commit; the lines after the last commit are a torn
 * append, and are not read.
 */
type Commit = Pick<CacheIndex, 'generation' | 'heavyLength' | 'heavyLines' | 'completed'>;

/**
 * Reads a JSON Lines file a chunk at a time (at 10,000 notes no 100 MB
 * string is ever made): the header line to `onHeader` (false stops), then
 * each `[path, record]` line to `onLine`. Yields after each chunk, so that
 * a caller may let the event loop turn (`readJsonLinesAsync`); returns
 * false when the file is missing, unreadable, refused or torn.
 */
function* jsonLineChunks<R>(file: string, onHeader: (header: Header) => boolean, onLine: (notePath: string, record: R) => void, limit = Infinity, chunkSize = 4 << 20, onCommit?: (commit: Commit, end: number) => void): Generator<void, boolean> {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let header = true;
    const chunk = Buffer.alloc(chunkSize);
    // The start of a line the previous chunk ended in, and where `bytes` starts in the file.
    let carry: Buffer | undefined;
    let offset = 0;
    let left = limit;
    for (let read = readSync(fd, chunk, 0, Math.min(chunk.length, left), null); read > 0; read = readSync(fd, chunk, 0, Math.min(chunk.length, left), null)) {
      left -= read;
      const bytes = carry ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      // Each line is decoded by itself. Strings JSON.parse takes out of a line may be slices of it: a string
      // per chunk split into lines kept every chunk alive (at 10,000 notes, 40 MiB more at the peak of a
      // one-note rebuild), and was slower.
      let start = 0;
      for (let end = bytes.indexOf(0x0a, start); end >= 0; end = bytes.indexOf(0x0a, start)) {
        const line = utf8Text(bytes, start, end);
        start = end + 1;
        if (header) {
          if (!onHeader(JSON.parse(line) as Header)) return false;
          header = false;
        } else if (onCommit && line.startsWith('{')) {
          onCommit(JSON.parse(line) as Commit, offset + start);
        } else {
          const [notePath, record] = JSON.parse(line) as [string, R];
          onLine(notePath, record);
        }
      }
      offset += start;
      carry = start < bytes.byteLength ? Buffer.from(bytes.subarray(start)) : undefined;
      yield;
    }
    // A torn last line means a torn file.
    return carry === undefined && !header;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readJsonLines<R>(...args: Parameters<typeof jsonLineChunks<R>>): boolean {
  const chunks = jsonLineChunks<R>(...args);
  for (let step = chunks.next(); ; step = chunks.next()) if (step.done) return step.value;
}

/**
 * `readJsonLines`, with a turn of the event loop after each chunk of a
 * megabyte (about 25 ms of parsing here); undefined once `stop()` says so
 * (the file is closed).
 */
async function readJsonLinesAsync<R>(stop: () => boolean, ...[file, onHeader, onLine, limit]: Parameters<typeof jsonLineChunks<R>>): Promise<boolean | undefined> {
  const chunks = jsonLineChunks<R>(file, onHeader, onLine, limit, 1 << 20);
  for (let step = chunks.next(); ; step = chunks.next()) {
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
    if (stop()) {
      chunks.return(false);
      return undefined;
    }
  }
}

/** Writes `header` (unless null) and the records (or their lines, made already) to `fd`; returns the bytes written. */
function writeLines(fd: number, header: Header | null, records: Iterable<[string, unknown] | string>): number {
  let written = 0;
  let pending = header ? asciiJson(header) + '\n' : '';
  const flush = () => {
    written += writeSync(fd, pending);
    pending = '';
  };
  for (const entry of records) {
    pending += typeof entry === 'string' ? entry : asciiJson(entry) + '\n';
    if (pending.length > 1 << 20) flush();
  }
  flush();
  return written;
}

/**
 * Appends to the light file the lines of the notes whose light record is
 * not the one `before` (the index the build read) has, then a commit; the
 * bytes past the index's last commit (a torn append) are cut off first.
 * Undefined (nothing written) when the file must be rewritten whole: it
 * is not the one read (an earlier herald's, or saved since by another
 * process), a note was removed, or its lines would outnumber the notes by
 * more than a quarter (each append adds a line per changed note).
 */
function appendLight(file: string, before: CacheIndex['notes'] | undefined, forms: readonly SavedForm[], commit: Commit, lineOf: (form: SavedForm) => string): { length: number; lines: number } | undefined {
  const base = before && lastIndex.recall(file);
  if (!base || base.notes !== before || base.lightLength === undefined || base.lightLines === undefined) return undefined;
  const changed = forms.filter((form) => form.light !== before[form.notePath]);
  const added = changed.filter((form) => !before[form.notePath]).length;
  const removed = Object.keys(before).length > forms.length - added;
  const lines = base.lightLines + changed.length;
  if (removed || lines > forms.length * 1.25) return undefined;
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, base.lightLength);
    const appended = writeSync(fd, changed.map(lineOf).join('') + asciiJson(commit) + '\n', base.lightLength);
    return { length: base.lightLength + appended, lines };
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole JSON Lines file by renaming a complete copy over it; returns its length, and `lines`. */
function writeJsonLines(file: string, header: Header, records: Iterable<[string, unknown] | string>, lines?: number): { length: number; lines: number | undefined } {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(temporary, 'w');
  let length: number;
  try {
    length = writeLines(fd, header, records);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  return { length, lines };
}

/** The light index this process saved or read last: in `serve --watch`, each build reads what the one before it saved. */
const lastIndex = new FileMemo<CacheIndex>();

/** Makes the next `loadIndex` read the disk (tests of what is on disk). */
export function forgetIndex(): void {
  lastIndex.forget();
}

/** The light index, which every build reads. A missing, torn or foreign one is an empty cache. */
export function loadIndex(cacheDir: string, key: string): CacheIndex {
  const file = path.join(cacheDir, lightFile);
  const known = lastIndex.recall(file);
  if (known) return known.globalKey === key ? known : emptyIndex(key);
  const notes: Record<string, LightRecord> = {};
  const index: CacheIndex = { ...emptyIndex(key), notes };
  let ours = false;
  // The notes' lines since the last commit: kept only once a commit follows them.
  let pending: [string, LightRecord][] = [];
  let lines = 0;
  const commit = (state: Commit) => {
    for (const [notePath, record] of pending) notes[notePath] = record;
    lines += pending.length;
    pending = [];
    for (const field of ['generation', 'heavyLength', 'heavyLines', 'completed'] as const) {
      if (state[field] === undefined) delete index[field];
      else Object.assign(index, { [field]: state[field] });
    }
  };
  const ok = readJsonLines<LightRecord>(
    file,
    (header) => {
      if (header.format !== formatVersion || header.globalKey !== key) return false;
      ours = true;
      commit(header);
      return true;
    },
    (notePath, record) => {
      pending.push([notePath, record]);
    },
    Infinity,
    4 << 20,
    (state, end) => {
      commit(state);
      index.lightLength = end;
      index.lightLines = lines;
    },
  );
  // Damage past the last commit (a build killed while it appended) loses that append only.
  if (!ours || (!ok && index.lightLength === undefined)) return emptyIndex(key);
  // Saved whole by an earlier herald (no commit line): every line is the save's, and the next save rewrites it.
  if (index.lightLength === undefined) commit(index);
  lastIndex.remember(file, index);
  return index;
}

/**
 * The heavy records written with `index`, by note path (a later line for
 * the same path replaces an earlier one: changed notes are appended);
 * undefined when they are missing or not its own.
 */
type RecordsLoad =
  | { done: Map<string, HeavyRecord> | undefined }
  | { read: Parameters<typeof jsonLineChunks<HeavyRecord>>; finish: (ok: boolean | undefined) => Map<string, HeavyRecord> | undefined };

/** The records this process holds already, or how to read them from the file and keep them. */
function recordsLoad(cacheDir: string, index: CacheIndex): RecordsLoad {
  const { generation, heavyLength: length } = index;
  if (!generation || length === undefined) return { done: undefined };
  const file = path.join(cacheDir, heavyFile);
  if (lastSaved && lastSaved.file === file && lastSaved.generation === generation && lastSaved.length === length) return { done: new Map(lastSaved.records) };
  const records = new Map<string, HeavyRecord>();
  return {
    read: [
      file,
      (header) => header.format === formatVersion && header.globalKey === index.globalKey && header.generation === generation,
      (notePath, record) => {
        records.set(notePath, record);
      },
      length,
    ],
    finish: (ok) => {
      if (!ok) return undefined;
      lastSaved = { file, generation, length, records: new Map(records) };
      return records;
    },
  };
}

export function loadRecords(cacheDir: string, index: CacheIndex): Map<string, HeavyRecord> | undefined {
  const load = recordsLoad(cacheDir, index);
  return 'done' in load ? load.done : load.finish(readJsonLines(...load.read));
}

/** `loadRecords` a chunk of the file at a time, the event loop turning between chunks; undefined once `stop()` says so. */
export async function loadRecordsAsync(cacheDir: string, index: CacheIndex, stop: () => boolean): Promise<Map<string, HeavyRecord> | undefined> {
  const load = recordsLoad(cacheDir, index);
  return 'done' in load ? load.done : load.finish(await readJsonLinesAsync(stop, ...load.read));
}

/** The heavy file a build read, which the next save may append to instead of rewriting. */
export interface HeavyBase {
  generation: string;
  length: number;
  /** Records in it (its lines, appended ones included). */
  lines: number;
}

/** The heavy file `index` vouches for; `lines`: how many records were read from it, for an index that does not say how many lines it has. */
export function heavyBase(index: CacheIndex, lines?: number): HeavyBase | undefined {
  const count = index.heavyLines ?? lines;
  return index.generation && index.heavyLength !== undefined && count !== undefined ? { generation: index.generation, length: index.heavyLength, lines: count } : undefined;
}

/** Whether a save may append `changed` records to `base` for an index of `notes` notes, rather than rewrite the heavy file whole. */
export function appendable(base: HeavyBase, changed: number, notes: number): boolean {
  return base.lines + changed <= notes * 1.25;
}

/**
 * The heavy records of `paths` (notes of `index` with a `stored` place),
 * each read alone at its offset, by path; undefined when one of them
 * cannot be read, is not where the index says, or is not the note's
 * record of the index's key. A build of an edit or two reads the few
 * records the files it makes again show, not the whole file.
 */
export function readRecordsAt(cacheDir: string, index: CacheIndex, paths: Iterable<string>): Map<string, HeavyRecord> | undefined {
  const { generation, heavyLength } = index;
  const wanted = [...paths].map((notePath) => ({ notePath, light: index.notes[notePath] }));
  if (!generation || heavyLength === undefined || wanted.some(({ light }) => !light?.stored)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path.join(cacheDir, heavyFile), 'r');
    const first = readAt(fd, 0, 4096);
    const end = first.indexOf(0x0a);
    const header = JSON.parse(first.toString('utf8', 0, end < 0 ? first.byteLength : end)) as Header;
    if (header.format !== formatVersion || header.globalKey !== index.globalKey || header.generation !== generation) return undefined;
    const records = new Map<string, HeavyRecord>();
    // In file order: the reads go forward.
    for (const { notePath, light } of wanted.sort((a, b) => a.light!.stored![0] - b.light!.stored![0])) {
      const [offset, length] = light!.stored!;
      if (offset + length > heavyLength) return undefined;
      const line = readAt(fd, offset, length);
      if (line.byteLength !== length || line[length - 1] !== 0x0a) return undefined;
      const [named, record] = JSON.parse(utf8Text(line, 0, length - 1)) as [string, HeavyRecord];
      if (named !== notePath || record.key !== light!.key) return undefined;
      records.set(notePath, record);
    }
    return records;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The heavy records this process saved or read last: `herald serve
 * --watch` builds again and again in one process, and need not read back
 * what it just wrote.
 */
let lastSaved: { file: string; generation: string; length: number; records: Map<string, HeavyRecord> } | undefined;

/** Makes the next `loadRecords` read the disk (tests of what is on disk). */
export function forgetSavedRecords(): void {
  lastSaved = undefined;
}

const heavyRecordOf = (r: IndexRecord): HeavyRecord => ({ key: r.key, ...(r.summary ? { summary: r.summary } : {}), digests: r.digests, files: r.files });

/** A record's light and heavy parts and its line in the light index, as saved for a note. */
interface SavedForm {
  notePath: string;
  /** Absent for a note whose heavy record this build did not read (`lightRecord`): it stays where it is in the heavy file. */
  heavy?: HeavyRecord;
  light: LightRecord;
  line?: string;
}

/**
 * The parts of the records this process saved or read. `serve --watch`
 * hands each save the record objects the build before it merged from the
 * parts it read (`rememberParts`), so a save makes the parts and the index
 * lines of the changed notes only, and the next build reads back the same
 * part objects.
 */
const savedForms = new WeakMap<IndexRecord, SavedForm>();

/**
 * Each unchanged note's record, light and heavy parts in one, while both
 * parts are the objects they were: in `serve --watch`, the cache hands
 * each build the parts the build before saved, and a record that stays
 * the same object is not serialized again either (`saveIndex`).
 */
const mergedRecords = new WeakMap<LightRecord, { heavy: HeavyRecord; record: IndexRecord }>();

/** A note's record, of its light and heavy parts as read from the cache (the same object while the parts are). */
export function mergedRecord(notePath: string, light: LightRecord, heavy: HeavyRecord): IndexRecord {
  const known = mergedRecords.get(light);
  if (known?.heavy === heavy) return known.record;
  const record = { ...light, ...heavy };
  mergedRecords.set(light, { heavy, record });
  rememberParts(notePath, record, light, heavy);
  return record;
}

/** Says that `record` is made of these parts, as read from the cache for the note at `notePath`. */
function rememberParts(notePath: string, record: IndexRecord, light: LightRecord, heavy: HeavyRecord): void {
  savedForms.set(record, { notePath, light, heavy });
}

/**
 * An unchanged note's record as its light part alone (no summary, digests
 * or files), for a build that does not read its heavy record: a save
 * appends the changed notes' records and leaves this one's where it is.
 */
export function lightRecord(notePath: string, light: LightRecord): IndexRecord {
  const record: IndexRecord = { ...light, digests: {}, files: '' };
  savedForms.set(record, { notePath, light });
  return record;
}

/** A note's light record (`lightRecord`) with its heavy record, read since: both parts in one, saved as its light part places it. */
export function withHeavy(notePath: string, record: IndexRecord, heavy: HeavyRecord): IndexRecord {
  const light = savedForms.get(record)?.light;
  if (!light) throw new Error(`${notePath}: not a light record`);
  return mergedRecord(notePath, light, heavy);
}

function savedFormOf(notePath: string, r: IndexRecord): SavedForm {
  let form = savedForms.get(r);
  if (form?.notePath !== notePath) {
    const light: LightRecord = { size: r.size, mtimeMs: r.mtimeMs, hash: r.hash, key: r.key, messages: r.messages, rendered: r.rendered, ...(r.summary ? { card: cardOf(r.summary) } : {}) };
    form = { notePath, heavy: heavyRecordOf(r), light };
    savedForms.set(r, form);
  }
  return form;
}

/** A light record placed at `offset` in the heavy file, with what its heavy record says of its files. */
function placed(light: LightRecord, heavy: HeavyRecord, offset: number, length: number): LightRecord {
  const page = heavy.summary ? groupFileHash(heavy.files, advisoryPageFile(heavy.summary.slug)) : undefined;
  const stored: StoredRecord = [offset, length, groupDigest(heavy.files), groupCount(heavy.files)];
  if (page) stored.push(page);
  return { ...light, stored };
}

/**
 * Saves both files, the heavy one first, so that a light index never names
 * heavy records that are not there. With a `base` and few `changed` notes,
 * their records are appended to the heavy file instead of rewriting every
 * note's (at 10,000 notes, about 100 MB); a torn append is cut off by the
 * light index's `heavyLength`, and the file is rewritten whole once
 * appended lines outnumber a quarter of the notes (`appendable`), or when
 * an unchanged note's light record does not say where its heavy one is
 * (an index of an earlier herald). Each light record says where its heavy
 * record is (`stored`); when the heavy file is appended to, so is the
 * light one, with the notes whose light record changed (`appendLight`). A note given by its light part alone
 * (`lightRecord`) must be an unchanged one of an append. Then the entries
 * are kept within their bound (`boundEntries`, `entry-retention.ts`): the
 * entries of `replaces` (the index the build read) that no note uses any
 * more are marked as used until now (an edit leaves its note's old entry
 * behind, a branch checked out every changed note's), and the unused ones
 * past the room (`unusedRoom`, bytes; the config's `cache.unused_mib`)
 * removed. Returns what the entries take and what was removed.
 */
export function saveIndex(
  cacheDir: string,
  index: { globalKey: string; completed?: CompletedBuild; replaces?: CacheIndex['notes']; unusedRoom?: number | undefined },
  notes: ReadonlyMap<string, IndexRecord>,
  incremental?: { base: HeavyBase; changed: ReadonlySet<string> },
): Retention {
  const file = path.join(cacheDir, heavyFile);
  const forms = [...notes].map(([notePath, r]) => savedFormOf(notePath, r));
  const append = incremental && appendable(incremental.base, incremental.changed.size, notes.size) && forms.every((form) => incremental.changed.has(form.notePath) || form.light.stored);
  const written = append ? forms.filter((form) => incremental.changed.has(form.notePath)) : forms;
  const unread = written.find((form) => !form.heavy);
  if (unread) throw new Error(`the heavy record of ${unread.notePath} was not read, and the save must write it`);
  let header: Header;
  let heavyLength: number;
  let at = 0;
  // Each written record's line, its offset noted as it goes (the lines are ASCII: one byte a character).
  const lines = function* (): Generator<string> {
    for (const form of written) {
      const line = asciiJson([form.notePath, form.heavy]) + '\n';
      form.light = placed(form.light, form.heavy!, at, line.length);
      form.line = undefined;
      at += line.length;
      yield line;
    }
  };
  if (append) {
    header = { format: formatVersion, globalKey: index.globalKey, generation: incremental.base.generation };
    const fd = openSync(file, 'r+');
    try {
      // Bytes past the base are a torn append of a build that did not finish.
      ftruncateSync(fd, incremental.base.length);
      at = incremental.base.length;
      const appended = writeSync(fd, [...lines()].join(''), incremental.base.length);
      heavyLength = incremental.base.length + appended;
    } finally {
      closeSync(fd);
    }
  } else {
    header = { format: formatVersion, globalKey: index.globalKey, generation: randomBytes(8).toString('hex') };
    at = asciiJson(header).length + 1;
    heavyLength = writeJsonLines(file, header, lines()).length;
  }
  const heavyLines = (append ? incremental.base.lines : 0) + written.length;
  lastSaved = forms.every((form) => form.heavy) ? { file, generation: header.generation!, length: heavyLength, records: new Map(forms.map((form) => [form.notePath, form.heavy!])) } : undefined;
  const light: Record<string, LightRecord> = {};
  for (const form of forms) light[form.notePath] = form.light;
  const commit: Commit = { generation: header.generation!, heavyLength, heavyLines, ...(index.completed ? { completed: index.completed } : {}) };
  const lightPath = path.join(cacheDir, lightFile);
  const lineOf = (form: SavedForm) => (form.line ??= asciiJson([form.notePath, form.light]) + '\n');
  const saved = (append && appendLight(lightPath, index.replaces, forms, commit, lineOf)) || writeJsonLines(lightPath, { ...header, ...commit }, [...forms.map(lineOf), asciiJson(commit) + '\n'], forms.length);
  lastIndex.remember(lightPath, { format: formatVersion, globalKey: index.globalKey, ...commit, notes: light, lightLength: saved.length, lightLines: saved.lines });
  return boundEntries(cacheDir, { before: index.replaces, after: notes, generation: header.generation!, appended: Boolean(append), room: index.unusedRoom });
}

/**
 * The header of an entry: each file's path and blob index, each blob's
 * length, the length of the page's search record (JSON, stored first,
 * before the blobs, so it can be read alone), and the length of the
 * note's record (JSON, stored last).
 */
interface EntryHeader {
  files: [path: string, blob: number][];
  blobs: number[];
  /** Each blob's SHA-256, in an entry whose reader has no list of its own to check the bytes against (a search part's). */
  digests?: string[];
  search?: number;
  /** SHA-256 of the search record, so a damaged record is made again rather than served. */
  searchSha256?: string;
  /** Length of the note's record (`EntryRecord`), after the blobs. */
  record?: number;
  recordSha256?: string;
}

/**
 * What a note's entry keeps of its job besides the files: what the index
 * and the records hold of it, so that a build finds the note rendered
 * when no index names the entry any more (a branch checked out again, a
 * config change undone), and does not render it again.
 */
export type EntryRecord = Pick<IndexRecord, 'messages' | 'summary' | 'rendered' | 'digests' | 'files'>;

export function writeCacheEntry(cacheDir: string, key: string, result: NoteJobResult): void {
  const record: EntryRecord = { messages: result.messages, ...(result.summary ? { summary: result.summary } : {}), rendered: result.rendered, digests: result.digests, files: groupText(result.outputs) };
  writeEntryFile(entryFile(cacheDir, key), result.outputs, { search: result.search, record });
}

/** The body of the entry being written (written synchronously, then reused by the next). */
const entryBody = new ByteSink();

/**
 * Writes an entry file: `outputs`, equal bytes stored once, after the
 * search record when there is one and before the note's record when there
 * is one; with `digests`, each blob's SHA-256 in the header.
 */
export function writeEntryFile(file: string, outputs: readonly (OutputFile & { sha256: string })[], options: { search?: IndexedPage | undefined; digests?: boolean; record?: EntryRecord }): void {
  const header: EntryHeader = { files: [], blobs: [], ...(options.digests ? { digests: [] } : {}) };
  // The search record, the blobs and the record, in their order in the file, encoded into one reused buffer.
  entryBody.reset();
  if (options.search) {
    const search = entryBody.append(JSON.stringify(options.search));
    header.search = search.byteLength;
    header.searchSha256 = sha256(search);
  }
  const byHash = new Map<string, number>();
  for (const output of outputs) {
    let blob = byHash.get(output.sha256);
    if (blob === undefined) {
      blob = header.blobs.length;
      byHash.set(output.sha256, blob);
      header.blobs.push(entryBody.append(output.contents).byteLength);
      header.digests?.push(output.sha256);
    }
    header.files.push([output.path, blob]);
  }
  if (options.record) {
    const record = entryBody.append(JSON.stringify(options.record));
    header.record = record.byteLength;
    header.recordSha256 = sha256(record);
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.byteLength);
  writeFileAtomically(file, [length, headerBytes, entryBody.bytes()]);
}

/**
 * The outputs stored for `key` (contents as bytes), or undefined when the
 * entry is missing, unreadable, not as long as its header says, or when a
 * file's bytes are not those `expected` (path → SHA-256, as the cache index
 * lists the note's files) says: a damaged entry is never published.
 */
export function readCachedOutputs(cacheDir: string, key: string, expected: ReadonlyMap<string, string>): (OutputFile & { sha256: string })[] | undefined {
  const files = readEntryFile(entryFile(cacheDir, key));
  if (!files || files.length !== expected.size) return undefined;
  return files.every((file) => expected.get(file.path) === file.sha256) ? files : undefined;
}

/**
 * The files an entry file holds, each with the SHA-256 of its bytes, or
 * undefined when it is missing, unreadable or not as long as its header
 * says, or when its header lists digests and a blob does not match its
 * own.
 */
export function readEntryFile(file: string): (OutputFile & { contents: Uint8Array; sha256: string })[] | undefined {
  try {
    const data = readFileSync(file);
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as EntryHeader;
    const blobs: Uint8Array[] = [];
    let offset = 4 + headerLength + (header.search ?? 0);
    for (const length of header.blobs) {
      blobs.push(data.subarray(offset, offset + length));
      offset += length;
    }
    if (offset + (header.record ?? 0) !== data.byteLength) return undefined;
    const digests = blobs.map((blob) => sha256(blob));
    if (header.digests && (header.digests.length !== blobs.length || header.digests.some((digest, blob) => digest !== digests[blob]))) return undefined;
    // The writer refuses a path outside the output (failing the build); an entry naming one is treated as damaged instead, and made again.
    if (!header.files.every(([file, blob]) => isSafeOutputPath(file) && Number.isInteger(blob) && blob >= 0 && blob < blobs.length)) return undefined;
    return header.files.map(([path, blob]) => ({ path, contents: blobs[blob]!, sha256: digests[blob]! }));
  } catch {
    return undefined;
  }
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = readSync(fd, buffer, filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** An entry's header, and what was read with it (`head`: the file's first bytes, the header included). */
function readEntryHeader(fd: number): { header: EntryHeader; headerLength: number; head: Buffer } {
  // One read usually holds the header and the search record (about 15 KB together).
  let head = readAt(fd, 0, 32 * 1024);
  const headerLength = head.readUInt32LE(0);
  if (head.byteLength < 4 + headerLength) head = readAt(fd, 0, 4 + headerLength);
  return { header: JSON.parse(head.toString('utf8', 4, 4 + headerLength)) as EntryHeader, headerLength, head };
}

/** `read` on the open entry of `key`; undefined when the entry is missing or cannot be read. */
function withEntry<T>(cacheDir: string, key: string, read: (fd: number) => T | undefined): T | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(entryFile(cacheDir, key), 'r');
    return read(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The search record stored for `key` (what `indexPage` made of the note's
 * page), read without the output files after it; undefined when the entry
 * is missing, damaged or has none.
 */
export function readCachedSearch(cacheDir: string, key: string): IndexedPage | undefined {
  return withEntry(cacheDir, key, (fd) => {
    const { header, headerLength, head } = readEntryHeader(fd);
    if (!header.search) return undefined;
    const start = 4 + headerLength;
    const record = head.byteLength >= start + header.search ? head.subarray(start, start + header.search) : readAt(fd, start, header.search);
    if (record.byteLength !== header.search || sha256(record) !== header.searchSha256) return undefined;
    return JSON.parse(record.toString('utf8')) as IndexedPage;
  });
}

/**
 * The record of the note whose entry is `key`, as the index and the
 * records would hold it, with the file's stat and content hash: a note
 * rendered by an earlier build that no index names any more. Undefined
 * when the entry is missing, has no record (an earlier herald's), or is
 * damaged; its files are checked when they are copied.
 */
export function recordFromEntry(cacheDir: string, key: string, hash: string, info: { size: number; mtimeMs: number }): IndexRecord | undefined {
  const stored = withEntry(cacheDir, key, (fd) => {
    const { header, headerLength } = readEntryHeader(fd);
    if (!header.record) return undefined;
    const start = 4 + headerLength + (header.search ?? 0) + header.blobs.reduce((sum, length) => sum + length, 0);
    if (fstatSync(fd).size !== start + header.record) return undefined;
    const record = readAt(fd, start, header.record);
    if (record.byteLength !== header.record || sha256(record) !== header.recordSha256) return undefined;
    return JSON.parse(record.toString('utf8')) as EntryRecord;
  });
  return stored && { size: info.size, mtimeMs: info.mtimeMs, hash, key, ...stored, ...(stored.summary ? { card: cardOf(stored.summary) } : {}) };
}

/**
 * One output file stored for `key`, read alone, when its bytes are those
 * `sha256` (as the note's record lists them) names; undefined otherwise.
 */
export function readCachedOutput(cacheDir: string, key: string, file: string, expected: string): Buffer | undefined {
  return withEntry(cacheDir, key, (fd) => {
    const { header, headerLength } = readEntryHeader(fd);
    const blob = header.files.find(([name]) => name === file)?.[1];
    if (blob === undefined) return undefined;
    const start = 4 + headerLength + (header.search ?? 0) + header.blobs.slice(0, blob).reduce((sum, length) => sum + length, 0);
    const contents = readAt(fd, start, header.blobs[blob]!);
    return contents.byteLength === header.blobs[blob] && sha256(contents) === expected ? contents : undefined;
  });
}

export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}
