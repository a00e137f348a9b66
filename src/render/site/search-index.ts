/**
 * Full-text search: after the build has written the site, Pagefind indexes
 * every advisory page (the elements marked `data-pagefind-body`) and writes
 * its index and browser code to `site/pagefind/`. Everything is local: the
 * search works offline from the built folder, with no third-party service.
 *
 * This is the one step of the site that needs the written files, so it runs
 * as a post-build step (`searchIndexStep`), not inside the pure renderer.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { close, createIndex } from 'pagefind';
import type { PostBuildStep } from '../../build/post-build.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { siteRoot } from './urls.ts';

export interface SearchIndexResult {
  /** Pages in the index: one per advisory. */
  pages: number;
}

function failure(siteDir: string, text: string): HeraldError {
  const info = ruleInfo('search-index-failed');
  return new HeraldError([{ file: siteDir, line: 1, column: 1, severity: info.severity, ruleId: 'search-index-failed', message: text, hint: info.hint }]);
}

/** Pages in the written index (Pagefind's own count of files read includes pages it skipped). */
async function indexedPages(folder: string): Promise<number> {
  const entry = JSON.parse(await readFile(path.join(folder, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
  return Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
}

/** The folder under the site root that Pagefind's index and browser code live in. */
export const searchFolder = 'pagefind';

/**
 * Indexes the built site in `siteDir` and writes `siteDir/pagefind/`. The
 * index goes to a fresh folder that then replaces the old one, so no
 * fragment of a previous index survives and a failure leaves the old one.
 */
export async function indexSite(siteDir: string): Promise<SearchIndexResult> {
  let created;
  try {
    created = await createIndex({ forceLanguage: 'en' });
  } catch (error) {
    throw failure(siteDir, `Pagefind could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const index = created.index;
  if (!index) {
    await close();
    throw failure(siteDir, `Pagefind could not create an index: ${created.errors.join('; ')}`);
  }
  try {
    const added = await index.addDirectory({ path: siteDir });
    if (added.errors.length > 0) throw failure(siteDir, `Pagefind could not read the site: ${added.errors.join('; ')}`);
    const target = path.join(siteDir, searchFolder);
    const fresh = `${target}.new-${process.pid}`;
    await rm(fresh, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: fresh });
    if (written.errors.length > 0) {
      await rm(fresh, { recursive: true, force: true });
      throw failure(siteDir, `Pagefind could not write its index: ${written.errors.join('; ')}`);
    }
    await rm(target, { recursive: true, force: true });
    await rename(fresh, target);
    return { pages: await indexedPages(target) };
  } finally {
    await index.deleteIndex();
    // The Pagefind service is a child process: stop it so the build can exit.
    await close();
  }
}

/** The build's post-build step: indexes `<staging>/site` before the new tree is swapped in. */
export const searchIndexStep: PostBuildStep = {
  name: 'search-index',
  // Only pages are indexed: a build that changed none needs no new index.
  when: (changed) => changed.some((file) => file.startsWith(`${siteRoot}/`) && file.endsWith('.html')),
  async run(stagingDir, { log }) {
    const { pages } = await indexSite(path.join(stagingDir, siteRoot));
    log(`herald: search index built over ${pages} advisory pages`);
  },
};
