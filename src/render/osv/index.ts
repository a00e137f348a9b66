/**
 * OSV export: `osv/<ID>.json` per advisory and `osv/all.json` with every
 * record, for scanners and aggregators that read the OSV format.
 */
import type { Advisory } from '../../model/types.ts';
import { advisoryKeys } from '../aggregate-key.ts';
import type { Piece, Renderer } from '../types.ts';
import { osvId, toOsvRecord } from './record.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * all.json as pieces: `JSON.stringify(records, null, 2)` from each
 * record's own `JSON.stringify(record, null, 2)`, as bytes: the same
 * text, one level deeper. A line break inside a JSON string is always
 * escaped, so every real line break is one of the layout's. At 10,000
 * notes all.json is 64 MB: each record is taken from its file as the build
 * wrote it (never parsed or encoded again), and the build copies the
 * records of unchanged notes from the previous all.json.
 */
export function* recordPieces(records: Iterable<{ key: string; text: () => Uint8Array }>): Generator<Piece> {
  let first = true;
  for (const record of records) {
    yield first ? opening : separator;
    first = false;
    yield { key: record.key, bytes: () => indented(record.text()) };
  }
  yield first ? empty : closing;
}

const opening = Buffer.from('[\n  ');
const separator = Buffer.from(',\n  ');
const closing = Buffer.from('\n]\n');
const empty = Buffer.from('[]\n');

/** A record one level deeper, without its final line break. Latin-1 maps each byte to one character and back, so UTF-8 passes through untouched. */
function indented(text: Uint8Array): Uint8Array {
  let end = text.byteLength;
  while (end > 0 && (text[end - 1] === 0x0a || text[end - 1] === 0x20 || text[end - 1] === 0x0d || text[end - 1] === 0x09)) end -= 1;
  return Buffer.from(Buffer.from(text.buffer, text.byteOffset, end).toString('latin1').replaceAll('\n', '\n  '), 'latin1');
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
    const keyOf = advisoryKeys(context);
    return [{ path: 'osv/all.json', pieces: recordPieces(sorted.map(({ advisory }) => ({ key: keyOf(advisory), text: () => textOf(advisory) }))) }];
  },
};
