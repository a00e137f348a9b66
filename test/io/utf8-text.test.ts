import { describe, expect, it } from 'vitest';
import { utf8Text } from '../../src/io/utf8-text.ts';

describe('utf8Text', () => {
  it('decodes ASCII and UTF-8 bytes, whole or a range, as toString does', () => {
    for (const text of ['{"a":"plain"}\n', '{"a":"Café ☕ 𝄞"}\n', '']) {
      const bytes = Buffer.from(`xx${text}yy`, 'utf8');
      expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
      expect(utf8Text(bytes, 2, bytes.byteLength - 2)).toBe(text);
    }
  });
});
