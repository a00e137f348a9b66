/**
 * The aggregates of a one-off build after an edit to the text of a few
 * notes, planned without reading every note's heavy record: the unchanged
 * notes are known by their light records (card, and `StoredRecord`: their
 * manifest group's digest, their advisory page's sha256, their heavy
 * record's place), and only the records the patch reads are read, by
 * offset (`readRecordsAt`): the edited notes' previous ones, to tell that
 * only their text changed (`textEdits`), and the members of the files that
 * show them (`patchMembers`), merged into their notes' states.
 *
 * Undefined, nothing read into the states, whenever the light records do
 * not do: a note whose files the output does not hold as its light record
 * says, a record that cannot be read where the index says, an edit that
 * is not one of text alone, a memo that cannot patch. The build then reads
 * every record, as before.
 */
import type { Advisory } from '../model/types.ts';
import type { RenderContext, Renderer } from '../render/types.ts';
import { aggregateInputs, type AggregateInputs } from './aggregate-inputs.ts';
import type { AggregateMemo, MemoBasis } from './aggregate-memo.ts';
import { patchMembers, planPatch, textEdits } from './aggregate-patch.ts';
import type { AggregatesResult } from './aggregates-stage.ts';
import { readRecordsAt, withHeavy, type AdvisoryCard, type CacheIndex, type IndexRecord } from './cache.ts';
import type { OutputWriter } from './output-writer.ts';

/** A note of the build: its record, light (no summary) while its heavy record is unread. */
interface LightState {
  path: string;
  record: IndexRecord;
}

export interface LightPatchInput {
  cacheDir: string;
  /** The index the build read. */
  previous: CacheIndex;
  /** The notes the build publishes, newest first (`shownNewestFirst` of every note by its card); the members' records are merged into them. */
  selected: readonly LightState[];
  writer: OutputWriter;
  memo: AggregateMemo;
  basis: MemoBasis | undefined;
  now: Date;
  renderers: readonly Renderer[];
  /** The aggregates' context over these inputs. */
  context: (inputs: AggregateInputs) => RenderContext;
}

/** Whether a note's record is its light part alone (`lightRecord`). */
export function isLight(state: LightState): boolean {
  return state.record.summary === undefined;
}

const cardOf = (state: LightState): Advisory | AdvisoryCard | undefined => state.record.summary ?? state.record.card;

/** What writes the patched aggregates; undefined when the light records do not do (see above). */
export function planLightPatch(input: LightPatchInput): (() => AggregatesResult) | undefined {
  const { cacheDir, previous, writer, selected } = input;
  if (selected.some((state) => isLight(state) && writer.previousDigest(state.path) !== state.record.stored?.[2])) return undefined;
  // The notes whose key changed, with their record in the build before.
  const changed = selected.filter((state) => !isLight(state) && previous.notes[state.path] !== undefined && previous.notes[state.path]!.key !== state.record.key);
  const before = readRecordsAt(cacheDir, previous, changed.map((state) => state.path));
  if (!before) return undefined;
  const shown = selected.map((state) => ({ slug: cardOf(state)!.slug, record: state.record, before: previous.notes[state.path] ? (before.get(state.path) ?? state.record) : undefined }));
  const edited = textEdits({ basis: input.basis, completed: previous.completed?.key, now: input.now, shown, renderers: input.renderers });
  if (!edited) return undefined;
  const bySlug = new Map(selected.map((state) => [cardOf(state)!.slug, state]));
  const members = [...patchMembers(input.memo, edited)].map((slug) => bySlug.get(slug));
  if (!members.every((state) => state !== undefined)) return undefined;
  const unread = members.filter(isLight);
  const read = readRecordsAt(cacheDir, previous, unread.map((state) => state.path));
  if (!read || unread.some((state) => !read.get(state.path)?.summary)) return undefined;
  const records = new Map(members.map((state) => [state.path, state.record]));
  for (const state of unread) records.set(state.path, withHeavy(state.path, state.record, read.get(state.path)!));
  const inputs = aggregateInputs([...records.values()]);
  const plan = planPatch({ renderers: input.renderers, memo: input.memo, changed: edited, advisoryOf: inputs.advisoryOf, context: input.context(inputs), digestsOf: inputs.digestsOf, writer });
  if (!plan) return undefined;
  for (const state of unread) state.record = records.get(state.path)!;
  return plan;
}
