/**
 * Site URLs: the shortcut `absoluteUrl` takes for plain paths gives what
 * the URL parser gives, for any path and base.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { absoluteUrl, maxSlugLength, slugify } from '../../src/render/site/urls.ts';

describe('absoluteUrl', () => {
  it('agrees with the URL parser, plain paths or not', () => {
    const segment = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '-', '~', '.', '%', ' ', 'é', '?', '#', ':', '/', '\\'), maxLength: 6 });
    const sitePath = fc.array(segment, { maxLength: 4 }).chain((parts) => fc.boolean().map((folder) => parts.join('/') + (folder && parts.length > 0 ? '/' : '')));
    const base = fc.constantFrom('https://example.org/', 'https://example.org/security', 'https://example.org/a%20b/c/', 'http://[::1]:8080/x/');
    fc.assert(
      fc.property(base, sitePath, (baseUrl, path) => {
        const config = defaultConfig();
        const withBase = { ...config, site: { ...config.site, base_url: baseUrl } };
        const pathname = new URL(baseUrl).pathname;
        // A path the parser refuses (`//` has no host) is refused either way.
        const outcome = (make: () => string) => {
          try {
            return make();
          } catch (error) {
            return (error as { code?: string }).code ?? 'error';
          }
        };
        const parsed = outcome(() => new URL(path, new URL(pathname.endsWith('/') ? pathname : `${pathname}/`, baseUrl)).href);
        expect(outcome(() => absoluteUrl(withBase, path))).toBe(parsed);
      }),
      { numRuns: 2000 },
    );
    expect(absoluteUrl({ ...defaultConfig(), site: { ...defaultConfig().site, base_url: 'https://example.org/security' } }, 'advisories/OSSN-0007/')).toBe('https://example.org/security/advisories/OSSN-0007/');
  });
});

describe('slugify', () => {
  it('keeps short slugs as they are, and bounds long ones so they stay legal, distinct folder names', () => {
    expect(slugify('OpenStack Compute (Nova)')).toBe('openstack-compute-nova');
    expect(slugify('***')).toBe('other');
    const long = Array.from({ length: 40 }, () => 'Verylongproductname').join(' ');
    const slug = slugify(long);
    expect(slug.length).toBeLessThanOrEqual(maxSlugLength);
    expect(slug).toMatch(/^verylongproductname(-verylongproductname)+-[0-9a-f]{8}$/);
    expect(slugify(long)).toBe(slug);
    expect(slugify(`${long} 2`)).not.toBe(slug);
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (value) => {
        expect(slugify(value).length).toBeLessThanOrEqual(maxSlugLength);
        expect(slugify(value)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
    );
  });
});
