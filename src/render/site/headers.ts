/**
 * HTTP headers for static hosts (`_headers`, understood by Netlify,
 * Cloudflare Pages and others) and the Content-Security-Policy the site is
 * built to run under: no inline script or style anywhere, so nothing but
 * the site's own files can run. `herald serve` sends the same headers.
 */
import type { OutputFile } from '../types.ts';
import { siteRoot } from './urls.ts';

/**
 * `'wasm-unsafe-eval'` lets Pagefind compile its WebAssembly search engine;
 * it allows no JavaScript eval. Everything else is the site's own origin.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response of the site should carry. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** The `_headers` file: security headers everywhere, long caching for hashed assets. */
export function headersFile(base: string): OutputFile {
  const lines = [`${base}*`, ...Object.entries(securityHeaders).map(([name, value]) => `  ${name}: ${value}`)];
  lines.push(`${base}assets/*`, '  Cache-Control: public, max-age=31536000, immutable');
  return { path: `${siteRoot}/_headers`, contents: `${lines.join('\n')}\n` };
}
