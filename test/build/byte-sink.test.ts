/**
 * Cache entries are encoded into one reused buffer (`byte-sink.ts`): each
 * entry's bytes must be those of its pieces encoded one by one with
 * `Buffer.from` (the layout readers and earlier caches know), whatever the
 * text (several bytes per character, lone surrogates, bytes given as they
 * are), the sizes (the buffer grows, and is dropped past its bound) and the
 * entries written before it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteSink } from '../../src/build/byte-sink.ts';
import { readEntryFile, sha256, writeEntryFile, type EntryRecord } from '../../src/build/cache.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-byte-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const texts = ['plain ascii', 'caf\u00e9 \u2014 \u{1f512} \u4e2d\u6587', 'lone \ud800 and \udfff surrogates', '', 'x'.repeat(300 * 1024), '\u00e9'.repeat(3 * 1024 * 1024)];

/** The entry layout, piece by piece, as it was written before the sink. */
function reference(outputs: { path: string; contents: string | Uint8Array; sha256: string }[], record: EntryRecord): Buffer {
  const header: Record<string, unknown> & { files: [string, number][]; blobs: number[] } = { files: [], blobs: [] };
  const blobs: Buffer[] = [];
  const byHash = new Map<string, number>();
  for (const output of outputs) {
    let blob = byHash.get(output.sha256);
    if (blob === undefined) {
      blob = blobs.length;
      byHash.set(output.sha256, blob);
      blobs.push(Buffer.from(output.contents as string));
      header.blobs.push(blobs[blob]!.byteLength);
    }
    header.files.push([output.path, blob]);
  }
  const recordBytes = Buffer.from(JSON.stringify(record));
  header.record = recordBytes.byteLength;
  header.recordSha256 = sha256(recordBytes);
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.byteLength);
  return Buffer.concat([length, headerBytes, ...blobs, recordBytes]);
}

describe('the byte sink', () => {
  it('appends strings as Buffer.from encodes them and bytes as they are, growing as needed', () => {
    const sink = new ByteSink();
    const expected: Buffer[] = [];
    for (const text of texts) {
      expect(sink.append(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
      expected.push(Buffer.from(text, 'utf8'));
    }
    const bytes = new Uint8Array([0, 0xff, 0x80, 7]);
    expect(sink.append(bytes).equals(bytes)).toBe(true);
    expect(sink.bytes().equals(Buffer.concat([...expected, bytes]))).toBe(true);
    sink.reset();
    expect(sink.append('again').equals(Buffer.from('again'))).toBe(true);
    expect(sink.bytes().equals(Buffer.from('again'))).toBe(true);
  });
});

describe('entries written through the sink', () => {
  it('hold the bytes of the piece-by-piece layout, one entry after another, the big ones too', () => {
    const written: [string, Buffer][] = [];
    for (const [index, text] of [...texts, ...texts.slice().reverse()].entries()) {
      const outputs = [text, `${text}!`, text].map((contents, at) => ({ path: `site/${index}/${at}.html`, contents, sha256: sha256(contents) }));
      outputs.push({ path: `site/${index}/raw.bin`, contents: new Uint8Array([index, 0xfe]) as never, sha256: sha256(new Uint8Array([index, 0xfe])) });
      const record: EntryRecord = { messages: [], rendered: true, digests: { site: `\u00e9${index}` }, files: outputs.map((each) => `${each.path}\t${each.sha256}`).join('\n') };
      const at = path.join(dir, `${index}.out`);
      writeEntryFile(at, outputs, { record });
      written.push([at, reference(outputs, record)]);
      expect(readEntryFile(at)?.map((each) => each.sha256)).toEqual(outputs.map((each) => each.sha256));
    }
    for (const [at, bytes] of written) expect(readFileSync(at).equals(bytes)).toBe(true);
  });
});
