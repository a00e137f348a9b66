/**
 * The site's full-text search, as files: Pagefind 1.6 bundles written by
 * herald's own indexer (`src/search/`), read in the browser by Pagefind's
 * own pagefind.js. Pure: pages in, files out.
 *
 * The advisory pages are split into parts by a hash of their slug, so a
 * part holds the same pages whatever else changed, and an edit to one note
 * rewrites one part (a few hundred pages), not the whole index:
 *
 * - `pagefind/`: Pagefind's browser code and an empty primary index (the
 *   browser code needs one where it lives);
 * - `pagefind/<i>-<digest>/`: part i, a complete bundle over its pages,
 *   named by the digest of what it holds, so its URLs change whenever its
 *   bytes do and a browser never mixes an old part's files with a new one's;
 * - `pagefind/herald-search.json`: the parts the site's script merges in
 *   (`mergeIndex`).
 *
 * The parts, their names and their bytes are a function of the published
 * pages (and herald's build key) only: a cold build and any sequence of
 * incremental builds that ends in the same notes write the same files.
 */
import { createHash } from 'node:crypto';
import { indexPage, writeSearchBundle, type IndexedPage } from '../../search/index.ts';
import type { OutputFile } from '../types.ts';
import { advisoryPageFile, advisoryPath, siteRoot } from './urls.ts';

/** The folder under the site root that the search lives in. */
export const searchFolder = 'pagefind';

/** The parts list the site's script reads, in the search folder. */
export const partsListName = 'herald-search.json';

/** What the site's script reads from `herald-search.json`. */
export interface PartsList {
  /** Part folders, relative to the search folder, each ending in `/`. */
  parts: string[];
}

/**
 * The most pages a part is meant to hold: writing a part costs about a
 * millisecond per page, and every part is one more index for the browser
 * to merge and query.
 */
export const pagesPerPart = 400;

/** An advisory page's URL path as search results link to it (the site's script adds the base path). */
function advisoryPageUrl(slug: string): string {
  return `/${advisoryPath(slug)}`;
}

/** What the search records of an advisory page, from the note's site files (undefined when they have no page). */
export function searchPageOf(slug: string, siteFiles: readonly OutputFile[]): IndexedPage | undefined {
  const file = advisoryPageFile(slug);
  const page = siteFiles.find((output) => output.path === file);
  if (!page) return undefined;
  const html = typeof page.contents === 'string' ? page.contents : new TextDecoder().decode(page.contents);
  return indexPage(advisoryPageUrl(slug), html);
}

/** How many parts `pages` published pages are split into: a power of two, so parts split evenly as the site grows. */
export function partCount(pages: number): number {
  let count = 1;
  while (count * pagesPerPart < pages) count *= 2;
  return count;
}

/** Which part (0 to count − 1) an advisory's page belongs to, from the first 32 bits of its slug's sha256. */
export function partOf(slug: string, count: number): number {
  const head = Number.parseInt(createHash('sha256').update(slug).digest('hex').slice(0, 8), 16);
  return Math.floor((head / 2 ** 32) * count);
}

/** A published advisory page: its slug and the sha256 of its HTML. */
export interface SearchMember {
  slug: string;
  sha256: string;
}

/** One part: its folder (relative to the search folder) and the pages it holds, by slug. */
export interface SearchPart {
  folder: string;
  members: SearchMember[];
}

/**
 * The parts of a site's search, given every published page and the build's
 * key (a change to herald or its config renames every part). Parts with no
 * page are left out.
 */
export function planParts(members: readonly SearchMember[], buildKey: string): SearchPart[] {
  const count = partCount(members.length);
  const groups: SearchMember[][] = Array.from({ length: count }, () => []);
  for (const member of members) groups[partOf(member.slug, count)]!.push(member);
  return groups.flatMap((group, index) => {
    if (group.length === 0) return [];
    group.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    const hash = createHash('sha256').update(`${buildKey}\0${count}\0${index}\n`);
    for (const member of group) hash.update(`${member.slug}\0${member.sha256}\n`);
    return [{ folder: `${String(index).padStart(3, '0')}-${hash.digest('hex').slice(0, 16)}/`, members: group }];
  });
}

/** The site path of a file in the search folder. */
export function searchPath(name: string): string {
  return `${siteRoot}/${searchFolder}/${name}`;
}

/** One part's files: a bundle over its pages (given in any order). */
export function partFiles(part: SearchPart, pages: readonly IndexedPage[]): OutputFile[] {
  return writeSearchBundle(pages).map((file) => ({ path: searchPath(`${part.folder}${file.path}`), contents: file.contents }));
}

/** The search folder's own files: Pagefind's browser code, the empty primary index and the parts list. */
export function searchFolderFiles(assets: ReadonlyMap<string, Uint8Array>, parts: readonly SearchPart[]): OutputFile[] {
  const list: PartsList = { parts: parts.map((part) => part.folder) };
  return [
    ...[...assets].map(([name, contents]) => ({ path: searchPath(name), contents })),
    ...writeSearchBundle([]).map((file) => ({ path: searchPath(file.path), contents: file.contents })),
    { path: searchPath(partsListName), contents: JSON.stringify(list) + '\n' },
  ];
}
