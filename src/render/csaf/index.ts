/**
 * CSAF 2.0 export, laid out as a CSAF provider directory under the site
 * (`site/.well-known/csaf/`), so that the site serves it where aggregators
 * look. Signatures (`.asc`) need a key and are added after the build by
 * `signCsafTree` (src/publish/csaf/).
 */
import type { Advisory } from '../../model/types.ts';
import type { KeyedFile, OutputFile, Renderer } from '../types.ts';
import { toCsafDocument } from './document.ts';
import { currentReleaseDate } from './tracking.ts';
import { csafRelativePath, csafRoot } from './layout.ts';
import { changesCsv, hashFile, indexTxt, providerMetadata, type ListedDocument } from './provider.ts';
import { linesKey } from '../aggregate-key.ts';

/** Each advisory's document as the provider's lists name it: the renderer's digest, kept with the note. */
const listedDocument = (advisory: Advisory): ListedDocument => ({ path: csafRelativePath(advisory), currentReleaseDate: currentReleaseDate(advisory) });

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
  // Made with the note and kept in its cache record: the lists need it of every note.
  digest: (advisory) => listedDocument(advisory),
  renderAll(advisories, context): KeyedFile[] {
    // Without the build's digests (a render in memory), each is made now.
    const documents = advisories.map((advisory) => (context.digests?.get(advisory.slug) as ListedDocument | undefined) ?? listedDocument(advisory));
    // The three files show each document's path and date, and nothing else of a note.
    const key = linesKey(documents.map((d) => `${d.path}\0${d.currentReleaseDate}`));
    return [
      { path: `${csafRoot}/provider-metadata.json`, key, render: () => json(providerMetadata(context.config, documents)) },
      { path: `${csafRoot}/index.txt`, key, render: () => indexTxt(documents) },
      { path: `${csafRoot}/changes.csv`, key, render: () => changesCsv(documents) },
    ];
  },
};
