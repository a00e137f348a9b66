/**
 * Expands the paths a user names (files or folders) into note files,
 * sorted, so every command sees the notes in the same order.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ruleInfo } from '../errors/catalog.ts';
import { HeraldError, UsageError, type HeraldMessage } from '../errors/message.ts';
import { noteFileExtension } from './note-file.ts';

/**
 * Note files under `dir`. A symbolic link counts as what it points to (a
 * note kept elsewhere and linked in is a note); a folder reached twice
 * through links is walked once. A broken link named like a note is kept:
 * reading it fails, and says so (`file-unreadable`), where leaving it out
 * would drop a published note from every output without a word.
 */
async function walk(dir: string, out: string[], seen = new Set<string>()): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  // By name: of two ways to one folder, the same one wins on every machine.
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (kind?.isDirectory()) await walk(full, out, seen);
    else if ((kind === undefined || kind.isFile()) && isNoteName(entry.name)) out.push(full);
  }
}

/** A note's name: Markdown, and not the folder's README. */
function isNoteName(name: string): boolean {
  return noteFileExtension.test(name) && name.toLowerCase() !== 'readme.md';
}

export interface FindOptions {
  /**
   * A folder named that holds no note is an error (`notes-folder-empty`):
   * for `herald lint` and `herald build`, where checking or publishing
   * nothing is a wrong path, not a success.
   */
  refuseEmptyFolders?: boolean;
}

/**
 * Note files under `paths`, relative to `cwd` when inside it; throws
 * UsageError for a missing path, and with `refuseEmptyFolders` a
 * HeraldError naming every folder given that holds no note.
 */
export async function findNoteFiles(paths: readonly string[], cwd: string, options: FindOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const empty: string[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw missingPath(given, cwd);
    if (info.isDirectory()) {
      const before = out.length;
      await walk(full, out);
      if (out.length === before) empty.push(given);
    } else out.push(full);
  }
  if (options.refuseEmptyFolders && empty.length > 0) throw new HeraldError(await Promise.all(empty.map((given) => emptyFolderMessage(given, cwd))));
  return [...new Set(out)].map((file) => notePath(file, cwd)).sort();
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
