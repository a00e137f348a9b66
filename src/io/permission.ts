/**
 * Permission refused by the system (EACCES, EPERM): which folder to fix,
 * and the located error for a refusal no command foresaw, so that it says
 * the path and the operation instead of a stack trace.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { ruleInfo } from '../errors/catalog.ts';
import { HeraldError } from '../errors/message.ts';
import { writeFailureReason } from './write-failure.ts';

/** Whether the system refused for want of permission. */
export function isPermissionDenied(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  return (code === 'EACCES' || code === 'EPERM') && typeof path === 'string';
}

/**
 * The folder whose permissions refused an operation in `folder`: the
 * first folder on the way there that may not be entered, else `folder`
 * itself. The system names only the path it was given (EACCES on
 * `dist/site/a/b` when `dist/site` may not be entered); this names the
 * folder to fix.
 */
export function refusingFolder(folder: string): string {
  return unenterableFolder(folder) ?? path.resolve(folder);
}

/** The first folder on the way to `folder`, `folder` included, that may not be entered, if any. */
export function unenterableFolder(folder: string): string | undefined {
  const parts = path.resolve(folder).split(path.sep);
  for (let end = 1; end <= parts.length; end++) {
    const ancestor = parts.slice(0, end).join(path.sep) || path.sep;
    try {
      accessSync(ancestor, constants.X_OK);
    } catch (error) {
      // A folder that is not there refuses nothing: what is missing is said otherwise.
      return isPermissionDenied(error) ? ancestor : undefined;
    }
  }
  return undefined;
}

/** What herald was doing when the system refused, by the failing call. */
const operations: Record<string, string> = {
  open: 'open',
  stat: 'reach',
  lstat: 'reach',
  mkdir: 'make the folder',
  rmdir: 'remove the folder',
  unlink: 'remove',
  rm: 'remove',
  rename: 'rename',
  scandir: 'list the folder',
  opendir: 'list the folder',
  copyfile: 'copy',
  access: 'access',
  chmod: 'change the permissions of',
  utime: 'set the time of',
};

/**
 * `permission-denied`, located at the path the system refused, for a
 * refusal no command turned into a message of its own.
 */
export function permissionDeniedError(error: NodeJS.ErrnoException & { path: string; dest?: string }, cwd: string): HeraldError {
  const shown = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
  const full = path.resolve(cwd, error.path);
  const folder = path.dirname(full);
  const blocked = unenterableFolder(folder);
  // A file that is not there yet was to be made: the folder that holds it refused.
  const creating = error.syscall === 'open' && !blocked && !existsSync(full);
  const operation = creating ? 'create' : (operations[error.syscall ?? ''] ?? 'use');
  const target = error.dest ? `${shown(full)} to ${shown(path.resolve(cwd, error.dest))}` : shown(full);
  const why = blocked ? `; ${shown(blocked)}, on its way, may not be entered` : creating ? `; the folder ${shown(folder)} may not be written` : '';
  const text = `Cannot ${operation} ${target}: ${writeFailureReason(error.code!)} (${error.code})${why}`;
  const info = ruleInfo('permission-denied');
  return new HeraldError([{ file: shown(full), line: 1, column: 1, severity: info.severity, ruleId: 'permission-denied', message: text, hint: info.hint }]);
}
