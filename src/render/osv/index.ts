/**
 * OSV export: `osv/<ID>.json` per advisory and `osv/all.json` with every
 * record, for scanners and aggregators that read the OSV format.
 */
import type { Advisory } from '../../model/types.ts';
import { advisoryKeys } from '../aggregate-key.ts';
import type { KeyedPiece, Piece, RenderContext, Renderer } from '../types.ts';
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
export function* recordPieces(records: Iterable<{ key: string; text: () => Uint8Array; member?: Advisory }>): Generator<Piece> {
  let first = true;
  for (const record of records) {
    yield first ? opening : separator;
    first = false;
    yield recordPiece(record);
  }
  yield first ? empty : closing;
}

const opening = Buffer.from('[\n  ');
const separator = Buffer.from(',\n  ');
const closing = Buffer.from('\n]\n');
const empty = Buffer.from('[]\n');

function recordPiece(record: { key: string; text: () => Uint8Array; member?: Advisory }): KeyedPiece {
  return { key: record.key, bytes: () => indented(record.text()), ...(record.member ? { member: record.member } : {}) };
}

/** A record one level deeper, without its final line break. Latin-1 maps each byte to one character and back, so UTF-8 passes through untouched. */
function indented(text: Uint8Array): Uint8Array {
  let end = text.byteLength;
  while (end > 0 && (text[end - 1] === 0x0a || text[end - 1] === 0x20 || text[end - 1] === 0x0d || text[end - 1] === 0x09)) end -= 1;
  return Buffer.from(Buffer.from(text.buffer, text.byteOffset, end).toString('latin1').replaceAll('\n', '\n  '), 'latin1');
}

const recordPath = (advisory: Advisory) => `osv/${advisory.slug}.json`;
const allPath = 'osv/all.json';

/** One advisory's record in all.json: its own file's bytes as this build wrote them. */
function allRecord(advisory: Advisory, context: RenderContext): { key: string; text: () => Uint8Array; member: Advisory } {
  const text = () => context.noteFile?.(recordPath(advisory)) ?? Buffer.from(json(toOsvRecord(advisory, context.config, context.preview)));
  return { key: advisoryKeys(context)(advisory), text, member: advisory };
}

export const renderer: Renderer = {
  name: 'osv',
  renderNote(advisory, context) {
    return [{ path: recordPath(advisory), contents: json(toOsvRecord(advisory, context.config, context.preview)) }];
  },
  // all.json repeats every full record, which summaries cannot rebuild (their
  // body is only the Summary): it joins the records' own files.
  renderAll(advisories, context) {
    const sorted = advisories.map((advisory) => ({ advisory, id: osvId(advisory, context.config) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [{ path: allPath, pieces: recordPieces(sorted.map(({ advisory }) => allRecord(advisory, context))) }];
  },
  remakePiece: (_path, advisory, context) => recordPiece(allRecord(advisory, context)),
};
