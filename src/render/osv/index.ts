/**
 * OSV export: `osv/<ID>.json` per advisory and `osv/all.json` with every
 * record, for scanners and aggregators that read the OSV format.
 */
import type { OutputFile, Renderer } from '../types.ts';
import { toOsvRecord } from './record.ts';
import type { OsvRecord } from './types.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The record each `osv/<ID>.json` file of this process was written from,
 * so that `digest` hands it on instead of parsing the file back. A file
 * from elsewhere (not in the map) is still parsed.
 */
const recordOfFile = new WeakMap<OutputFile, OsvRecord>();

export const renderer: Renderer = {
  name: 'osv',
  renderNote(advisory, context) {
    const record = toOsvRecord(advisory, context.config, context.preview);
    const file: OutputFile = { path: `osv/${advisory.slug}.json`, contents: json(record) };
    recordOfFile.set(file, record);
    return [file];
  },
  // all.json repeats every full record, which summaries cannot rebuild (their body is only the Summary).
  digest(advisory, context) {
    const own = context.noteOutputs?.get('osv')?.[0];
    if (!own) return toOsvRecord(advisory, context.config, context.preview);
    return recordOfFile.get(own) ?? (JSON.parse(String(own.contents)) as OsvRecord);
  },
  renderAll(advisories, context) {
    const records = advisories
      .map((a) => (context.digests?.get(a.slug) as OsvRecord | undefined) ?? toOsvRecord(a, context.config, context.preview))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [{ path: 'osv/all.json', contents: json(records) }];
  },
};
