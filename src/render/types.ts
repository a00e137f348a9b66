/**
 * The contract every output format follows: a pure function from validated
 * advisories to files. No renderer touches the disk, the network or the clock;
 * the build writes what they return.
 */
import type { Config } from '../config/schema.ts';
import type { Advisory } from '../model/types.ts';

export interface OutputFile {
  /** Path relative to the output root, with forward slashes, e.g. `site/index.html`. */
  path: string;
  contents: string | Uint8Array;
}

export interface RenderContext {
  config: Config;
  /** The injected clock: every date a renderer prints that is not from a note comes from here. */
  now: Date;
  /** A private preview build: drafts and embargoed notes included, every output marked. */
  preview: boolean;
  /**
   * Every advisory in this build, newest first, as summaries (see
   * `summarize` in src/model/types.ts: body, steps, verify and
   * sections are empty; what an aggregate needs of the text goes in the
   * renderer's `digest`). Empty in `renderNote`: a note's
   * own files may depend on that note alone, which is what lets the build
   * cache them by the note's content.
   */
  all: readonly Advisory[];
  /**
   * In `renderNote` only: what the renderers before this one in the registry
   * made for the same advisory, by renderer name (the site links them
   * without rendering them again).
   */
  noteOutputs?: ReadonlyMap<string, readonly OutputFile[]>;
  /**
   * In `renderAll` only: this renderer's `digest` of each advisory, by slug.
   * Aggregates that need more than a summary carries (OSV's all.json needs
   * every full record) read it here.
   */
  digests?: ReadonlyMap<string, unknown>;
  /**
   * In `renderAll` only: the bytes of a per-note output file of this
   * build, by path (undefined when it has none). Aggregates that repeat
   * whole per-note files (OSV's all.json) read them here instead of
   * keeping them in memory or in the cache's records.
   */
  noteFile?: (path: string) => Uint8Array | undefined;
  /**
   * In `renderAll` only: a string that changes whenever anything this
   * renderer may read of the advisory (its summary, its digest) changes;
   * what `KeyedFile` keys are made of (see `./aggregate-key.ts`).
   */
  keyOf?: (advisory: Advisory) => string;
}

/**
 * An aggregate the build may keep from its previous output instead of
 * making it again: `key` names everything its bytes depend on besides
 * herald, the config and whether this is a preview (the build's own key
 * covers those), and `render` makes the bytes. The build calls `render`
 * only when the key differs from the one the file was last made with, or
 * the output no longer holds those bytes.
 */
export interface KeyedFile {
  path: string;
  key: string;
  render(): string | Uint8Array;
  /**
   * How to make this file again from its members alone (see `Recipe`),
   * when an edit changed only their text; asked for only when the file is
   * made. A file without one is never made by `remake`: the edits that
   * take that path leave its bytes as they were.
   */
  recipe?(): Recipe;
}

/**
 * What a renderer's `remake` needs to make one aggregate file again
 * without the other advisories: `data`, plain JSON the build keeps in its
 * cache (the listing's headings, links and page number), and `members`,
 * the advisories whose text (their digest, their own files) the file
 * shows, in the order `remake` wants them.
 */
export interface Recipe {
  data: unknown;
  members: readonly Advisory[];
}

/** A keyed piece of a `SplicedFile`; `member`: the one advisory it shows, when `Renderer.remakePiece` can make it again. */
export interface KeyedPiece {
  key: string;
  bytes(): Uint8Array;
  member?: Advisory;
}

/** A piece of a `SplicedFile`: literal bytes, or bytes under a key (see `KeyedFile`). */
export type Piece = Uint8Array | KeyedPiece;

/**
 * A large aggregate that is its pieces one after the other, most of them
 * one advisory's (OSV's all.json): the build copies a keyed piece it made
 * before from the previous file instead of asking for its bytes again.
 * Keys are unique within the file.
 */
export interface SplicedFile {
  path: string;
  pieces: Iterable<Piece>;
}

/**
 * Whole-set files under one key whose number and names are known only
 * once they are made (an index split into a page per year past a size
 * limit): `group` names them in the build's memo, `key` is as a
 * `KeyedFile`'s, and `render` makes every file. The build keeps the files
 * the group last made when the key is the same and the output still holds
 * their bytes.
 */
export interface KeyedGroup {
  group: string;
  key: string;
  render(): OutputFile[];
}

/** What `renderAll` yields: files, keyed files (or groups) made only when their inputs changed, or spliced files. */
export type AggregateFile = OutputFile | KeyedFile | KeyedGroup | SplicedFile;

export function isKeyed(file: AggregateFile): file is KeyedFile {
  return 'render' in file && !('group' in file);
}

export function isGroup(file: AggregateFile): file is KeyedGroup {
  return 'group' in file;
}

export function isSpliced(file: AggregateFile): file is SplicedFile {
  return 'pieces' in file;
}

/** A spliced file's bytes, every piece made now. */
export function joinPieces(pieces: Iterable<Piece>): Buffer {
  const chunks: Uint8Array[] = [];
  for (const piece of pieces) chunks.push(piece instanceof Uint8Array ? piece : piece.bytes());
  return Buffer.concat(chunks);
}

export interface Renderer {
  /** Stable name, also the output's folder, e.g. `site`, `wiki`, `mail`, `checklists`. */
  name: string;
  /**
   * Files that depend on one advisory only (cached by the note's content):
   * they may use `context.config` and `context.preview`, never `context.all`,
   * and `context.now` only in preview builds (which are never cached).
   */
  renderNote?(advisory: Advisory, context: RenderContext): OutputFile[];
  /**
   * Small JSON data computed from the full advisory for `renderAll`, kept
   * with the note's summary in the build cache. Same rules as `renderNote`;
   * called after it, with its own files already in `context.noteOutputs`.
   */
  digest?(advisory: Advisory, context: RenderContext): unknown;
  /**
   * Files that depend on the whole set: indexes, feeds, aggregates. The
   * advisories are summaries: `body`, `steps`, `verify` and `sections`
   * are empty and `source.text` is too, so 10,000 of them fit in memory
   * (text an aggregate needs goes in the renderer's `digest`). Files may be yielded one at a time: the
   * build writes and drops each before asking for the next. A file that
   * depends on a few advisories only (a listing page, a product's feed) is
   * best yielded as a `KeyedFile`, so that an edit elsewhere does not make
   * it again.
   */
  renderAll?(advisories: readonly Advisory[], context: RenderContext): Iterable<AggregateFile>;
  /**
   * One keyed file of `renderAll` made again from its `recipe` (its data,
   * and its members' summaries): the same path, bytes and key as
   * `renderAll` gives when nothing but the members' text changed. The
   * build calls it after an edit that keeps every summary as it was, so
   * that only the files showing the edited notes are made.
   */
  remake?(data: unknown, members: readonly Advisory[], context: RenderContext): KeyedFile;
  /** The piece of the spliced file at `path` that shows `advisory` (one with a `member`), as `renderAll` makes it. */
  remakePiece?(path: string, advisory: Advisory, context: RenderContext): KeyedPiece;
}

/** The files of `renderAll` as bytes (a keyed file or group made now). */
export function toOutputFiles(file: AggregateFile): OutputFile[] {
  if (isGroup(file)) return file.render();
  if (isKeyed(file)) return [{ path: file.path, contents: file.render() }];
  if (isSpliced(file)) return [{ path: file.path, contents: joinPieces(file.pieces) }];
  return [file];
}
