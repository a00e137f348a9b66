/**
 * Full-text search: after the build has written the site, Pagefind indexes
 * the advisory pages (the elements marked `data-pagefind-body`) and writes
 * its index and browser code to `site/pagefind/`. Everything is local: the
 * search works offline from the built folder, with no third-party service.
 *
 * The index has two generations (see `search-plan.ts`): the base, over
 * every advisory page, in `site/pagefind/`; and a small delta, over the
 * pages changed since, in `site/pagefind/delta-<digest>/`, which the site's
 * script merges in while hiding the base's stale results (the advisories
 * listed in `site/pagefind/herald-delta.json`, by their Pagefind `page`
 * filter). A one-note rebuild indexes one page, not all of them; the base
 * is rebuilt by cold builds and when the delta outgrows `maxDeltaPages`.
 *
 * This is the one step of the site that needs the written files, so it runs
 * as a post-build step (`searchIndexStep`), not inside the pure renderer.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostBuildContext, PostBuildStep } from '../../build/post-build.ts';
import { writeSearchBundle } from './pagefind-bundle.ts';
import { planSearchIndex, type SearchPage, type SearchState } from './search-plan.ts';
import { advisoryPath, siteRoot } from './urls.ts';

export interface SearchIndexResult {
  /** What this run wrote: the whole base, the delta (and its list), or nothing (the index was current). */
  wrote: 'base' | 'delta' | 'nothing';
  /** Pages indexed in this run. */
  pages: number;
}

/** The folder under the site root that Pagefind's index and browser code live in. */
export const searchFolder = 'pagefind';

/** In the search folder: which delta the browser merges in, and which base results it hides. */
export const deltaListName = 'herald-delta.json';

/** Beside the output manifest: what the base holds (not published: the site root is one level down). */
export const searchStateName = '.herald-search.json';

/** What the site's script reads from `herald-delta.json`. */
export interface DeltaList {
  /** The delta's folder inside the search folder, or null when there is none. */
  delta: string | null;
  /** Advisory ids (Pagefind `page` filter values) whose base results are stale. */
  exclude: string[];
}

function deltaListText(list: DeltaList): string {
  return JSON.stringify(list) + '\n';
}

/** Writes a file by renaming a complete copy over it, so a reader never sees half of it. */
async function replaceFile(file: string, text: string): Promise<void> {
  const fresh = `${file}.new-${process.pid}`;
  await writeFile(fresh, text);
  await rename(fresh, file);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The search state, or undefined when there is none or it does not belong to the base on disk. */
async function loadState(root: string, folder: string): Promise<SearchState | undefined> {
  const [text, entry] = await Promise.all([readText(path.join(root, searchStateName)), readText(path.join(folder, 'pagefind-entry.json'))]);
  if (!text || !entry) return undefined;
  try {
    const state = JSON.parse(text) as SearchState;
    return state.format === 1 && typeof state.base === 'object' && state.base !== null ? state : undefined;
  } catch {
    return undefined;
  }
}

/** The advisory pages of this build, from the per-note outputs' hashes. */
export function searchPages(context: Pick<PostBuildContext, 'advisories' | 'outputs'>): SearchPage[] {
  const hashes = new Map(context.outputs.map((output) => [output.path, output.sha256]));
  return context.advisories.flatMap((advisory) => {
    const sha256 = hashes.get(pageFile(advisory.slug));
    return sha256 ? [{ id: advisory.id, slug: advisory.slug, sha256 }] : [];
  });
}

/** An advisory page's file, relative to the output root. */
function pageFile(slug: string): string {
  return `${siteRoot}/${advisoryPath(slug)}index.html`;
}

/**
 * Brings the search index of the site under `root` (an output root, with
 * `site/` in it) up to date with `pages`: a new base when there is no usable
 * one or the delta would grow too large, else a new delta (or nothing, when
 * the one on disk is already right).
 */
export async function updateSearchIndex(root: string, pages: readonly SearchPage[]): Promise<SearchIndexResult> {
  const siteDir = path.join(root, siteRoot);
  const folder = path.join(siteDir, searchFolder);
  const plan = planSearchIndex(await loadState(root, folder), pages);
  if (plan.kind === 'base') {
    const indexed = await writeSearchBundle(folder, { directory: siteDir, glob: 'advisories/*/index.html' }, { [deltaListName]: deltaListText({ delta: null, exclude: [] }) });
    const state: SearchState = { format: 1, base: Object.fromEntries(pages.map((page) => [page.id, page.sha256])) };
    await replaceFile(path.join(root, searchStateName), JSON.stringify(state) + '\n');
    return { wrote: 'base', pages: indexed };
  }
  const name = plan.pages.length === 0 ? null : `delta-${digest(plan.pages)}/`;
  const listText = deltaListText({ delta: name, exclude: plan.exclude });
  const listFile = path.join(folder, deltaListName);
  if ((await readText(listFile)) === listText && (name === null || (await readText(path.join(folder, name, 'pagefind-entry.json'))) !== undefined)) {
    return { wrote: 'nothing', pages: 0 };
  }
  let indexed = 0;
  if (name) {
    const records = await Promise.all(plan.pages.map(async (page) => ({ url: `/${advisoryPath(page.slug)}`, content: await readFile(path.join(root, pageFile(page.slug)), 'utf8') })));
    indexed = await writeSearchBundle(path.join(folder, name), { records }, {});
  }
  await replaceFile(listFile, listText);
  // Older deltas: nothing points at them any more.
  for (const entry of await readdir(folder)) {
    if (entry.startsWith('delta-') && `${entry}/` !== name) await rm(path.join(folder, entry), { recursive: true, force: true });
  }
  return { wrote: 'delta', pages: indexed };
}

/** A short digest of the pages a delta holds: equal deltas get equal folder names. */
function digest(pages: readonly SearchPage[]): string {
  return createHash('sha256')
    .update(JSON.stringify(pages.map((page) => [page.id, page.slug, page.sha256])))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The build's post-build step. It runs after every build, because it finds
 * what changed itself (by comparing page hashes with what the index holds):
 * a build that changed no page costs it one small JSON read.
 */
export const searchIndexStep: PostBuildStep = {
  name: 'search-index',
  async run(root, context) {
    const result = await updateSearchIndex(root, searchPages(context));
    if (result.wrote === 'base') context.log(`herald: search index built over ${result.pages} advisory pages`);
    if (result.wrote === 'delta') context.log(`herald: search index updated: ${result.pages} advisory page(s) in its delta`);
  },
};
