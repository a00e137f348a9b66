/**
 * What the aggregates read of the notes a build shows, made once per build
 * (and by the `serve --watch` warm-up, the same way): the summaries newest
 * first, each advisory's entry key (`RenderContext.keyOf`) and each
 * renderer's digests by slug.
 */
import type { Advisory } from '../model/types.ts';
import type { HeavyRecord } from './cache.ts';

export interface AggregateInputs {
  advisories: Advisory[];
  keyOf: (advisory: Advisory) => string;
  /** A published note's summary by slug. */
  advisoryOf: (slug: string) => Advisory | undefined;
  /** One renderer's digests by slug, made on first use. */
  digestsOf: (renderer: string) => ReadonlyMap<string, unknown>;
}

/** `shown`: the notes' records, newest first, each with its summary. */
export function aggregateInputs(shown: readonly Pick<HeavyRecord, 'key' | 'summary' | 'digests'>[]): AggregateInputs {
  const advisories = shown.map((record) => record.summary!);
  // By slug: steadily faster than by the summary object in a WeakMap, made
  // anew for each build (a feed's or a listing's key looks up thousands).
  const keys = new Map(shown.map((record) => [record.summary!.slug, record.key]));
  let bySlug: Map<string, Advisory> | undefined;
  const digests = new Map<string, ReadonlyMap<string, unknown>>();
  return {
    advisories,
    keyOf: (advisory) => keys.get(advisory.slug) ?? '',
    advisoryOf: (slug) => (bySlug ??= new Map(advisories.map((advisory) => [advisory.slug, advisory]))).get(slug),
    digestsOf: (renderer) => {
      let made = digests.get(renderer);
      if (!made) digests.set(renderer, (made = new Map(shown.map((record) => [record.summary!.slug, record.digests[renderer]]))));
      return made;
    },
  };
}
