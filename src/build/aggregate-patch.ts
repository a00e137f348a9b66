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
import { statSync } from 'node:fs';
import type { Advisory } from '../model/types.ts';
import type { KeyedFile, Piece, RenderContext, Renderer } from '../render/types.ts';
import type { AggregateMemo, MemoBasis, MemoEntry } from './aggregate-memo.ts';
import { writeKeyed, writeSpliced, type AggregatesResult } from './aggregates-stage.ts';
import type { OutputWriter } from './output-writer.ts';

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
    if (entry.pieces && entry.layout?.parts.some((part) => typeof part === 'string' && changed.has(part))) {
      const renderer = byName.get(entry.layout.renderer);
      if (!renderer?.remakePiece) return undefined;
      const pieces = splicedPieces(name, entry, renderer, input);
      if (!pieces) return undefined;
      remade.push({ name, make: () => ({ ...writeSpliced({ path: name, pieces }, entry, writer, renderer.name).entry, layout: entry.layout! }) });
      continue;
    }
    // A spliced file, keyed or not, whose pieces name no changed note; or one whose pieces cannot be told apart.
    if (entry.pieces && !entry.layout) return undefined;
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
    const plain = [...memo.values()].filter((entry) => entry.key === '' && !entry.recipe && !entry.files && !entry.pieces).length;
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
 * The pieces of a spliced file: its literal pieces as the layout keeps
 * them, each unchanged note's keyed piece under its key (copied from the
 * previous file by `writeSpliced`), each changed note's made again.
 * Undefined when the layout and the memo's pieces do not agree, the
 * previous file is not as long as they say, or a note is unknown.
 */
function splicedPieces(name: string, entry: MemoEntry, renderer: Renderer, input: PatchInput): Piece[] | undefined {
  const keyed = entry.pieces!;
  const context = contextFor(renderer, input);
  const pieces: Piece[] = [];
  let at = 0;
  let index = 0;
  for (const part of entry.layout!.parts) {
    if (typeof part !== 'string') {
      const bytes = Buffer.from(part[0], 'latin1');
      pieces.push(bytes);
      at += bytes.byteLength;
      continue;
    }
    const [key, offset, length] = keyed[index++] ?? [];
    if (offset !== at || length === undefined) return undefined;
    at += length;
    if (!input.changed.has(part)) {
      pieces.push({ key: key!, bytes: unreachable });
      continue;
    }
    const advisory = input.advisoryOf(part);
    if (!advisory) return undefined;
    pieces.push(renderer.remakePiece!(name, advisory, context));
  }
  const previous = input.writer.locate(name);
  return index === keyed.length && previous !== undefined && sizeOf(previous) === at ? pieces : undefined;
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** An unchanged note's piece is always copied from the previous file, whose bytes the memo's digest vouches for. */
function unreachable(): never {
  throw new Error('an unchanged piece of a spliced file was not found in the previous file');
}

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
