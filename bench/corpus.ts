/**
 * Writing the generated corpus to disk, and the edit the one-note
 * scenarios make to a note.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultSeed, generateCorpus } from './generate.ts';

/** Writes `count` notes into `dir` and returns their total size in bytes. */
export async function writeCorpus(dir: string, count: number, seed = defaultSeed): Promise<number> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (const note of generateCorpus(count, seed)) {
    const data = Buffer.from(note.text, 'utf8');
    bytes += data.length;
    await writeFile(path.join(dir, note.fileName), data);
  }
  return bytes;
}

/** The note the one-note scenarios edit: the middle one, neither first nor last in any listing. */
export function editedNoteIndex(count: number): number {
  return Math.max(1, Math.ceil(count / 2));
}

/**
 * Edits a note's Summary so its page must change: the sentence carries
 * `mark`, which the watch scenarios look for in the rebuilt page.
 */
export async function editNote(file: string, mark: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const cleaned = text.replace(/\nEdited for the benchmark: [a-z0-9-]+\.\n/, '\n');
  const edited = cleaned.replace('\n## Summary\n', `\n## Summary\n\nEdited for the benchmark: ${mark}.\n`);
  if (edited === cleaned) throw new Error(`${file} has no "## Summary" heading to edit`);
  await writeFile(file, edited);
}
