/**
 * The build's aggregates: each renderer's `renderAll` over the summaries,
 * one renderer at a time, every file written and dropped as it comes. A
 * keyed file whose key and bytes are those of the previous build
 * (`aggregate-memo.ts`) is kept without being made.
 */
import type { Advisory } from '../model/types.ts';
import { isKeyed, type RenderContext, type Renderer } from '../render/types.ts';
import type { AggregateMemo } from './aggregate-memo.ts';
import { sha256 } from './cache.ts';
import type { OutputWriter } from './output-writer.ts';

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

/** Writes every aggregate. */
export function writeAggregates(input: AggregatesInput): AggregatesResult {
  const { writer, memo } = input;
  const next: AggregateMemo = new Map();
  let kept = 0;
  for (const renderer of input.renderers) {
    if (!renderer.renderAll) continue;
    for (const file of renderer.renderAll(input.advisories, { ...input.context, digests: input.digestsOf(renderer.name) })) {
      if (!isKeyed(file)) {
        writer.write(file);
        continue;
      }
      const known = memo.get(file.path);
      if (known && known.key === file.key && !writer.needs([{ path: file.path, sha256: known.sha256 }])) {
        writer.keep([{ path: file.path, sha256: known.sha256 }]);
        next.set(file.path, known);
        kept += 1;
        continue;
      }
      const contents = file.render();
      const hash = sha256(contents);
      writer.write({ path: file.path, contents }, hash);
      next.set(file.path, { key: file.key, sha256: hash });
    }
  }
  return { memo: next, made: next.size - kept, kept };
}
