/**
 * Writes the site's search (`../render/site/search.ts`) with the build's
 * other outputs, through the same writer: staged in a cold build, pending
 * until commit in an incremental one, in the manifest like every file.
 *
 * A part whose folder name (the digest of its pages) the previous output
 * already has is kept as it is; the others are written from the pages'
 * search records: made by the note jobs, read back from the cache entries
 * one part at a time (so memory holds one part's records, not the site's),
 * or, when neither has one, made again from the page in the output.
 */
import { HeraldError } from '../errors/message.ts';
import { message } from '../model/validate.ts';
import { advisoryPageFile, partFiles, planParts, searchFolderFiles, searchPageOf, searchPath, type SearchMember } from '../render/site/search.ts';
import { pagefindAssets, type IndexedPage } from '../search/index.ts';
import { readCachedSearch } from './cache.ts';
import type { OutputWriter } from './output-writer.ts';

/** A published note as the search sees it: its slug, cache entry key and per-note outputs. */
export interface SearchNote {
  slug: string;
  key: string;
  outputs: readonly { path: string; sha256: string }[];
}

export interface SearchStageOptions {
  writer: OutputWriter;
  /** The build's global key: a change to herald or the config renames every part. */
  buildKey: string;
  notes: readonly SearchNote[];
  /** Search records of the notes rendered in this build, by slug, when there is no cache to read them from. */
  fresh: ReadonlyMap<string, IndexedPage>;
  cacheDir: string | null;
  log: (line: string) => void;
}

function failure(text: string): HeraldError {
  return new HeraldError([message('node_modules/pagefind', 'search-index-failed', text, { line: 1, column: 1 })]);
}

export async function writeSiteSearch(options: SearchStageOptions): Promise<void> {
  const { writer, notes, fresh, cacheDir } = options;
  const keys = new Map<string, string>();
  const members: SearchMember[] = [];
  for (const note of notes) {
    const page = advisoryPageFile(note.slug);
    const sha256 = note.outputs.find((output) => output.path === page)?.sha256;
    if (!sha256) continue;
    members.push({ slug: note.slug, sha256 });
    keys.set(note.slug, note.key);
  }
  const parts = planParts(members, options.buildKey);
  const kept = writer.keepFolders(searchPath(''), new Set(parts.map((part) => part.folder)));

  let assets: Map<string, Uint8Array>;
  try {
    // Cached beside the build cache (`pagefind-<version>/`), or in the system's temporary folder.
    assets = await pagefindAssets(cacheDir ?? undefined);
  } catch (error) {
    throw failure(`Pagefind's browser code could not be extracted from its binary: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const file of searchFolderFiles(assets, parts)) writer.write(file);

  const recordOf = (slug: string): IndexedPage => {
    const known = fresh.get(slug) ?? (cacheDir ? readCachedSearch(cacheDir, keys.get(slug)!) : undefined);
    if (known) return known;
    const file = advisoryPageFile(slug);
    const bytes = writer.read(file);
    const record = bytes && searchPageOf(slug, [{ path: file, contents: bytes }]);
    if (!record) throw new Error(`the page of ${slug} is missing from the output; run \`herald build --clean\``);
    return record;
  };
  let written = 0;
  let pages = 0;
  for (const part of parts) {
    if (kept.has(part.folder)) continue;
    for (const file of partFiles(part, part.members.map((member) => recordOf(member.slug)))) writer.write(file);
    written += 1;
    pages += part.members.length;
  }
  if (written > 0) options.log(`herald: search: ${written} of ${parts.length} part(s) written, ${pages} of ${members.length} advisory pages indexed`);
}

