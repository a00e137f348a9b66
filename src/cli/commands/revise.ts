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

/** A path as given, or `<notes>/<ID>.md` for an id (with the id meant, when only its case or one character differs), or the one note that carries a placeholder id. */
async function noteFile(context: CliContext, target: string, notesDir: string): Promise<string> {
  // A path as given: `editNote` says when there is none.
  if (noteFileExtension.test(target) || target.includes('/')) return path.resolve(context.cwd, target);
  const folder = path.resolve(context.cwd, notesDir);
  const names = await readdir(folder).catch(() => {
    throw new UsageError(`no notes folder ${notesDir} in ${context.cwd}: run herald in the repository's root, or name the folder with --notes`);
  });
  if (hasPlaceholderId({ id: target, kind: 'note' })) return placeholderNote(context, target, notesDir, names);
  if (names.includes(`${target}.md`)) return path.join(folder, `${target}.md`);
  const { meantId } = await import('../../model/suggest.ts');
  const meant = meantId(target, names.filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -'.md'.length)));
  throw new UsageError(`no note has the id ${target} (there is no ${notesDir}/${target}.md)${meant ? `; did you mean ${meant}?` : ''}`);
}

/**
 * The note that carries the placeholder id `target` (by its front matter, or
 * else by the name `herald new` gives it, `<ID>-<title>.md`), which the edit
 * refuses saying why; none, or more than one: why no note is found by it.
 */
async function placeholderNote(context: CliContext, target: string, notesDir: string, names: readonly string[]): Promise<string> {
  const { notesCarryingId } = await import('../../workflow/placeholder-notes.ts');
  const carrying = await notesCarryingId(notesDir, target, context.cwd);
  const named = names.filter((name) => name === `${target}.md` || (name.startsWith(`${target}-`) && name.endsWith('.md'))).map((name) => `${notesDir}/${name}`);
  const found = carrying.length > 0 ? carrying : named.sort();
  if (found.length === 1) return path.resolve(context.cwd, found[0]!);
  const which = found.length === 0 ? `no note in ${notesDir} carries it` : `${found.length} notes carry it (${found.join(', ')})`;
  throw new UsageError(
    `${target} is a placeholder id, not a note's number: ${which}. A note is revised or withdrawn by its number once herald assign-ids has numbered it (after its merge) and it was announced; until then it gets no updates: edit it as it is`,
  );
}
