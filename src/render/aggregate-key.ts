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
  const hash = new BatchedHash(typeof parts === 'string' ? parts : JSON.stringify(parts) ?? '');
  for (const advisory of advisories) hash.add(`\n${keyOf(advisory)}${suffix(advisory)}`);
  return hash.digest();
}

/**
 * The key of a whole-set file made of what it shows of each advisory, one
 * line each (the wiki index's rows, the CSAF provider's lists, the
 * sitemap's pages), rather than of the advisories' keys: an edit to what
 * it does not show keeps it.
 */
export function linesKey(lines: Iterable<string>): string {
  const hash = new BatchedHash('');
  for (const line of lines) hash.add(`${line}\n`);
  return hash.digest();
}

/**
 * A sha256 fed one batch at a time, not one piece at a time: each update
 * crosses into native code, and a feed's key covers thousands of
 * advisories.
 */
class BatchedHash {
  private readonly hash = createHash('sha256');
  private batch = '';

  constructor(head: string) {
    this.hash.update(head);
  }

  add(text: string): void {
    this.batch += text;
    if (this.batch.length >= batchLength) {
      this.hash.update(this.batch);
      this.batch = '';
    }
  }

  digest(): string {
    return this.hash.update(this.batch).digest('hex');
  }
}

/** Characters hashed at once (about a thousand advisory keys). */
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
