/**
 * Edits a note's record in a build cache's light index (`index.jsonl`), so
 * that a test can give the cache something only the cache says, and show
 * that a command read it rather than the note; lists the entries it names.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LightRecord } from '../../src/build/cache.ts';

export async function editCachedRecord(cacheDir: string, noteFile: string, edit: (record: LightRecord) => void): Promise<void> {
  const index = path.join(cacheDir, 'index.jsonl');
  let found = false;
  const lines = (await readFile(index, 'utf8')).split('\n').map((line) => {
    if (!line.startsWith(`[${JSON.stringify(noteFile)},`)) return line;
    const [file, record] = JSON.parse(line) as [string, LightRecord];
    edit(record);
    found = true;
    return JSON.stringify([file, record]);
  });
  if (!found) throw new Error(`${noteFile} has no record in ${index}`);
  await writeFile(index, lines.join('\n'));
}

/** Each note's light record as a build cache's light index holds it (a later line, appended, replaces an earlier one). */
export function lightRecordsOf(cacheDir: string): Map<string, LightRecord> {
  const records = new Map<string, LightRecord>();
  for (const line of readFileSync(path.join(cacheDir, 'index.jsonl'), 'utf8').split('\n')) {
    if (!line.startsWith('[')) continue;
    const [file, record] = JSON.parse(line) as [string, LightRecord];
    records.set(file, record);
  }
  return records;
}

/** The entry file names (`<key>.out`) a build cache's light index names, sorted. */
export function indexedEntryNames(cacheDir: string): string[] {
  return [...lightRecordsOf(cacheDir).values()].map((record) => `${record.key}.out`).sort();
}
