import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/build/string-pool.ts';

describe('string pool', () => {
  it('leaves every value as it was, in nested objects and arrays', () => {
    const pool = new StringPool();
    const make = () => ({ id: 'OSSN-0001', affects: [{ product: 'Apache HTTP Server', versions: [], fixed: '2.4-1' }], n: 3, none: null, text: 'x'.repeat(100), lists: ['announce', 'discuss'] });
    const first = pool.intern(make());
    const second = pool.intern(make());
    expect(first).toEqual(make());
    expect(second).toEqual(make());
  });
});
