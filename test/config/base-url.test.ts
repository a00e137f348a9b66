/** `site.base_url`: every page's absolute URL is made from it, so it is an https folder and nothing more. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { HeraldError } from '../../src/errors/message.ts';

const withBase = (url: string) => `site:\n  base_url: "${url}"\n`;

describe('site.base_url', () => {
  it.each(['https://security.example.org/', 'https://example.org/security/', 'https://[::1]/'])('accepts %s', (url) => {
    expect(parseConfig(withBase(url), 'herald.config.yaml').site.base_url).toBe(url);
  });

  it.each([
    ['https://example.org/?page=1', 'without a query or a fragment'],
    ['https://example.org/#top', 'without a query or a fragment'],
    ['http://example.org/', 'must be an https:// URL'],
  ])('refuses %s at its line and column', (url, words) => {
    const error = (() => {
      try {
        parseConfig(withBase(url), 'herald.config.yaml');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ file: 'herald.config.yaml', line: 2, column: 13, ruleId: 'config-invalid', message: expect.stringContaining(words) });
  });
});
