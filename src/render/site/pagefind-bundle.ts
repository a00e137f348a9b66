/**
 * The Pagefind adapter: writes one Pagefind bundle (index plus browser
 * code) from HTML on disk or in memory. Pagefind runs as a child process,
 * started for the bundle and stopped after it, so it holds no memory
 * between builds.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { close, createIndex } from 'pagefind';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';

/** Pages to index: files matching `glob` under `directory`, or HTML given with its URL. */
export type BundleSource = { directory: string; glob: string } | { records: readonly { url: string; content: string }[] };

function failure(where: string, text: string): HeraldError {
  const info = ruleInfo('search-index-failed');
  return new HeraldError([{ file: where, line: 1, column: 1, severity: info.severity, ruleId: 'search-index-failed', message: text, hint: info.hint }]);
}

/** Pages in a written bundle (Pagefind's own count of files read includes pages it skipped). */
async function indexedPages(folder: string): Promise<number> {
  const entry = JSON.parse(await readFile(path.join(folder, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
  return Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
}

/**
 * Indexes `source` and writes the bundle to `target`, with `extra` files
 * (name to text) beside Pagefind's own. The bundle goes to a fresh folder
 * that then replaces `target`, so nothing of a previous bundle survives and
 * a failure leaves it as it was. Returns the number of pages indexed.
 */
export async function writeSearchBundle(target: string, source: BundleSource, extra: Record<string, string>): Promise<number> {
  let created;
  try {
    created = await createIndex({ forceLanguage: 'en' });
  } catch (error) {
    throw failure(target, `Pagefind could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const index = created.index;
  if (!index) {
    await close();
    throw failure(target, `Pagefind could not create an index: ${created.errors.join('; ')}`);
  }
  const fresh = `${target.replace(/[\\/]+$/, '')}.new-${process.pid}`;
  try {
    if ('directory' in source) {
      const added = await index.addDirectory({ path: source.directory, glob: source.glob });
      if (added.errors.length > 0) throw failure(source.directory, `Pagefind could not read the site: ${added.errors.join('; ')}`);
    } else {
      // One at a time, in the caller's order: the bundle's bytes must not depend on timing.
      for (const record of source.records) {
        const added = await index.addHTMLFile(record);
        if (added.errors.length > 0) throw failure(target, `Pagefind could not index ${record.url}: ${added.errors.join('; ')}`);
      }
    }
    await rm(fresh, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: fresh });
    if (written.errors.length > 0) throw failure(target, `Pagefind could not write its index: ${written.errors.join('; ')}`);
    for (const [name, text] of Object.entries(extra)) await writeFile(path.join(fresh, name), text);
    await rm(target, { recursive: true, force: true });
    await rename(fresh, target);
    return await indexedPages(target);
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await index.deleteIndex();
    // The Pagefind service is a child process: stop it so the build can exit.
    await close();
  }
}
