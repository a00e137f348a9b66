/** `cache.unused_mib`: the room the build cache keeps for entries no build uses now, in MiB, with every mistake located. */
import { describe, expect, it } from 'vitest';
import { unusedRoomOf } from '../../src/build/cache-retention.ts';
import { parseConfig } from '../../src/config/load.ts';
import { configMessages as messagesOf } from '../support/config-messages.ts';

describe('cache.unused_mib', () => {
  it('is unset by default (the room of the entries in use, at least 64 MiB), and taken in MiB', () => {
    expect(unusedRoomOf(parseConfig('', 'herald.config.yaml'))).toBeUndefined();
    expect(unusedRoomOf(parseConfig('cache:\n  unused_mib: 0\n', 'herald.config.yaml'))).toBe(0);
    expect(unusedRoomOf(parseConfig('cache:\n  unused_mib: 512\n', 'herald.config.yaml'))).toBe(512 * 1024 * 1024);
  });

  it('refuses a negative, fractional or quoted number and an unknown key, each at its line and column', () => {
    const at = (text: string) => messagesOf(text).map((m) => ({ at: `${m.line}:${m.column}`, ruleId: m.ruleId, message: m.message }));
    expect(at('cache:\n  unused_mib: -1\n')).toEqual([{ at: '2:15', ruleId: 'config-invalid', message: '"cache.unused_mib" must be 0 (keep no unused entry) or more (received number -1)' }]);
    expect(at('cache:\n  unused_mib: 1.5\n')).toEqual([{ at: '2:15', ruleId: 'config-invalid', message: '"cache.unused_mib" must be a whole number of MiB (received number 1.5)' }]);
    expect(at('cache:\n  unused_mib: "64"\n')).toEqual([{ at: '2:15', ruleId: 'config-invalid', message: '"cache.unused_mib" must be a number (received string "64")' }]);
    expect(at('cache:\n  unused: 64\n')[0]).toMatchObject({ at: '2:3', ruleId: 'config-invalid' });
  });
});
