/**
 * Pagefind's compressed file format: gzip of the `pagefind_dcd` signature
 * followed by the data (CBOR, or JSON for fragments).
 */
import { gzipSync } from 'node:zlib';

const signature = new TextEncoder().encode('pagefind_dcd');

/**
 * Compresses `data` into a Pagefind file. Level 6, not Pagefind's 9: half
 * the time for files under 1 % larger (measured on 300 advisory pages'
 * index). A fixed level (and zlib's zero mtime) keeps bytes reproducible.
 */
export function compressPagefindFile(data: Uint8Array | string): Uint8Array {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const whole = new Uint8Array(signature.length + body.length);
  whole.set(signature);
  whole.set(body, signature.length);
  return new Uint8Array(gzipSync(whole, { level: 6 }));
}
