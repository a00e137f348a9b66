/**
 * Expands the paths a user names (files or folders) into note files,
 * sorted, so every command sees the notes in the same order.
 */
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import { ruleInfo } from '../errors/catalog.ts';
import { HeraldError, UsageError, type HeraldMessage } from '../errors/message.ts';
import { noteFileExtension } from './note-file.ts';
import { unenterableFolder } from './permission.ts';
import { writeFailureCode, writeFailureReason } from './write-failure.ts';

/** A folder the walk could not read (permissions, mostly), and the system's error. */
interface UnreadableFolder {
  dir: string;
  error: NodeJS.ErrnoException;
}

/** A link out of where herald reads notes: the link, where it points (as written), and whether it is a folder's. */
interface OutsideLink {
  link: string;
  target: string;
  folder: boolean;
}

/** What the walk of one folder given gathers. */
interface Walk {
  /** The real path of the folder given: folder links are followed only within it. */
  root: string;
  out: string[];
  unreadable: UnreadableFolder[];
  /** Named like notes but neither files nor folders (a FIFO, a socket, a device): never opened. */
  special: { file: string; what: string }[];
  /** The real path of the folder herald runs in: a link to a note file may point anywhere inside it, or inside `root`. */
  project: string;
  /** Links to folders outside the folder given, and to note files outside it and the project: not walked, never opened. */
  outside: OutsideLink[];
  seen: Set<string>;
}

/**
 * Note files under `dir`. A symbolic link to a file counts as what it
 * points to (a note kept elsewhere in the project and linked in is a
 * note), unless it leads out of both the folder given and the project,
 * when it is never opened and is said (`outside`); a link to a
 * folder is followed only when the folder is inside the folder given (a
 * link out of it, to `/` say, would walk whatever it leads to), and a
 * folder reached twice is walked once. A broken link named like a note is
 * kept: reading it fails, and says so (`file-unreadable`), where leaving it
 * out would drop a published note from every output without a word. What
 * is named like a note but is no file (a FIFO, which would block whoever
 * opens it; a socket; a device) is kept in `special`, never opened; a
 * link out in `outside`; a folder that cannot be listed in
 * `unreadable`; and the walk goes on, so that every one is named at once.
 */
async function walk(dir: string, real: string, state: Walk): Promise<void> {
  if (state.seen.has(real)) return;
  state.seen.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    state.unreadable.push({ dir, error: error as NodeJS.ErrnoException });
    return;
  }
  // By name: of two ways to one folder, the same one wins on every machine.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (isSkippedName(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const link = entry.isSymbolicLink();
    const kind = link ? await stat(full).catch(() => undefined) : entry;
    if (kind?.isDirectory()) {
      let target = path.join(real, entry.name);
      if (link) {
        try {
          target = await realpath(full);
        } catch (error) {
          if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
          state.unreadable.push({ dir: full, error: error as NodeJS.ErrnoException });
          continue;
        }
        if (!isInside(target, state.root)) {
          state.outside.push({ link: full, target: await readlink(full).catch(() => target), folder: true });
          continue;
        }
      }
      await walk(full, target, state);
    } else if (isNoteName(entry.name)) {
      if (kind !== undefined && !kind.isFile()) state.special.push({ file: full, what: specialKind(kind) });
      else if (link && kind && !(await linksWithin(full, state))) state.outside.push({ link: full, target: await readlink(full).catch(() => full), folder: false });
      else state.out.push(full);
    }
  }
}

/**
 * Whether a link to a note file leads inside the folder given or the
 * project: a link out of both (`/proc/self/environ`, `~/.ssh/id_rsa`,
 * added by a pull request) would have herald read a file of the machine it
 * runs on, and quote it in its messages or publish it.
 */
async function linksWithin(link: string, state: Walk): Promise<boolean> {
  const target = await realpath(link).catch(() => undefined);
  return target !== undefined && (isInside(target, state.root) || isInside(target, state.project));
}

/** Whether `file` is `folder` or inside it (both real paths). */
function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** What a file that is neither a regular file nor a folder is, in words. */
function specialKind(kind: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (kind.isFIFO()) return 'a FIFO (named pipe)';
  if (kind.isSocket()) return 'a socket';
  if (kind.isCharacterDevice()) return 'a character device';
  if (kind.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Names the walk passes over, files and folders alike: hidden ones (an editor's swap and lock files, `.git`, `.obsidian`) and `node_modules`. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** A note's name: Markdown, and not the folder's README. */
export function isNoteName(name: string): boolean {
  return noteFileExtension.test(name) && name.toLowerCase() !== 'readme.md';
}

/** Whether the walk of `folder` finds a note at `file` (both relative to `cwd`): a note's name, inside the folder, in no folder it passes over. */
export function isInNotesFolder(file: string, folder: string, cwd: string): boolean {
  const inside = path.relative(path.resolve(cwd, folder), path.resolve(cwd, file));
  if (inside === '' || path.isAbsolute(inside)) return false;
  const parts = inside.split(path.sep);
  // `..`, the way out of the folder, is a hidden name too.
  return !parts.some(isSkippedName) && isNoteName(parts.at(-1)!);
}

/** A linked file that exists but is no note the build reads, and why (said instead of "no note has that path"). */
export interface NotANote {
  why: string;
  hint: string;
}

/**
 * A link's target that has a note's name and is a file, but lies where the
 * build does not read notes (outside `folders`, or in a folder its walk
 * skips): most likely a note of a folder the build is given with
 * `--notes`. Said so by lint and the build alike, instead of "no note has
 * that path"; the file is never read (it may be anywhere).
 */
export function noteOutsideFolders(target: string, folders: readonly string[], cwd: string): NotANote | undefined {
  if (!isNoteName(path.posix.basename(target)) || folders.some((folder) => isInNotesFolder(target, folder, cwd))) return undefined;
  if (!statSync(path.resolve(cwd, target), { throwIfNoEntry: false })?.isFile()) return undefined;
  const named = folders.map((folder) => `${path.posix.normalize(folder.split(path.sep).join('/'))}/`).join(', ');
  return { why: `the build reads notes from ${named} and does not find this file there`, hint: `Notes kept in another folder are read with --notes: give lint and the build the folder that holds them (\`--notes DIR\`), or link a note inside ${named}.` };
}

export interface FindOptions {
  /**
   * Where to say that a folder named holds no note (`notes-folder-empty`,
   * a warning): for `herald lint` and `herald build`, where checking or
   * publishing nothing is most often a wrong path (and in a new repository,
   * the state before its first note).
   */
  emptyFolders?: HeraldMessage[];
}

/**
 * Note files under `paths`, relative to `cwd` when inside it; throws
 * UsageError for a missing path, and a HeraldError naming at once every
 * folder that could not be listed (`notes-folder-unreadable`), everything
 * named like a note that is no file (`file-unreadable`), every folder
 * link out of the folder given and every note file link out of it and of
 * `cwd` (`notes-link-outside`); with `emptyFolders`,
 * a warning there for every folder given that holds no note.
 */
export async function findNoteFiles(paths: readonly string[], cwd: string, options: FindOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const empty: string[] = [];
  const unreadable: UnreadableFolder[] = [];
  const special: Walk['special'] = [];
  const outside: Walk['outside'] = [];
  const project = await realpath(cwd).catch(() => path.resolve(cwd));
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    let info;
    try {
      info = await stat(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || typeof code !== 'string') throw missingPath(given, cwd);
      // Not that it is missing: a folder on its way may not be entered (EACCES).
      unreadable.push({ dir: full, error: error as NodeJS.ErrnoException });
      continue;
    }
    if (info.isDirectory()) {
      const before = out.length;
      const unreadableBefore = unreadable.length;
      let root;
      try {
        root = await realpath(full);
      } catch (error) {
        if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
        unreadable.push({ dir: full, error: error as NodeJS.ErrnoException });
        continue;
      }
      await walk(full, root, { root, project, out, unreadable, special, outside, seen: new Set() });
      if (out.length === before && unreadable.length === unreadableBefore) empty.push(given);
    } else if (info.isFile()) out.push(full);
    // Never opened: a FIFO would block whoever reads it.
    else special.push({ file: full, what: specialKind(info) });
  }
  // A folder that could not be read explains the notes missing from it: no folder is said to be empty then.
  if (unreadable.length > 0 || special.length > 0 || outside.length > 0) {
    throw new HeraldError([
      ...unreadable.map(({ dir, error }) => unreadableFolderMessage(dir, error, cwd)),
      ...special.map(({ file, what }) => specialFileMessage(file, what, cwd)),
      ...outside.map((link) => outsideLinkMessage(link, paths, cwd)),
    ]);
  }
  if (options.emptyFolders) options.emptyFolders.push(...(await Promise.all(empty.map((given) => emptyFolderMessage(given, cwd)))));
  return [...new Set(out)].map((file) => notePath(file, cwd)).sort();
}

/** What herald was doing when the system refused, by the failing call. */
const operations: Record<string, string> = { scandir: 'list the folder', opendir: 'list the folder', realpath: 'resolve the path of the folder', stat: 'reach', lstat: 'reach' };

/** `notes-folder-unreadable`: the folder, what herald tried (list it, reach it), and the system's reason. */
function unreadableFolderMessage(dir: string, error: NodeJS.ErrnoException, cwd: string): HeraldMessage {
  const shown = notePath(dir, cwd) || '.';
  const code = error.code!;
  const operation = operations[error.syscall ?? ''] ?? 'read the folder';
  const reason = writeFailureCode(error) ? `${writeFailureReason(code)} (${code})` : error.message;
  // A path that cannot be reached for want of permission: a folder on its way may not be entered.
  const blocked = operation === 'reach' && (code === 'EACCES' || code === 'EPERM') ? unenterableFolder(path.dirname(dir)) : undefined;
  const where = blocked ? `; ${notePath(blocked, cwd) || '.'}, on its way, may not be entered` : '';
  const text = `Cannot ${operation} ${shown}: ${reason}${where}`;
  return { file: shown, line: 1, column: 1, severity: ruleInfo('notes-folder-unreadable').severity, ruleId: 'notes-folder-unreadable', message: text, hint: ruleInfo('notes-folder-unreadable').hint };
}

/** `file-unreadable` for a file named like a note that is no file: what it is, and that herald left it unopened. */
function specialFileMessage(file: string, what: string, cwd: string): HeraldMessage {
  const shown = notePath(file, cwd);
  const text = `The file is ${what}, not a regular file: herald does not open it (a FIFO would wait for a writer), so it cannot be a note; put the note's text in a file there, or remove it`;
  return { file: shown, line: 1, column: 1, severity: ruleInfo('file-unreadable').severity, ruleId: 'file-unreadable', message: text, hint: ruleInfo('file-unreadable').hint };
}

/** `notes-link-outside` for a link to a folder outside the notes folder given, or to a note file outside it and the project: the link, where it points, and the fix. */
function outsideLinkMessage({ link, target, folder }: OutsideLink, paths: readonly string[], cwd: string): HeraldMessage {
  const shown = notePath(link, cwd);
  const given = paths.find((each) => isInside(path.resolve(link), path.resolve(cwd, each))) ?? paths[0] ?? '.';
  const notes = notePath(given, cwd) || '.';
  const text = folder
    ? `${shown} is a symbolic link to the folder ${target}, outside ${notes}: herald follows folder links only within the notes folder, so the notes under it would be left out; move that folder into ${notes}, or remove the link`
    : `${shown} is a symbolic link to the file ${target}, outside ${notes} and outside the project folder ${cwd}: herald does not read it, so that a link in the notes cannot make it read a file elsewhere on the machine; move the note into ${notes}, or remove the link`;
  const info = ruleInfo('notes-link-outside');
  return { file: shown, line: 1, column: 1, severity: info.severity, ruleId: 'notes-link-outside', message: text, hint: info.hint };
}

/** `notes-folder-empty` for a folder given that holds no note, saying what it holds instead. */
async function emptyFolderMessage(given: string, cwd: string): Promise<HeraldMessage> {
  const shown = notePath(given, cwd) || '.';
  const names = (await readdir(path.resolve(cwd, given)).catch(() => [] as string[])).filter((name) => !name.startsWith('.')).sort();
  const held = names.length === 0 ? 'it is empty' : `it holds only ${names.slice(0, 3).join(', ')}${names.length > 3 ? `, … (${names.length} entries)` : ''}`;
  const text = `The folder ${shown} holds no note (a .md or .markdown file other than README.md, in it or in a sub-folder): ${held}`;
  return { file: shown, line: 1, column: 1, severity: ruleInfo('notes-folder-empty').severity, ruleId: 'notes-folder-empty', message: text, hint: ruleInfo('notes-folder-empty').hint };
}

/** The usage error for a path to notes that does not exist; for a folder, where herald expects to run. */
export function missingPath(given: string, cwd: string): UsageError {
  const folderHint = noteFileExtension.test(given) ? '' : '; run herald in the folder that holds the notes folder and herald.config.yaml, or name the notes folder (--notes DIR; herald lint DIR)';
  return new UsageError(`no such file or folder: ${given} (in ${cwd})${folderHint}`);
}

/** A note file's path as `findNoteFiles` gives it: relative to `cwd` when inside it, else absolute. */
export function notePath(file: string, cwd: string): string {
  const full = path.resolve(cwd, file);
  const relative = path.relative(cwd, full);
  return relative.startsWith('..') || path.isAbsolute(relative) ? full : relative;
}
