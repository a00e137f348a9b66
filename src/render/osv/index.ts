/**
 * OSV export: `osv/<ID>.json` per advisory and `osv/all.json` with every
 * record, for scanners and aggregators that read the OSV format.
 */
import type { Advisory } from '../../model/types.ts';
import type { Renderer } from '../types.ts';
import { osvId, toOsvRecord } from './record.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * `JSON.stringify(records, null, 2)` from each record's own
 * `JSON.stringify(record, null, 2)`, as bytes: the same text, one level
 * deeper. A line break inside a JSON string is always escaped, so every
 * real line break is one of the layout's. At 10,000 notes all.json is
 * 64 MB: it is built in one buffer, outside the JavaScript heap, from the
 * records' files as the build wrote them (never parsed or encoded again).
 */
export function joinRecords(texts: Iterable<Uint8Array>, sizeHint = 0): Uint8Array {
  let out = Buffer.allocUnsafe(Math.max(64, sizeHint));
  let at = 0;
  // Latin-1 maps each byte to one character and back, so UTF-8 passes through untouched.
  const put = (text: string) => {
    if (at + text.length > out.byteLength) {
      const grown = Buffer.allocUnsafe(Math.max(at + text.length, Math.ceil(out.byteLength * 1.5)));
      out.copy(grown, 0, 0, at);
      out = grown;
    }
    at += out.write(text, at, 'latin1');
  };
  let first = true;
  for (const text of texts) {
    put(first ? '[\n  ' : ',\n  ');
    first = false;
    let end = text.byteLength;
    while (end > 0 && (text[end - 1] === 0x0a || text[end - 1] === 0x20 || text[end - 1] === 0x0d || text[end - 1] === 0x09)) end -= 1;
    put(Buffer.from(text.buffer, text.byteOffset, end).toString('latin1').replaceAll('\n', '\n  '));
  }
  put(first ? '[]\n' : '\n]\n');
  return out.subarray(0, at);
}

const recordPath = (advisory: Advisory) => `osv/${advisory.slug}.json`;

export const renderer: Renderer = {
  name: 'osv',
  renderNote(advisory, context) {
    return [{ path: recordPath(advisory), contents: json(toOsvRecord(advisory, context.config, context.preview)) }];
  },
  // all.json repeats every full record, which summaries cannot rebuild (their
  // body is only the Summary): it joins the records' own files.
  renderAll(advisories, context) {
    const sorted = advisories.map((advisory) => ({ advisory, id: osvId(advisory, context.config) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const textOf = (advisory: Advisory) => context.noteFile?.(recordPath(advisory)) ?? Buffer.from(json(toOsvRecord(advisory, context.config, context.preview)));
    // Read one file at a time; the first one's size sets the buffer's.
    const texts = (function* () {
      for (const { advisory } of sorted) yield textOf(advisory);
    })();
    const sizeHint = sorted[0] ? Math.ceil(textOf(sorted[0].advisory).byteLength * sorted.length * 1.25) : 0;
    return [{ path: 'osv/all.json', contents: joinRecords(texts, sizeHint) }];
  },
};
