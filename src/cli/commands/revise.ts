/**
 * `herald revise`: the next "UPDATE n" of a published note, added to its
 * `revisions` with the day's date, so the update is announced (as a reply
 * to the original announcement) once the change is merged.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import { hasPlaceholderId } from '../../model/types.ts';
import { println, type CliContext } from '../context.ts';
import { noteFileExtension } from '../../io/note-file.ts';

interface ReviseOptions {
  notes: string;
  date?: string;
  json?: boolean;
}

export function register(program: Command, context: CliContext): void {
  program
    .command('revise')
    .description('Add the next update ("UPDATE n") to a published note\'s revisions: today\'s date and a summary of what changed')
    .argument('<note>', 'the advisory id (reads <notes>/<ID>.md) or the note\'s path')
    .argument('<summary...>', 'what changed, in a sentence for the readers of the update (quote it, or give it as several words)')
    .option('--notes <dir>', 'notes folder', 'notes')
    .option('--date <YYYY-MM-DD>', 'date of the update (default: today, UTC)')
    .option('--json', 'print the note\'s path and the update\'s number and date as JSON')
    .action(async (target: string, words: string[], options: ReviseOptions) => {
      const { addRevision } = await import('../../workflow/revise-note.ts');
      const { shown, date, edited: revised } = await editNote(context, target, options, (text, file, day) => addRevision(text, file, { date: day, summary: words.join(' ') }, context.now()));
      if (options.json) {
        println(context.stdout, JSON.stringify({ path: shown, update: revised.number, date }, null, 2));
        return;
      }
      println(context.stdout, `added UPDATE ${revised.number} (${date}) to ${shown}`);
      println(context.stderr, 'herald: now change the body to match (it always shows the note as it stands); once merged, herald publish announces the update as a reply to the original announcement.');
    });
}

/**
 * Finds the note `target` names, edits it with `edit` (given its text, its
 * path as shown and the day: `--date`, else today) and writes what `edit`
 * returns: `herald revise` and `herald withdraw`.
 */
export async function editNote<T extends { text: string }>(context: CliContext, target: string, options: { notes: string; date?: string }, edit: (text: string, shown: string, date: string) => T): Promise<{ shown: string; date: string; edited: T }> {
  const file = await noteFile(context, target, options.notes);
  const shown = path.relative(context.cwd, file) || file;
  const info = await stat(file).catch(() => {
    throw new UsageError(`no such note: ${target}`);
  });
  // Never opened unless a regular file: a FIFO would wait for a writer, a folder is no note.
  if (!info.isFile()) throw new UsageError(`${shown} is not a regular file, so it is no note: name the note's file`);
  const date = options.date ?? context.now().toISOString().slice(0, 10);
  const edited = edit(await readFile(file, 'utf8'), shown, date);
  await writeFile(file, edited.text);
  return { shown, date, edited };
}

/** A path as given, or `<notes>/<ID>.md` for an id (with the id meant, when only its case or one character differs). */
async function noteFile(context: CliContext, target: string, notesDir: string): Promise<string> {
  // A path as given: `editNote` says when there is none.
  if (noteFileExtension.test(target) || target.includes('/')) return path.resolve(context.cwd, target);
  const folder = path.resolve(context.cwd, notesDir);
  const names = await readdir(folder).catch(() => {
    throw new UsageError(`no notes folder ${notesDir} in ${context.cwd}: run herald in the repository's root, or name the folder with --notes`);
  });
  if (names.includes(`${target}.md`)) return path.join(folder, `${target}.md`);
  // `herald new` names a note after its placeholder id and its title: the note meant, which says why it gets no updates.
  const placeholders = hasPlaceholderId({ id: target, kind: 'note' }) ? names.filter((name) => name.startsWith(`${target}-`) && name.endsWith('.md')).sort() : [];
  if (placeholders.length === 1) return path.join(folder, placeholders[0]!);
  if (placeholders.length > 1) {
    throw new UsageError(`${target} is the placeholder id of ${placeholders.length} notes not numbered yet (${placeholders.map((name) => `${notesDir}/${name}`).join(', ')}): none was announced, so none gets updates; edit the one you mean as it is`);
  }
  const { meantId } = await import('../../model/suggest.ts');
  const meant = meantId(target, names.filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -'.md'.length)));
  throw new UsageError(`no note has the id ${target} (there is no ${notesDir}/${target}.md)${meant ? `; did you mean ${meant}?` : ''}`);
}
