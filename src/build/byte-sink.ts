/**
 * One growing buffer per thread that a file's pieces are encoded into, then
 * written from: a cache entry holds a note's outputs (about 160 KB at the
 * bench's notes), and `Buffer.from` of each piece cost a fresh allocation
 * outside the heap per piece, more than encoding and hashing them (and
 * the heap's external-memory accounting a collection every hundred notes or
 * so). The buffer is reused by the next file, so what `bytes` returns is
 * valid only until the next `reset`: write it synchronously.
 */

/** Past this size the buffer is dropped at the next `reset` rather than kept (a search part's entry can be megabytes). */
const keptBytes = 4 * 1024 * 1024;

export class ByteSink {
  private buffer = Buffer.allocUnsafe(256 * 1024);
  /** Bytes appended since the last `reset`. */
  length = 0;

  /** Starts a new file. */
  reset(): void {
    if (this.buffer.length > keptBytes) this.buffer = Buffer.allocUnsafe(256 * 1024);
    this.length = 0;
  }

  /** Appends `data` (a string as UTF-8, as `Buffer.from` encodes it) and returns its bytes, a view valid until the next `reset`. */
  append(data: string | Uint8Array): Buffer {
    const start = this.length;
    if (typeof data === 'string') {
      // A UTF-16 unit is at most 3 bytes of UTF-8: measure exactly only when that bound does not fit.
      if (start + data.length * 3 > this.buffer.length) this.reserve(Buffer.byteLength(data, 'utf8'));
      this.length += this.buffer.write(data, start, 'utf8');
    } else {
      this.reserve(data.byteLength);
      this.buffer.set(data, start);
      this.length += data.byteLength;
    }
    return this.buffer.subarray(start, this.length);
  }

  /** Everything appended since the last `reset`. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
