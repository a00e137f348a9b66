/**
 * What the aggregate memo keeps of a spliced file (`osv/all.json`,
 * `site/advisories.json`): its parts in order, as a few columns rather than
 * an object per piece. At 10,000 notes each such file has 20,000 parts;
 * kept as arrays of tuples they were 3.4 MB of the memo's 5 MB of JSON,
 * parsed and written again at every build. As columns (each keyed piece's
 * key, slug and sha256 as one string each, its length as a number), the
 * memo reads and writes them as a few long strings, and a build after an
 * edit splices the new pieces into the previous file by offset without
 * making an object per piece (`aggregate-patch.ts`).
 */
import { createHash } from 'node:crypto';

export interface SplicedTable {
  /** The distinct literal pieces, each as Latin-1 text (a byte a character). */
  literals: string[];
  /** One character per part, in order: `k` a keyed piece, else a literal's index in `literals` plus 0x100. */
  order: string;
  /** Each keyed piece's key, in order, one per line. */
  keys: string;
  /** Each keyed piece's sha256 (64 hex characters each), in order. */
  digests: string;
  /** Each keyed piece's length in bytes, in order. */
  lengths: number[];
  /** The renderer that makes a keyed piece again (`Renderer.remakePiece`), and each keyed piece's member by slug, one per line; absent when a piece names no member. */
  remake?: { renderer: string; slugs: string };
}

const keyed = 'k';
const digestLength = 64;

/** Builds a table one part at a time. */
export class TableBuilder {
  private readonly literalIndex = new Map<string, number>();
  private readonly literals: string[] = [];
  private readonly order: string[] = [];
  private readonly keys: string[] = [];
  private readonly slugs: string[] | undefined;
  private readonly digests: string[] = [];
  private readonly lengths: number[] = [];

  constructor(private readonly renderer: string | undefined) {
    this.slugs = renderer === undefined ? undefined : [];
  }

  literal(bytes: Uint8Array): void {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    let index = this.literalIndex.get(text);
    if (index === undefined) {
      index = this.literals.length;
      this.literals.push(text);
      this.literalIndex.set(text, index);
    }
    this.order.push(String.fromCharCode(0x100 + index));
  }

  /** A keyed piece, before its bytes are known (`placed` follows, in the same order). */
  keyed(key: string, slug: string | undefined): void {
    // Keys are the renderers' digests; the table keeps them one per line.
    if (key.includes('\n')) throw new Error(`a spliced piece's key holds a line break: ${JSON.stringify(key)}`);
    this.order.push(keyed);
    this.keys.push(key);
    // A slug the lines cannot hold leaves the pieces without members: the file is then made whole.
    if (slug !== undefined && !slug.includes('\n')) this.slugs?.push(slug);
  }

  /** The length and sha256 of the keyed pieces, in order. */
  placed(length: number, sha256: string): void {
    this.lengths.push(length);
    this.digests.push(sha256);
  }

  /** The table (once every keyed piece is `placed`). */
  table(): SplicedTable {
    const remake = this.renderer !== undefined && this.slugs!.length === this.keys.length ? { renderer: this.renderer, slugs: this.slugs!.join('\n') } : undefined;
    return { literals: this.literals, order: this.order.join(''), keys: this.keys.join('\n'), digests: this.digests.join(''), lengths: this.lengths, ...(remake ? { remake } : {}) };
  }

  /** The file's key (`tableKey`), from what is known before the keyed pieces' bytes. */
  key(): string {
    return tableKey({ literals: this.literals, order: this.order.join(''), keys: this.keys.join('\n') });
  }
}

/**
 * The key a spliced file is kept by: a sha256 over its literal pieces'
 * bytes and its keyed pieces' keys (each between two NUL characters), in
 * order. The same parts give the same key in any build.
 */
export function tableKey(table: Pick<SplicedTable, 'literals' | 'order' | 'keys'>): string {
  const keys = table.keys.split('\n');
  const text: string[] = [];
  let next = 0;
  for (let part = 0; part < table.order.length; part += 1) {
    const code = table.order.charCodeAt(part);
    text.push(code === 0x6b ? `\0${keys[next++]}\0` : table.literals[code - 0x100]!);
  }
  return createHash('sha256').update(text.join(''), 'latin1').digest('hex');
}

/**
 * What the manifest lists a spliced file by: a sha256 over its literal
 * pieces' bytes and its keyed pieces' own sha256, each framed by a tag
 * (`l` or `k`) and a 32-bit length, marked `pieces:` so that it is never
 * taken for the sha256 of the file. The same bytes in the same pieces
 * give the same digest in any build, with a cache or without one.
 */
export function tableDigest(table: Pick<SplicedTable, 'literals' | 'order' | 'digests'>): string {
  const frame = (tag: number, length: number) => String.fromCharCode(tag, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  const framed = table.literals.map((literal) => frame(0x6c, literal.length) + literal);
  const text: string[] = [];
  let next = 0;
  for (let part = 0; part < table.order.length; part += 1) {
    const code = table.order.charCodeAt(part);
    if (code !== 0x6b) text.push(framed[code - 0x100]!);
    else {
      text.push(frame(0x6b, digestLength), table.digests.slice(next * digestLength, (next + 1) * digestLength));
      next += 1;
    }
  }
  return `pieces:${createHash('sha256').update(text.join(''), 'latin1').digest('hex')}`;
}

/** Each keyed piece's offset in the file, in order, and the file's length. */
export function tableOffsets(table: Pick<SplicedTable, 'literals' | 'order' | 'lengths'>): { offsets: number[]; length: number } {
  const offsets: number[] = [];
  let at = 0;
  for (let part = 0; part < table.order.length; part += 1) {
    const code = table.order.charCodeAt(part);
    if (code !== 0x6b) at += table.literals[code - 0x100]!.length;
    else {
      offsets.push(at);
      at += table.lengths[offsets.length - 1]!;
    }
  }
  return { offsets, length: at };
}

/** The sha256 of keyed piece `index`. */
export function pieceDigest(table: SplicedTable, index: number): string {
  return table.digests.slice(index * digestLength, (index + 1) * digestLength);
}

/** A keyed piece made again: its place among the keyed pieces, its key, its length in bytes and its sha256. */
export interface PieceChange {
  index: number;
  key: string;
  length: number;
  sha256: string;
}

/** The table with the keyed pieces at these places (in order, each once) made again. */
export function withPieces(table: SplicedTable, made: readonly PieceChange[]): SplicedTable {
  const keys = table.keys.split('\n');
  const lengths = [...table.lengths];
  const digests: string[] = [];
  let done = 0;
  for (const piece of made) {
    if (piece.key.includes('\n')) throw new Error(`a spliced piece's key holds a line break: ${JSON.stringify(piece.key)}`);
    keys[piece.index] = piece.key;
    lengths[piece.index] = piece.length;
    digests.push(table.digests.slice(done * digestLength, piece.index * digestLength), piece.sha256);
    done = piece.index + 1;
  }
  digests.push(table.digests.slice(done * digestLength));
  return { ...table, keys: keys.join('\n'), digests: digests.join(''), lengths };
}

/** Whether a table read from the memo is whole: its columns agree. */
export function wholeTable(table: SplicedTable): boolean {
  const count = table.lengths.length;
  let keyedParts = 0;
  for (let part = 0; part < table.order.length; part += 1) {
    const code = table.order.charCodeAt(part);
    if (code === 0x6b) keyedParts += 1;
    else if (code - 0x100 >= table.literals.length || code < 0x100) return false;
  }
  const lines = (text: string) => (count === 0 ? text === '' : text.split('\n').length === count);
  return keyedParts === count && table.digests.length === count * digestLength && lines(table.keys) && (!table.remake || lines(table.remake.slugs));
}
