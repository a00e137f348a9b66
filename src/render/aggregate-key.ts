/**
 * Keys of keyed aggregates (`KeyedFile`): a sha256 of the JSON of what a
 * file depends on besides its advisories, then each advisory's key from
 * `context.keyOf` (with an optional suffix for state that comes from the
 * clock, such as "still under embargo").
 */
import { createHash } from 'node:crypto';
import type { Advisory } from '../model/types.ts';
import type { RenderContext } from './types.ts';

export function aggregateKey(
  context: RenderContext,
  parts: unknown,
  advisories: Iterable<Advisory> = [],
  suffix: (advisory: Advisory) => string = () => '',
): string {
  const keyOf = advisoryKeys(context);
  const hash = createHash('sha256').update(typeof parts === 'string' ? parts : JSON.stringify(parts) ?? '');
  // One update per batch, not per advisory: each update crosses into
  // native code, and a feed's key covers thousands of advisories.
  let batch = '';
  for (const advisory of advisories) {
    batch += `\n${keyOf(advisory)}${suffix(advisory)}`;
    if (batch.length >= batchLength) {
      hash.update(batch);
      batch = '';
    }
  }
  return hash.update(batch).digest('hex');
}

/** Characters of advisory keys hashed at once (about a thousand keys). */
const batchLength = 64 * 1024;

/** Each advisory's key: the build's (`context.keyOf`), else the hash of the advisory's JSON. */
export function advisoryKeys(context: RenderContext): (advisory: Advisory) => string {
  return context.keyOf ?? fallbackKey;
}

const fallbackKeys = new WeakMap<Advisory, string>();

/** Without keys from the build (a render in memory), an advisory's key is the hash of its JSON. */
function fallbackKey(advisory: Advisory): string {
  let key = fallbackKeys.get(advisory);
  if (key === undefined) {
    key = createHash('sha256').update(JSON.stringify(advisory)).digest('hex');
    fallbackKeys.set(advisory, key);
  }
  return key;
}
