/**
 * The index pages as the build wrote them (`wiki/index.wiki`, and
 * `wiki/index/<year>.wiki` when the index is split by year), read back for
 * `herald publish`, which pushes exactly what it built.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/schema.ts';
import { indexPageName, indexWikiFile, yearIndexPageName, yearIndexWikiDir, yearIndexWikiFile, yearOfIndexFile } from '../../render/wiki/page-name.ts';
import type { IndexPageText } from './push.ts';

/** `dates`: the first-published dates of the advisories the index lists (each page's count comes from them). */
export async function readIndexPages(out: string, config: Config, dates: readonly string[]): Promise<IndexPageText[]> {
  const pages: IndexPageText[] = [{ page: indexPageName(config), text: await readFile(path.join(out, indexWikiFile), 'utf8'), count: dates.length }];
  const yearsDir = path.join(out, yearIndexWikiDir);
  const names = await readdir(yearsDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const years = names.map(yearOfIndexFile).filter((year) => year !== undefined).sort().reverse();
  for (const year of years) {
    const text = await readFile(path.join(out, yearIndexWikiFile(year)), 'utf8');
    pages.push({ page: yearIndexPageName(config, year), text, count: dates.filter((date) => date.startsWith(year)).length, year });
  }
  return pages;
}
