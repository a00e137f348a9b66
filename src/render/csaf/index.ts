/**
 * CSAF 2.0 export, laid out as a CSAF provider directory under the site
 * (`site/.well-known/csaf/`), so that the site serves it where aggregators
 * look. Signatures (`.asc`) need a key and are added after the build by
 * `signCsafTree` (src/publish/csaf/).
 */
import type { OutputFile, Renderer } from '../types.ts';
import { toCsafDocument } from './document.ts';
import { currentReleaseDate } from './tracking.ts';
import { csafRelativePath, csafRoot } from './layout.ts';
import { changesCsv, hashFile, indexTxt, providerMetadata, type ListedDocument } from './provider.ts';
import { RowMemo } from '../row-memo.ts';

/** Each advisory's document as the provider's lists name it, kept between the builds of `serve --watch`. */
const listed = new RowMemo<ListedDocument>();

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const renderer: Renderer = {
  name: 'csaf',
  renderNote(advisory, context): OutputFile[] {
    const relative = csafRelativePath(advisory);
    const fileName = relative.split('/').pop()!;
    const contents = json(toCsafDocument(advisory, context.config, context.preview));
    // Encoded once for both hashes.
    const bytes = Buffer.from(contents, 'utf8');
    return [
      { path: `${csafRoot}/${relative}`, contents },
      { path: `${csafRoot}/${relative}.sha256`, contents: hashFile('sha256', bytes, fileName) },
      { path: `${csafRoot}/${relative}.sha512`, contents: hashFile('sha512', bytes, fileName) },
    ];
  },
  renderAll(advisories, context): OutputFile[] {
    const documents = advisories.map((advisory) => listed.get(advisory, '', () => ({ path: csafRelativePath(advisory), currentReleaseDate: currentReleaseDate(advisory) })));
    return [
      { path: `${csafRoot}/provider-metadata.json`, contents: json(providerMetadata(context.config, documents)) },
      { path: `${csafRoot}/index.txt`, contents: indexTxt(documents) },
      { path: `${csafRoot}/changes.csv`, contents: changesCsv(documents) },
    ];
  },
};
