/**
 * OSV export: `osv/<ID>.json` per advisory and `osv/all.json` with every
 * record, for scanners and aggregators that read the OSV format.
 */
import type { Advisory } from '../../model/types.ts';
import type { RenderContext, Renderer } from '../types.ts';
import { osvId, toOsvRecord } from './record.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * What all.json needs of a note: its record's id, and the record as its
 * own file holds it. The text, not the parsed record, so that the build
 * cache keeps one string per note and all.json is joined, never encoded
 * again (at 10,000 notes that is 64 MB).
 */
export interface OsvDigest {
  id: string;
  text: string;
}

function ownText(advisory: Advisory, context: RenderContext): string {
  const own = context.noteOutputs?.get('osv')?.[0];
  if (!own) return json(toOsvRecord(advisory, context.config, context.preview));
  return typeof own.contents === 'string' ? own.contents : Buffer.from(own.contents).toString('utf8');
}

/**
 * `JSON.stringify(records, null, 2)` from each record's own
 * `JSON.stringify(record, null, 2)`: the same text, one level deeper. A
 * line break inside a JSON string is always escaped, so every real line
 * break is one of the layout's.
 */
function joinRecords(texts: readonly string[]): string {
  if (texts.length === 0) return '[]\n';
  return `[\n${texts.map((text) => `  ${text.trimEnd().replaceAll('\n', '\n  ')}`).join(',\n')}\n]\n`;
}

export const renderer: Renderer = {
  name: 'osv',
  renderNote(advisory, context) {
    return [{ path: `osv/${advisory.slug}.json`, contents: json(toOsvRecord(advisory, context.config, context.preview)) }];
  },
  // all.json repeats every full record, which summaries cannot rebuild (their body is only the Summary).
  digest(advisory, context): OsvDigest {
    return { id: osvId(advisory, context.config), text: ownText(advisory, context) };
  },
  renderAll(advisories, context) {
    const digests = advisories
      .map((a) => (context.digests?.get(a.slug) as OsvDigest | undefined) ?? renderer.digest!(a, context) as OsvDigest)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [{ path: 'osv/all.json', contents: joinRecords(digests.map((digest) => digest.text)) }];
  },
};
