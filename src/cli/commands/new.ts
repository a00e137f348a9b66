/**
 * `herald new`: start a note from the note template, named after its
 * placeholder id and title, ready for `herald lint`.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import { println, type CliContext } from '../context.ts';
import { configFor, withConfigOption, type CommonOptions } from '../options.ts';

interface NewOptions extends CommonOptions {
  notes: string;
  slug?: string;
  date?: string;
  template?: string;
  json?: boolean;
}

/** Where a repository made by `herald init` keeps its note template. */
const repositoryTemplate = 'templates/note.md';

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    program
      .command('new')
      .description('Start a note: <notes>/<PREFIX>-XXXX-<slug>.md from the note template, with the title, today\'s date, you (git\'s user.name and user.email) as its author, and status draft')
      .argument('<title...>', 'the advisory\'s title (quote it, or give it as several words)')
      .option('--notes <dir>', 'notes folder', 'notes')
      .option('--slug <slug>', 'the file name after the placeholder id (default: made from the title)')
      .option('--date <YYYY-MM-DD>', 'date of first publication (default: today, UTC)')
      .option('--template <file>', `note template (default: ${repositoryTemplate} if present, else herald's own)`)
      .option('--json', 'print the new file\'s path and id as JSON'),
  ).action(async (words: string[], options: NewOptions) => {
    const config = await configFor(context, options);
    const { newNote } = await import('../../workflow/new-note.ts');
    const { heraldNoteTemplate } = await import('../../workflow/init.ts');
    const { gitUser } = await import('../../workflow/git.ts');
    const { placeholderId } = await import('../../workflow/assign-ids/plan.ts');
    const placeholder = placeholderId(config.ids.prefix);
    const notesDir = path.resolve(context.cwd, options.notes);
    if (!(await isFolder(notesDir))) {
      throw new UsageError(`there is no notes folder ${options.notes} in ${context.cwd}: run herald new in the repository's root, or name the folder with --notes`);
    }
    const template = await readTemplate(context, options.template, () => heraldNoteTemplate(placeholder));
    const note = newNote({
      template: template.text,
      templatePath: template.path,
      placeholder,
      title: words.join(' '),
      date: options.date ?? context.now().toISOString().slice(0, 10),
      today: context.now().toISOString().slice(0, 10),
      lists: config.mail.lists.map((list) => list.name),
      ...(options.slug !== undefined ? { slug: options.slug } : {}),
      author: await gitUser(context.cwd),
    });
    const file = path.join(notesDir, note.fileName);
    const shown = path.relative(context.cwd, file) || file;
    await writeFile(file, note.text, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new UsageError(`${shown} already exists; give this note another name with --slug`);
      throw error;
    });
    if (options.json) {
      println(context.stdout, JSON.stringify({ path: shown, id: placeholder, template: template.path }, null, 2));
      return;
    }
    println(context.stdout, `created ${shown}`);
    println(context.stderr, `herald: fill it in and run herald lint ${shown} until it reports nothing; keep the id ${placeholder}, herald assign-ids numbers it after the merge.`);
  });
}

async function isFolder(file: string): Promise<boolean> {
  // Only a folder that is not there is "no folder": one that may not be reached says so (permission-denied).
  return stat(file).then(
    (s) => s.isDirectory(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
      throw error;
    },
  );
}

/** --template, else the repository's template, else herald's own. */
async function readTemplate(context: CliContext, given: string | undefined, heralds: () => Promise<string>): Promise<{ path: string; text: string }> {
  const file = given ?? repositoryTemplate;
  try {
    return { path: file, text: await readFile(path.resolve(context.cwd, file), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (given === undefined && code === 'ENOENT') return { path: "herald's note template", text: await heralds() };
    throw new UsageError(`cannot read the note template ${file} (${code ?? String(error)})`);
  }
}
