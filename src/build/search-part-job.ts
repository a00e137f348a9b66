/**
 * One part of the site's search as a unit of build work, run on the worker
 * pool (or in-process): its pages' search records in, the part's bundle
 * files out (and into the build cache, for a build whose output lacks
 * them). A page's record is the one its note job made (when the build
 * has no cache), the one stored in its cache entry, or, when neither is
 * there, made again from the page's HTML where the build wrote it.
 */
import { readFileSync } from 'node:fs';
import { partFiles, searchPageOf, type SearchPart } from '../render/site/search.ts';
import { advisoryPageFile } from '../render/site/urls.ts';
import type { IndexedPage } from '../search/index.ts';
import { readCachedSearch, sha256 } from './cache.ts';
import type { HashedOutput } from './note-job.ts';
import { writeCachedPart } from './search-part-cache.ts';

/** Where one page's search record can be found. */
export interface SearchPartSource {
  slug: string;
  /** The note's cache entry key. */
  key?: string;
  /** The record itself, when no cache entry holds it. */
  record?: IndexedPage;
  /** The file holding the page's HTML in this build (absolute). */
  page?: string;
}

export interface SearchPartJob {
  part: SearchPart;
  /** One per member of the part, in its order. */
  sources: SearchPartSource[];
  cacheDir: string | null;
}

export interface SearchPartResult {
  folder: string;
  files: HashedOutput[];
}

function recordOf(source: SearchPartSource, cacheDir: string | null): IndexedPage {
  const known = source.record ?? (cacheDir && source.key ? readCachedSearch(cacheDir, source.key) : undefined);
  if (known) return known;
  let bytes: Buffer | undefined;
  try {
    bytes = source.page ? readFileSync(source.page) : undefined;
  } catch {
    bytes = undefined;
  }
  const record = bytes && searchPageOf(source.slug, [{ path: advisoryPageFile(source.slug), contents: bytes }]);
  if (!record) throw new Error(`the page of ${source.slug} is missing from the output; run \`herald build --clean\``);
  return record;
}

/** Makes the part's files, and keeps them in the cache (`search-part-cache.ts`) when the build has one. */
export function runSearchPartJob(job: SearchPartJob): SearchPartResult {
  const pages = job.sources.map((source) => recordOf(source, job.cacheDir));
  const files = partFiles(job.part, pages).map((file) => ({ ...file, sha256: sha256(file.contents) }));
  if (job.cacheDir) writeCachedPart(job.cacheDir, job.part.folder, files);
  return { folder: job.part.folder, files };
}
