/**
 * The folders a build writes, checked before it renders anything: the
 * cache folder and the output folder can be written, and the output
 * folder is herald's to replace.
 */
import { accessSync, constants, existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ruleInfo } from '../errors/catalog.ts';
import { HeraldError } from '../errors/message.ts';
import { makeFolders } from '../io/write-file.ts';
import { message } from '../model/validate.ts';
import { manifestName } from './manifest.ts';

/**
 * Makes the cache folder and, unless the output is updated in place, the
 * output folder's parent (a cold build writes a staging folder beside the
 * output and renames it into place), and checks that they, and the output
 * folder if it exists, can be written (`cache-unwritable`,
 * `output-unwritable`), and that an output folder without a manifest is
 * nothing or an empty folder (`output-not-herald`): located errors before
 * any work, instead of an internal error once the notes are rendered, or
 * a folder of the author's replaced.
 */
export function checkFolders(out: string, cacheDir: string | null, cwd: string): void {
  const show = (dir: string) => shownFolder(dir, cwd);
  const check = (dir: string, make: boolean, ruleId: 'cache-unwritable' | 'output-unwritable', shown: string) => {
    try {
      if (make) makeFolders(dir);
      if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      accessSync(dir, constants.W_OK);
    } catch (error) {
      throw folderError(ruleId, dir, error, cwd, shown);
    }
  };
  const shownOut = show(out);
  if (cacheDir) check(cacheDir, true, 'cache-unwritable', show(cacheDir));
  // An output with a manifest is updated in place; any other is replaced
  // whole by a staging folder beside it: only when herald could have made
  // it (nothing there, or an empty folder), never `--out src` or a file.
  if (!existsSync(path.join(out, manifestName))) {
    check(path.dirname(out), true, 'output-unwritable', shownOut);
    const foreign = foreignOutput(out);
    if (foreign) throw new HeraldError([message(shownOut, 'output-not-herald', `${shownOut} ${foreign}, and herald replaces its output folder whole`, atStart)]);
  }
  if (existsSync(out)) check(out, false, 'output-unwritable', shownOut);
}

const atStart = { line: 1, column: 1 };

/** A folder under the working directory as a relative path, any other as an absolute one. */
function shownFolder(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

/** `cache-unwritable` or `output-unwritable` for `dir`, with the system's reason; located at `shown` (default: the folder). */
export function folderError(ruleId: 'cache-unwritable' | 'output-unwritable', dir: string, error: unknown, cwd: string, shown = shownFolder(dir, cwd)): HeraldError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new HeraldError([message(shown, ruleId, `${ruleInfo(ruleId).title}: ${shownFolder(dir, cwd)} (${reason})`, atStart)]);
}

/**
 * What is in the way of an output folder without a manifest, or undefined
 * when there is nothing: no folder, or one that holds only empty folders
 * (`herald serve --watch` makes `<out>/site` to serve its page of errors
 * when the first build fails; the next build must not take it for yours).
 */
function foreignOutput(out: string): string | undefined {
  let entries: string[];
  try {
    if (!statSync(out).isDirectory()) return 'is a file, not a folder';
    entries = readdirSync(out).filter((name) => holdsAFile(path.join(out, name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (entries.length === 0) return undefined;
  const shown = entries.sort().slice(0, 3).join(', ');
  return `holds files herald did not write (${shown}${entries.length > 3 ? ', …' : ''})`;
}

/** Whether `entry` is anything but a folder of empty folders (a file, a link, a folder with a file somewhere in it). */
function holdsAFile(entry: string): boolean {
  if (!lstatSync(entry).isDirectory()) return true;
  return readdirSync(entry).some((name) => holdsAFile(path.join(entry, name)));
}
