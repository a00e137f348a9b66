/**
 * Resolves an absolute path as a process chrooted to `root` would see it:
 * `..` stops at the root and absolute symlinks point inside the root, so
 * checking an image or container never reads the host's files by accident.
 */
import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';

/** Linux gives up after 40 symlinks (ELOOP); so do we. */
const maxSymlinks = 40;

/** Why a path could not be resolved, for the check's detail. */
export class ResolveError extends Error {
  constructor(
    message: string,
    readonly code: 'ENOENT' | 'ELOOP' | 'ENOTDIR' | 'EACCES' | 'OTHER',
  ) {
    super(message);
  }
}

function errorCode(error: unknown): ResolveError['code'] {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' ? code : 'OTHER';
}

/**
 * The host path of `file` (absolute, as in the checklist) inside `root`,
 * with every symlink followed within the root. Throws `ResolveError` with
 * code ENOENT when a component does not exist.
 */
export async function resolveInRoot(root: string, file: string): Promise<string> {
  const pending = file.split('/').filter((part) => part !== '' && part !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    let stats;
    try {
      stats = await lstat(candidate);
    } catch (error) {
      throw new ResolveError(`${path.posix.join('/', ...resolved, part)}: ${(error as Error).message}`, errorCode(error));
    }
    if (!stats.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    links += 1;
    if (links > maxSymlinks) throw new ResolveError(`${file}: too many levels of symbolic links`, 'ELOOP');
    const target = await readlink(candidate);
    const targetParts = target.split('/').filter((p) => p !== '' && p !== '.');
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...targetParts);
  }
  return path.join(root, ...resolved);
}
