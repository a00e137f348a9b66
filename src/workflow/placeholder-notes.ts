/**
 * The notes that carry a placeholder id (`OSSN-XXXX`), by their front
 * matter, wherever they are in the notes folder and whatever their file is
 * named: `herald new` names a note after its placeholder and its title, but
 * an author may rename it, and `herald assign-ids` numbers it by its id.
 * For `herald revise` and `herald withdraw`, which refuse such a note.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap } from 'yaml';
import { findNoteFiles } from '../io/find-notes.ts';
import { splitFrontMatter } from '../model/frontmatter.ts';

/** The note files under `notesDir` (relative to `cwd`, sorted) whose front matter's id is `id`; a note that cannot be read carries none. */
export async function notesCarryingId(notesDir: string, id: string, cwd: string): Promise<string[]> {
  const files = await findNoteFiles([notesDir], cwd).catch(() => []);
  const carrying: string[] = [];
  for (const file of files) {
    const text = await readFile(path.resolve(cwd, file), 'utf8').catch(() => '');
    // Only a note that names the id can carry it: most are skipped unread by YAML.
    if (!text.includes(id)) continue;
    const split = splitFrontMatter(text);
    if (split.ok && isMap(split.value.doc.contents) && split.value.doc.get('id') === id) carrying.push(file);
  }
  return carrying.sort();
}
