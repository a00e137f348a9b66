/**
 * OSV export: `osv/<ID>.json` per advisory and `osv/all.json` with every
 * record, for scanners and aggregators that read the OSV format.
 */
import type { Renderer } from '../types.ts';
import { toOsvRecord } from './record.ts';
import type { OsvRecord } from './types.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const renderer: Renderer = {
  name: 'osv',
  renderNote(advisory, context) {
    return [{ path: `osv/${advisory.slug}.json`, contents: json(toOsvRecord(advisory, context.config, context.preview)) }];
  },
  // all.json repeats every full record, which summaries cannot rebuild (their body is only the Summary).
  digest(advisory, context) {
    const own = context.noteOutputs?.get('osv')?.[0];
    return own ? (JSON.parse(String(own.contents)) as OsvRecord) : toOsvRecord(advisory, context.config, context.preview);
  },
  renderAll(advisories, context) {
    const records = advisories
      .map((a) => (context.digests?.get(a.slug) as OsvRecord | undefined) ?? toOsvRecord(a, context.config, context.preview))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [{ path: 'osv/all.json', contents: json(records) }];
  },
};
