/**
 * The small part of CBOR (RFC 8949) that Pagefind's index files use:
 * unsigned and negative integers, text strings and definite-length arrays.
 * Pagefind encodes every record as an array of its fields in order, with
 * integers in their shortest form, which is what `encodeCbor` writes, so
 * equal values always give equal bytes. `decodeCbor` reads Pagefind's own
 * output back (tests, and anyone inspecting a bundle).
 */

/** A value in Pagefind's CBOR: an integer, a string or an array of values. */
export type CborValue = number | string | CborValue[];

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A growable CBOR byte buffer: index files reach megabytes, so no per-value arrays. */
export class CborWriter {
  bytes: Uint8Array;
  length = 0;

  /** `size`: the initial capacity; it grows as needed. */
  constructor(size = 1024) {
    this.bytes = new Uint8Array(size);
  }

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  head(major: number, value: number): void {
    this.room(9);
    const type = major << 5;
    const out = this.bytes;
    if (value < 24) {
      out[this.length++] = type | value;
    } else if (value < 0x100) {
      out[this.length++] = type | 24;
      out[this.length++] = value;
    } else if (value < 0x10000) {
      out[this.length++] = type | 25;
      out[this.length++] = value >>> 8;
      out[this.length++] = value & 0xff;
    } else if (value < 0x100000000) {
      out[this.length++] = type | 26;
      out[this.length++] = value >>> 24;
      out[this.length++] = (value >>> 16) & 0xff;
      out[this.length++] = (value >>> 8) & 0xff;
      out[this.length++] = value & 0xff;
    } else {
      throw new RangeError(`CBOR integer out of range: ${value}`);
    }
  }

  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Writes an integer. */
  int(value: number): void {
    if (value >= 0) this.head(0, value);
    else this.head(1, -1 - value);
  }

  /** Writes a text string. */
  text(value: string): void {
    const data = utf8.encode(value);
    this.head(3, data.length);
    this.raw(data);
  }

  /** The bytes written so far (a view: copy before writing more). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Appends `value` to `writer`, integers and lengths in their shortest form. */
export function writeCbor(writer: CborWriter, value: CborValue): void {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`CBOR: not an integer: ${value}`);
    if (value >= 0) writer.head(0, value);
    else writer.head(1, -1 - value);
  } else if (typeof value === 'string') {
    const data = utf8.encode(value);
    writer.head(3, data.length);
    writer.raw(data);
  } else {
    writer.head(4, value.length);
    for (const item of value) writeCbor(writer, item);
  }
}

/** Encodes `value` as CBOR, integers and lengths in their shortest form. */
export function encodeCbor(value: CborValue): Uint8Array {
  const writer = new CborWriter();
  writeCbor(writer, value);
  return writer.bytes.slice(0, writer.length);
}

/** Decodes CBOR holding only integers, strings (text or bytes, as text) and arrays. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  let at = 0;
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new Error(`CBOR: unsupported length encoding ${info} at ${at}`);
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + (bytes[at++] ?? 0);
    return value;
  };
  const read = (): CborValue => {
    const initial = bytes[at++];
    if (initial === undefined) throw new Error('CBOR: unexpected end');
    const major = initial >> 5;
    const value = argument(initial & 31);
    switch (major) {
      case 0:
        return value;
      case 1:
        return -1 - value;
      case 2:
      case 3: {
        const text = fromUtf8.decode(bytes.subarray(at, at + value));
        at += value;
        return text;
      }
      case 4: {
        const items: CborValue[] = [];
        for (let i = 0; i < value; i++) items.push(read());
        return items;
      }
      default:
        throw new Error(`CBOR: unsupported major type ${major} at ${at - 1}`);
    }
  };
  const result = read();
  if (at !== bytes.length) throw new Error(`CBOR: ${bytes.length - at} trailing bytes`);
  return result;
}
