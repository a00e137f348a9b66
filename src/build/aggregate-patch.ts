/**
 * The aggregates after an edit to the text of a few notes: only the files
 * that show those notes are made again, from their recipes (a listing
 * page, a feed: `Renderer.remake`) or by splicing the notes' new pieces
 * into the previous file (`osv/all.json`, `site/advisories.json`:
 * `Renderer.remakePiece`); every other aggregate file is kept as the memo
 * lists it, without running any `renderAll`.
 *
 * The build takes this path only when every edited note's summary (but
 * its source's hash and its links' positions, which no aggregate shows)
 * and every digest of a renderer without `remake` are what they were
 * (`aggregateView`), so that what decides which files show a note, in
 * which order and on which page (id, dates, revisions, products,
 * severity, status, CVEs, title...) is the same; and when the previous
 * build made the memo on the same day with the same notes published
 * (`MemoBasis`). Anything else, or a memo that cannot say how to make a
 * file the edit changes, or an output that lacks a file the memo lists,
 * takes the whole path (`writeAggregates`).
 */
import { createHash } from 'node:crypto';
import type { Advisory } from '../model/types.ts';
import type { KeyedFile, RenderContext, Renderer } from '../render/types.ts';
import type { AggregateMemo, MemoBasis, MemoEntry } from './aggregate-memo.ts';
import { previousSpliced, writeKeyed, type AggregatesResult } from './aggregates-stage.ts';
import { sha256 } from './cache.ts';
import type { OutputWriter } from './output-writer.ts';
import { RangeReader } from './range-reader.ts';
import { tableDigest, tableKey, withPieces, type SplicedTable } from './spliced-table.ts';

export interface PatchInput {
  renderers: readonly Renderer[];
  memo: AggregateMemo;
  /** The slugs of the edited notes (each one's `aggregateView` as before). */
  changed: ReadonlySet<string>;
  /** The summary of a published note, by slug (the members of the files made again). */
  advisoryOf: (slug: string) => Advisory | undefined;
  /** As for `writeAggregates`: the members' entry keys, and the notes' files of this build. */
  context: RenderContext;
  digestsOf: (renderer: string) => ReadonlyMap<string, unknown>;
  writer: OutputWriter;
}

/** A file the edit changes, and how to make it. */
type Remade = { name: string; make: () => MemoEntry };

/**
 * Checks that the memo can make the aggregates that show the changed
 * notes, and returns what writes them and keeps the others; undefined
 * (nothing written, nothing kept) when it cannot. What it checks holds
 * until the aggregates are written: the build may plan early and write
 * later.
 */
export function planPatch(input: PatchInput): (() => AggregatesResult) | undefined {
  const { memo, writer, changed } = input;
  const byName = new Map(input.renderers.map((renderer) => [renderer.name, renderer]));
  const remade: Remade[] = [];
  for (const [name, entry] of memo) {
    if (writer.needs(listedFiles(name, entry))) return undefined;
    const recipe = entry.recipe;
    if (recipe && recipe.members.some((slug) => changed.has(slug))) {
      const renderer = byName.get(recipe.renderer);
      const members = recipe.members.map(input.advisoryOf);
      if (!renderer?.remake || !members.every((member) => member !== undefined)) return undefined;
      const context = contextFor(renderer, input);
      remade.push({ name, make: () => remadeFile(renderer.remake!(recipe.data, members as Advisory[], context), name, recipe, writer) });
      continue;
    }
    if (entry.spliced) {
      // A spliced file whose pieces cannot be told apart (a piece names no member) cannot be patched.
      const remake = entry.spliced.remake;
      if (!remake) return undefined;
      const slugs = remake.slugs.split('\n');
      const at = slugs.flatMap((slug, index) => (changed.has(slug) ? [index] : []));
      if (at.length === 0) continue;
      const renderer = byName.get(remake.renderer);
      const make = renderer?.remakePiece && splicePlan(name, entry.spliced, at.map((index) => ({ index, advisory: input.advisoryOf(slugs[index]!) })), renderer, input);
      if (!make) return undefined;
      remade.push({ name, make });
    }
  }
  return () => {
    const made = new Set(remade.map((file) => file.name));
    const next: AggregateMemo = new Map();
    for (const [name, entry] of memo) {
      if (made.has(name)) continue;
      writer.keep(listedFiles(name, entry));
      next.set(name, entry);
    }
    for (const file of remade) next.set(file.name, file.make());
    // Counted as `writeAggregates` counts them: files yielded as they are are neither.
    const plain = [...memo.values()].filter((entry) => entry.key === '' && !entry.recipe && !entry.files && !entry.spliced).length;
    return { memo: next, made: remade.length, kept: memo.size - remade.length - plain };
  };
}

/** Writes the aggregates that show the changed notes and keeps the others; undefined (nothing written) when the memo cannot. */
export function patchAggregates(input: PatchInput): AggregatesResult | undefined {
  return planPatch(input)?.();
}

/**
 * The notes whose summaries and digests a patch for an edit of `changed`
 * reads (`PatchInput.advisoryOf`, `digestsOf`), by slug: the notes
 * themselves, and the members of each file whose recipe shows one of them.
 */
export function patchMembers(memo: AggregateMemo, changed: ReadonlySet<string>): Set<string> {
  const members = new Set(changed);
  for (const entry of memo.values()) {
    if (entry.recipe?.members.some((slug) => changed.has(slug))) for (const slug of entry.recipe.members) members.add(slug);
  }
  return members;
}

/** What the output must still hold of a memo entry for the build to keep it. */
function listedFiles(name: string, entry: MemoEntry): { path: string; sha256: string }[] {
  return entry.files ? entry.files.map(([path, sha256]) => ({ path, sha256 })) : [{ path: name, sha256: entry.sha256 }];
}

function contextFor(renderer: Renderer, input: PatchInput): RenderContext {
  return { ...input.context, ...(renderer.digest ? { digests: input.digestsOf(renderer.name) } : {}) };
}

function remadeFile(file: KeyedFile, name: string, recipe: NonNullable<MemoEntry['recipe']>, writer: OutputWriter): MemoEntry {
  if (file.path !== name) throw new Error(`remake of ${name} made ${file.path}`);
  return writeKeyed(file, recipe.renderer, writer, recipe);
}

/**
 * How to write a spliced file with the pieces at `changed` (keyed pieces,
 * by their place in the table) made again: the previous file's bytes
 * between them copied a few megabytes at a time, by offset, with no
 * object made per piece, and the table's columns updated. Undefined when
 * a note is unknown, or the previous file is not as long as the table
 * says.
 */
function splicePlan(name: string, table: SplicedTable, changed: { index: number; advisory: Advisory | undefined }[], renderer: Renderer, input: PatchInput): (() => MemoEntry) | undefined {
  const previous = previousSpliced(input.writer, name, table);
  if (!changed.every((piece) => piece.advisory) || !previous) return undefined;
  const { offsets, length } = previous;
  const context = contextFor(renderer, input);
  return () => {
    const made = changed.map(({ index, advisory }) => {
      const piece = renderer.remakePiece!(name, advisory!, context);
      const bytes = piece.bytes();
      return { index, key: piece.key, bytes, length: bytes.byteLength, sha256: sha256(bytes) };
    });
    const next = withPieces(table, made);
    const reader = new RangeReader(previous.file);
    try {
      const chunks = function* (): Generator<Uint8Array> {
        let at = 0;
        for (const { index, bytes } of made) {
          yield* ranges(reader, at, offsets[index]!);
          yield bytes;
          at = offsets[index]! + table.lengths[index]!;
        }
        yield* ranges(reader, at, length);
      };
      const sha = input.writer.writeChunks(name, chunks(), () => tableDigest(next));
      return { key: tableKey(next), sha256: sha, spliced: next, pieces: { from: table, changes: made.map(({ index, key, length, sha256 }) => ({ index, key, length, sha256 })) } };
    } finally {
      reader.close();
    }
  };
}

/** The bytes of a file from `from` to `to`, a window at a time. */
function* ranges(reader: RangeReader, from: number, to: number): Generator<Uint8Array> {
  for (let at = from; at < to; ) {
    const bytes = reader.read(at, Math.min(rangeStep, to - at));
    if (!bytes) throw new Error('the previous spliced file is shorter than its memo says');
    yield bytes;
    at += bytes.byteLength;
  }
}

/** What a read of the previous file takes at most (`RangeReader`'s window). */
const rangeStep = 4 << 20;

/** What the aggregates show of a note: its summary and its digests, but what no aggregate shows, and the digests of `loose` renderers. */
export function aggregateView(record: { summary?: Advisory; digests: Record<string, unknown> }, loose: ReadonlySet<string>): string {
  const { source, noteLinks, ...shown } = record.summary ?? ({} as Advisory);
  void source;
  void noteLinks;
  const digests = Object.entries(record.digests).filter(([renderer]) => !loose.has(renderer));
  return JSON.stringify([shown, digests]);
}

/** The basis of a memo made now: `completed` is the key of this build's `CompletedBuild`. */
export function memoBasis(completed: string, now: Date, shown: readonly string[]): MemoBasis {
  return { completed, day: now.toISOString().slice(0, 10), shown: shownDigest(shown) };
}

/** The slugs published, in order, as one digest. */
export function shownDigest(shown: readonly string[]): string {
  return createHash('sha256').update(shown.join('\n')).digest('hex');
}

/** A published note of this build: its slug, its record, and the key its record had in the build before (none for a note it did not know). */
export interface ShownNote {
  slug: string;
  /** Its summary and digests, when its key is not the one it had before. */
  record: { key: string; summary?: Advisory; digests: Record<string, unknown> };
  /** Its record in the build before, when that build knew it by the same path (its summary and digests, when its key is not this build's). */
  before?: { key: string; summary?: Advisory; digests: Record<string, unknown> };
}

/**
 * The slugs of the published notes whose text alone changed since the
 * build that made the memo, when every other note is as it was: what
 * `patchAggregates` makes again. Undefined when the aggregates must be
 * made the whole way: the memo is another build's (`basis`), of another
 * day or other notes, or a note changed what an aggregate shows.
 */
export function textEdits(input: { basis: MemoBasis | undefined; completed: string | undefined; now: Date; shown: readonly ShownNote[]; renderers: readonly Renderer[] }): Set<string> | undefined {
  const { basis, shown } = input;
  if (!basis || basis.completed !== input.completed || basis.day !== input.now.toISOString().slice(0, 10) || shown.length === 0) return undefined;
  if (basis.shown !== shownDigest(shown.map((note) => note.slug))) return undefined;
  const loose = new Set(input.renderers.filter((renderer) => renderer.remake).map((renderer) => renderer.name));
  const edited = new Set<string>();
  for (const { record, before } of shown) {
    if (before?.key === record.key) continue;
    if (!before || aggregateView(before, loose) !== aggregateView(record, loose)) return undefined;
    edited.add(record.summary!.slug);
  }
  return edited;
}
