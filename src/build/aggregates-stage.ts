/**
 * The build's aggregates: each renderer's `renderAll` over the summaries,
 * one renderer at a time, every file written and dropped as it comes. A
 * keyed file (or group of files) whose key and bytes are those of the
 * previous build (`aggregate-memo.ts`) is kept without being made.
 */
import { statSync } from 'node:fs';
import type { Advisory } from '../model/types.ts';
import { isGroup, isKeyed, isSpliced, type KeyedFile, type KeyedGroup, type RenderContext, type Renderer, type SplicedFile } from '../render/types.ts';
import type { AggregateMemo, MemoEntry } from './aggregate-memo.ts';
import { sha256 } from './cache.ts';
import type { OutputWriter } from './output-writer.ts';
import { RangeReader } from './range-reader.ts';
import { pieceDigest, tableDigest, tableOffsets, TableBuilder, type SplicedTable } from './spliced-table.ts';

export interface AggregatesInput {
  renderers: readonly Renderer[];
  /** What the build publishes, newest first, as summaries. */
  advisories: readonly Advisory[];
  /** The context every renderer shares (no digests: `digestsOf` gives each renderer's). */
  context: RenderContext;
  digestsOf: (renderer: string) => ReadonlyMap<string, unknown>;
  writer: OutputWriter;
  /** The previous build's keyed files (empty: make them all). */
  memo: AggregateMemo;
}

export interface AggregatesResult {
  /** The keyed files of this build, for the next. */
  memo: AggregateMemo;
  /** Keyed files made in this build, and kept as they were. */
  made: number;
  kept: number;
}

const noDigests: ReadonlyMap<string, unknown> = new Map();

/** Writes every aggregate. */
export function writeAggregates(input: AggregatesInput): AggregatesResult {
  const { writer, memo } = input;
  const next: AggregateMemo = new Map();
  let kept = 0;
  let made = 0;
  for (const renderer of input.renderers) {
    if (!renderer.renderAll) continue;
    const digests = renderer.digest ? input.digestsOf(renderer.name) : noDigests;
    for (const file of renderer.renderAll(input.advisories, { ...input.context, digests })) {
      if (isSpliced(file)) {
        const entry = writeSpliced(file, memo.get(file.path), writer, renderer.name);
        next.set(file.path, entry.entry);
        if (entry.kept) kept += 1;
        else made += 1;
        continue;
      }
      if (isGroup(file)) {
        const name = `group:${file.group}`;
        const entry = writeGroup(file, memo.get(name), writer);
        next.set(name, entry.entry);
        if (entry.kept) kept += 1;
        else made += 1;
        continue;
      }
      if (!isKeyed(file)) {
        // Listed with no key, so that a build that patches the aggregates keeps it.
        const hash = sha256(file.contents);
        writer.write(file, hash);
        next.set(file.path, { key: '', sha256: hash });
        continue;
      }
      const known = memo.get(file.path);
      if (known && known.key === file.key && !writer.needs([{ path: file.path, sha256: known.sha256 }])) {
        writer.keep([{ path: file.path, sha256: known.sha256 }]);
        next.set(file.path, known);
        kept += 1;
        continue;
      }
      next.set(file.path, writeKeyed(file, renderer.name, writer));
      made += 1;
    }
  }
  return { memo: next, made, kept };
}

/** A keyed file made now, and its memo entry (with its recipe, when it has one). */
export function writeKeyed(file: KeyedFile, renderer: string, writer: OutputWriter, recipe = recipeEntry(file, renderer)): MemoEntry {
  const contents = file.render();
  const hash = sha256(contents);
  writer.write({ path: file.path, contents }, hash);
  return { key: file.key, sha256: hash, ...(recipe ? { recipe } : {}) };
}

function recipeEntry(file: KeyedFile, renderer: string): MemoEntry['recipe'] {
  const recipe = file.recipe?.();
  return recipe && { renderer, data: recipe.data, members: recipe.members.map((member) => member.slug) };
}

/** A keyed group: its files kept as the memo lists them when the key is the same and the output holds them; else made and written. */
function writeGroup(group: KeyedGroup, known: MemoEntry | undefined, writer: OutputWriter): { entry: MemoEntry; kept: boolean } {
  const listed = known?.files?.map(([path, sha256]) => ({ path, sha256 }));
  if (known && listed && known.key === group.key && !writer.needs(listed)) {
    writer.keep(listed);
    return { entry: known, kept: true };
  }
  const files: [string, string][] = [];
  for (const file of group.render()) {
    const hash = sha256(file.contents);
    writer.write(file, hash);
    files.push([file.path, hash]);
  }
  return { entry: { key: group.key, sha256: '', files }, kept: false };
}

/**
 * A spliced file: kept when its pieces are the same as last time; else
 * written from the previous file's bytes of the pieces it still has (when
 * the output holds that file as it was made) and the new pieces' own,
 * streamed: neither file is ever whole in memory.
 *
 * The manifest lists it by `tableDigest` rather than by the sha256 of its
 * bytes (64 MB at 10,000 notes: about 0.13 s to hash on the build
 * machine): a piece copied from the previous file brings its digest from
 * the memo, so an edit hashes only the pieces made again.
 */
export function writeSpliced(file: SplicedFile, known: MemoEntry | undefined, writer: OutputWriter, renderer: string): { entry: MemoEntry; kept: boolean } {
  const pieces = [...file.pieces];
  // The layout names each piece's member, unless a keyed piece names none (it could not be made again alone).
  const table = new TableBuilder(pieces.every((piece) => piece instanceof Uint8Array || piece.member) ? renderer : undefined);
  for (const piece of pieces) {
    if (piece instanceof Uint8Array) table.literal(piece);
    else table.keyed(piece.key, piece.member?.slug);
  }
  const key = table.key();
  const intact = known !== undefined && !writer.needs([{ path: file.path, sha256: known.sha256 }]);
  if (intact && known.key === key) {
    writer.keep([{ path: file.path, sha256: known.sha256 }]);
    return { entry: known, kept: true };
  }
  const previous = intact && known.spliced ? previousSpliced(writer, file.path, known.spliced) : undefined;
  const places = previous ? piecePlaces(known!.spliced!, previous.offsets) : new Map<string, { offset: number; length: number; digest: string }>();
  const reader = previous ? new RangeReader(previous.file) : undefined;
  try {
    const chunks = function* (): Generator<Uint8Array> {
      for (const piece of pieces) {
        if (piece instanceof Uint8Array) {
          yield piece;
          continue;
        }
        const place = places.get(piece.key);
        const copied = place ? reader?.read(place.offset, place.length) : undefined;
        const bytes = copied ?? piece.bytes();
        table.placed(bytes.byteLength, copied ? place!.digest : sha256(bytes));
        yield bytes;
      }
    };
    let spliced: SplicedTable | undefined;
    const hash = writer.writeChunks(file.path, chunks(), () => tableDigest((spliced = table.table())));
    return { entry: { key, sha256: hash, spliced: spliced! }, kept: false };
  } finally {
    reader?.close();
  }
}

/**
 * Where the previous build's bytes of a spliced file are in this build,
 * with each keyed piece's offset in them, when the file is as long as the
 * memo's table says; undefined otherwise (nothing is copied from it).
 */
export function previousSpliced(writer: OutputWriter, name: string, table: SplicedTable): { file: string; offsets: number[]; length: number } | undefined {
  const file = writer.locate(name);
  const { offsets, length } = tableOffsets(table);
  return file !== undefined && sizeOf(file) === length ? { file, offsets, length } : undefined;
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** Where each keyed piece of a spliced file is, by its key, with its sha256. */
function piecePlaces(table: SplicedTable, offsets: readonly number[]): Map<string, { offset: number; length: number; digest: string }> {
  return new Map(table.keys.split('\n').map((key, index) => [key, { offset: offsets[index]!, length: table.lengths[index]!, digest: pieceDigest(table, index) }]));
}
