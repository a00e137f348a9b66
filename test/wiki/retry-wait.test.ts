/** The waits between a request's tries: their stretches and progress lines, and why one is not begun. */
import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelay, waitToRetry, waitTooLong } from '../../src/publish/wiki/retry-wait.ts';

describe('waits between tries', () => {
  const waitOf = (delayMs: number, sleeps: number[], lines: string[]) =>
    waitToRetry({ delayMs, what: 'action=query', why: 'HTTP 503', asked: false, waitedMs: 0, limitMs: 600_000, sleep: async (ms) => void sleeps.push(ms), log: (line) => lines.push(line) });

  it('waits what the wiki asks, else 1, 2, 4 … s up to 60', () => {
    expect(retryDelay(90_000, 1)).toBe(90_000);
    expect([1, 2, 3, 7, 9].map((attempt) => retryDelay(undefined, attempt))).toEqual([1000, 2000, 4000, 60_000, 60_000]);
  });

  it('reads a Retry-After of seconds, or an HTTP-date counted from the answer\u2019s Date (else herald\u2019s clock)', () => {
    const now = Date.parse('Mon, 07 Dec 2026 09:00:00 GMT');
    expect(retryAfterMs('120', undefined, now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', undefined, now)).toBe(0);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:01:30 GMT', 'Mon, 07 Dec 2026 09:00:00 GMT', now + 5000)).toBe(90_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:01:30 GMT', undefined, now)).toBe(90_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 08:59:00 GMT', undefined, now)).toBe(0);
    expect([undefined, '-5', '1.5', 'soon', ''].map((header) => retryAfterMs(header, undefined, now))).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('sleeps a 0 s wait once, and a long one in stretches of 30 s with a line after each but the last', async () => {
    const sleeps: number[] = [];
    const lines: string[] = [];
    await waitOf(0, sleeps, lines);
    expect(sleeps).toEqual([0]);
    await waitOf(45_000, sleeps, lines);
    expect(sleeps).toEqual([0, 30_000, 15_000]);
    expect(lines).toEqual(['herald: waiting 45 s after HTTP 503 before sending action=query again, 30 s so far (herald waits at most 10 min in all for one request; 30 s of it used)']);
  });

  it('says whose wait would pass the bound', () => {
    expect(waitTooLong(3_600_000, 0, 600_000, true)).toBe('the wiki asked herald to wait 60 min more, which would pass the 10 min herald waits in all for one request');
    expect(waitTooLong(60_000, 570_000, 600_000, false)).toBe('the next wait, 1 min after waiting 9 min 30 s already, would pass the 10 min herald waits in all for one request');
  });
});
