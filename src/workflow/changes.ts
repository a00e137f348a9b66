/**
 * Which notes a change touches, whether the list comes from `git diff` (a
 * local branch, the job summary) or from GitHub's list of a pull request's
 * files (the PR comment). Pure: parsing and filtering only.
 */
import path from 'node:path';
import { noteFileExtension } from '../io/note-file.ts';

export type ChangeStatus = 'added' | 'modified' | 'renamed' | 'removed';

export interface ChangedFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  status: ChangeStatus;
  previousPath?: string;
}


/**
 * True for a note under `notesDir` (relative, forward slashes): Markdown
 * files, not dot-files (the `.last-id` guard), not a README.
 */
export function isNotePath(file: string, notesDir: string): boolean {
  const dir = notesDir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const inside = dir === '' || dir === '.' ? file : file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : undefined;
  if (inside === undefined) return false;
  const segments = inside.split('/');
  const base = segments.at(-1)!;
  return noteFileExtension.test(base) && !segments.some((s) => s.startsWith('.')) && base.toLowerCase() !== 'readme.md';
}

/**
 * Parses `git diff --name-status -z -M` output. Copies count as additions;
 * type changes as modifications.
 */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++];
    if (!code) continue;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const from = fields[i++]!;
      const to = fields[i++]!;
      files.push(letter === 'R' ? { path: to, status: 'renamed', previousPath: from } : { path: to, status: 'added' });
      continue;
    }
    const file = fields[i++]!;
    files.push({ path: file, status: letter === 'A' ? 'added' : letter === 'D' ? 'removed' : 'modified' });
  }
  return files;
}

/** GitHub's statuses (`added`, `removed`, `modified`, `renamed`, `copied`, `changed`, `unchanged`) in herald's terms. */
export function fromGithubStatus(file: { filename: string; status: string; previousFilename?: string }): ChangedFile {
  switch (file.status) {
    case 'added':
    case 'copied':
      return { path: file.filename, status: 'added' };
    case 'removed':
      return { path: file.filename, status: 'removed' };
    case 'renamed':
      return { path: file.filename, status: 'renamed', ...(file.previousFilename ? { previousPath: file.previousFilename } : {}) };
    default:
      return { path: file.filename, status: 'modified' };
  }
}

/** The changed notes under `notesDir`, sorted by path. */
export function changedNotes(files: readonly ChangedFile[], notesDir: string): ChangedFile[] {
  return files.filter((f) => isNotePath(f.path, notesDir)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `notesDir` as given on the command line, relative to `cwd`, with forward slashes. */
export function relativeNotesDir(cwd: string, notesDir: string): string {
  return path.relative(cwd, path.resolve(cwd, notesDir)).split(path.sep).join('/') || '.';
}
