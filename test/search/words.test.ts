/**
 * The ASCII shortcuts of `src/search/words.ts` answer exactly as the
 * Unicode-wide tests they stand in for, on every ASCII character (and on
 * every pair, for the test that depends on a character's position).
 */
import { describe, expect, it } from 'vitest';
import { asciiShortcuts, unicodeReference } from '../../src/search/words.ts';

const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

describe('search words: ASCII shortcuts', () => {
  it('classify and normalise every ASCII character as the Unicode-wide tests do', () => {
    for (const c of ascii) {
      for (const test of ['isUpper', 'isLower', 'isDigit', 'normaliseChars', 'possiblyCompound'] as const) {
        expect(asciiShortcuts[test](c), `${test}(${JSON.stringify(c)})`).toBe(unicodeReference[test](c));
      }
    }
  });

  it('find a compound in every pair and triple of ASCII characters as the Unicode-wide test does', () => {
    for (const a of ascii) {
      for (const b of ascii) {
        expect(asciiShortcuts.possiblyCompound(a + b), JSON.stringify(a + b)).toBe(unicodeReference.possiblyCompound(a + b));
        expect(asciiShortcuts.normaliseChars(a + b)).toBe(unicodeReference.normaliseChars(a + b));
      }
      expect(asciiShortcuts.possiblyCompound(`x${a}yZ`)).toBe(unicodeReference.possiblyCompound(`x${a}yZ`));
    }
  });
});
