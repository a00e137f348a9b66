/**
 * Per-advisory parts of whole-set files (a row of the wiki index), kept from one build to the next of the same
 * process. In `herald serve --watch` an unchanged note's summary is the
 * same object in every build (the cache's records stay in memory), so a
 * rebuild makes only the edited note's parts again; a `herald build` makes
 * each once, as without the memo.
 *
 * A part is kept under its advisory and a key of everything else it
 * depends on (the config's fields it shows, what the clock decides), which
 * the caller makes. Advisories are never changed once read, so the object
 * stands for its content.
 */
import type { Advisory } from '../model/types.ts';

export class RowMemo<T> {
  private readonly rows = new WeakMap<Advisory, { key: string; value: T }>();

  get(advisory: Advisory, key: string, make: () => T): T {
    const known = this.rows.get(advisory);
    if (known !== undefined && known.key === key) return known.value;
    const value = make();
    this.rows.set(advisory, { key, value });
    return value;
  }
}
