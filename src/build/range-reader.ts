import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Ranges of a file, read through a window of a few megabytes; a range is
 * a view into the window, good until the next read. Undefined for a range
 * the file does not hold.
 */
export class RangeReader {
  private readonly fd: number;
  private window = Buffer.allocUnsafe(4 << 20);
  private start = 0;
  private end = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  read(offset: number, length: number): Uint8Array | undefined {
    if (offset < this.start || offset + length > this.end) {
      if (length > this.window.byteLength) this.window = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < this.window.byteLength) {
        const read = readSync(this.fd, this.window, filled, this.window.byteLength - filled, offset + filled);
        if (read === 0) break;
        filled += read;
      }
      this.start = offset;
      this.end = offset + filled;
      if (offset + length > this.end) return undefined;
    }
    return this.window.subarray(offset - this.start, offset - this.start + length);
  }

  close(): void {
    closeSync(this.fd);
  }
}
