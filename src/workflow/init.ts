/**
 * `herald init <dir>`: a new advisory repository from `templates/init/`,
 * in a new folder or one that holds nothing init writes (a fresh clone of
 * an empty repository: `.git`, maybe a LICENSE); it never overwrites a file.
 * Files ending in `.hbs` are Handlebars templates (values inserted with
 * `{{json value}}`, which is valid YAML and JSON, so a title with a colon
 * cannot break the config); every other file is copied as it is, which keeps
 * the workflows' own `${{ }}` expressions intact.
 */
import { lstat, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { HeraldError, UsageError } from '../errors/message.ts';
import { isPermissionDenied, permissionDeniedError } from '../io/permission.ts';
import { makeFolders } from '../io/write-file.ts';
import { makeFailureCode, writeFailureReason } from '../io/write-failure.ts';
import { packageRoot } from '../package-root.ts';
import { placeholderId } from './assign-ids/plan.ts';

export interface ScaffoldOptions {
  prefix: string;
  title: string;
  baseUrl: string;
  repository?: string;
  /**
   * npm install spec of herald, e.g. `github:org/herald#v0.1.0`. Without
   * one, a `file:` path to this installation: a registry name could install
   * someone else's package called "herald".
   */
  heraldSpec?: string;
  /** The folder paths in messages are shown relative to (the working directory). */
  cwd: string;
}

export interface ScaffoldResult {
  /** Files written, relative to the target, sorted. */
  files: string[];
  /** How the new repository's package.json installs herald. */
  heraldSpec: string;
}

const templatesRoot = path.join(packageRoot, 'templates');
const initRoot = path.join(templatesRoot, 'init');
/** npm drops `.gitignore` from packages, so the template is stored without the dot. */
const renamed: Record<string, string> = { gitignore: '.gitignore' };

/** Creates the repository in `target`. */
export async function scaffold(target: string, options: ScaffoldOptions): Promise<ScaffoldResult> {
  checkOptions(options);
  const found = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw refusal(target, options.cwd, error, 'nothing was written');
  });
  if (found && !found.isDirectory()) throw new UsageError(`${target} is a file; name a folder to create, or an empty one.`);

  const view = {
    prefix: options.prefix,
    title: options.title,
    baseUrl: options.baseUrl,
    repository: options.repository,
    heraldSpec: options.heraldSpec ?? `file:${path.relative(target, packageRoot).split(path.sep).join('/')}`,
    placeholder: placeholderId(options.prefix),
  };
  const handlebars = Handlebars.create();
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));

  const files = new Map<string, string>();
  for (const source of await listFiles(initRoot)) {
    const text = await readFile(path.join(initRoot, source), 'utf8');
    const isTemplate = source.endsWith('.hbs');
    const name = isTemplate ? source.slice(0, -'.hbs'.length) : source;
    const output = name.split('/').map((part) => renamed[part] ?? part).join('/');
    files.set(output, isTemplate ? handlebars.compile(text, { noEscape: true, strict: true })(view) : text);
  }
  files.set('templates/note.md', await heraldNoteTemplate(view.placeholder));

  const written = [...files.keys()].sort();
  // Every clash is named before anything is written: no half-made repository.
  const clashes = (await Promise.all(written.map((file) => clash(target, file)))).filter((file) => file !== undefined);
  if (clashes.length > 0) {
    const list = [...new Set(clashes)].sort();
    throw new UsageError(`${target} already has ${list.join(', ')}; herald init writes ${list.length === 1 ? 'that path' : 'those paths'} and overwrites nothing. Move ${list.length === 1 ? 'it' : 'them'} aside, or init a new folder.`);
  }
  try {
    for (const folder of new Set(written.map((file) => path.dirname(path.join(target, file))))) makeFolders(folder);
  } catch (error) {
    throw refusal(target, options.cwd, error, 'no file was written');
  }
  for (const [index, file] of written.entries()) {
    await writeFile(path.join(target, file), files.get(file)!, { flag: 'wx' }).catch((error: unknown) => {
      throw refusal(target, options.cwd, error, `${index} of its ${written.length} files were written: remove ${target} and run herald init again`);
    });
  }
  return { files: written, heraldSpec: view.heraldSpec };
}

/**
 * The file system's refusal to make the repository, saying why and what was
 * left: a permission denied is `permission-denied` (exit 1, the folder to
 * fix), any other refusal a usage error (a folder no one can make there);
 * any other error as it is.
 */
function refusal(target: string, cwd: string, error: unknown, left: string): unknown {
  if (isPermissionDenied(error)) return new HeraldError(permissionDeniedError(error, cwd).messages, left);
  const code = makeFailureCode(error);
  if (code === undefined) return error;
  return new UsageError(`${target} cannot be made: ${writeFailureReason(code)} (${code}); ${left}. Name a folder herald may create and write in.`);
}

/** The part of `file`'s path under `target` that exists already and is in the way (`file` itself, or a parent that is not a folder). */
async function clash(target: string, file: string): Promise<string | undefined> {
  const parts = file.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const relative = parts.slice(0, depth).join('/');
    const found = await lstat(path.join(target, relative)).catch(() => undefined);
    if (!found) return undefined;
    if (depth === parts.length || !found.isDirectory()) return relative;
  }
  return undefined;
}

/** herald's own note template, with the placeholder id `placeholder` (`<PREFIX>-XXXX`) for its OSSN one. */
export async function heraldNoteTemplate(placeholder: string): Promise<string> {
  const note = await readFile(path.join(templatesRoot, 'note.md'), 'utf8');
  return note.replaceAll('OSSN-XXXX', placeholder);
}

function checkOptions(options: ScaffoldOptions): void {
  if (!/^[A-Z][A-Z0-9]{1,15}$/.test(options.prefix)) throw new UsageError(`--prefix must be 2 to 16 upper-case letters and digits, like OSSN, not "${options.prefix}".`);
  if (!/^https:\/\/[^\s/]+/.test(options.baseUrl)) throw new UsageError(`--base-url must be an https:// URL, not "${options.baseUrl}".`);
  if (/[\u0000-\u001f\u007f]/.test(options.title)) throw new UsageError('--title must be one line without control characters.');
  if (options.repository !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(options.repository)) throw new UsageError(`--repository must be owner/name, not "${options.repository}".`);
}

async function listFiles(root: string): Promise<string[]> {
  const names = await readdir(root, { recursive: true });
  const files: string[] = [];
  for (const name of names) {
    if ((await stat(path.join(root, name))).isFile()) files.push(name.split(path.sep).join('/'));
  }
  return files.sort();
}
