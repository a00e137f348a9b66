/** `introduced: "0"` (OSV's "every version") is never shown to readers as a version 0. */
import { describe, expect, it } from 'vitest';
import { firstAffected, type Affected } from '../../src/model/types.ts';
import { versRange } from '../../src/render/csaf/vers.ts';
import { affectedDescription } from '../../src/render/wiki/metadata.ts';

const entry = (introduced: string | undefined): Affected => ({
  product: 'keystonemiddleware',
  ecosystem: 'pypi',
  versions: [],
  releases: [],
  fixed: '10.7.1',
  ...(introduced === undefined ? {} : { introduced }),
});

describe('firstAffected', () => {
  it('reads "0" as every version, as no introduced does', () => {
    expect(firstAffected(entry('0'))).toBeUndefined();
    expect(firstAffected(entry(undefined))).toBeUndefined();
    expect(firstAffected(entry('10.0.0'))).toBe('10.0.0');
  });

  it('keeps "introduced in 0" off the wiki and ">=0" out of CSAF', () => {
    expect(affectedDescription(entry('0'))).toBe('keystonemiddleware: fixed in 10.7.1');
    expect(affectedDescription(entry('10.0.0'))).toBe('keystonemiddleware: introduced in 10.0.0; fixed in 10.7.1');
    expect(versRange(entry('0'))).toBe('vers:pypi/<10.7.1');
  });
});
