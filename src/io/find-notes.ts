/**
 * Expands the paths a user names (files or folders) into note files,
 * sorted, so every command sees the notes in the same order.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
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

/**
 * Note files under `dir`. A symbolic link counts as what it points to (a
 * note kept elsewhere and linked in is a note); a folder reached twice
 * through links is walked once. A broken link named like a note is kept:
 * reading it fails, and says so (`file-unreadable`), where leaving it out
 * would drop a published note from every output without a word. A folder
 * that cannot be listed is kept in `unreadable`, and the walk goes on, so
 * that every such folder is named at once.
 */
async function walk(dir: string, out: string[], unreadable: UnreadableFolder[], seen = new Set<string>()): Promise<void> {
  let entries;
  try {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    unreadable.push({ dir, error: error as NodeJS.ErrnoException });
    return;
  }
  // By name: of two ways to one folder, the same one wins on every machine.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (kind?.isDirectory()) await walk(full, out, unreadable, seen);
    else if ((kind === undefined || kind.isFile()) && isNoteName(entry.name)) out.push(full);
  }
}

/** A note's name: Markdown, and not the folder's README. */
function isNoteName(name: string): boolean {
  return noteFileExtension.test(name) && name.toLowerCase() !== 'readme.md';
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
 * UsageError for a missing path, a HeraldError naming every folder that
 * could not be listed (`notes-folder-unreadable`); with `emptyFolders`, a
 * warning there for every folder given that holds no note.
 */
export async function findNoteFiles(paths: readonly string[], cwd: string, options: FindOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const empty: string[] = [];
  const unreadable: UnreadableFolder[] = [];
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
      await walk(full, out, unreadable);
      if (out.length === before && unreadable.length === unreadableBefore) empty.push(given);
    } else out.push(full);
  }
  // A folder that could not be read explains the notes missing from it: said before any folder found empty.
  if (unreadable.length > 0) throw new HeraldError(unreadable.map(({ dir, error }) => unreadableFolderMessage(dir, error, cwd)));
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
