/**
 * Why a note file could not be read, in words for its `file-unreadable`
 * message: a broken symbolic link names where it points, since the path
 * itself is there and "no such file" would puzzle whoever looks.
 */
import { lstatSync, readlinkSync } from 'node:fs';

export function unreadableReason(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    try {
      if (lstatSync(file).isSymbolicLink()) return `The file is a symbolic link to ${readlinkSync(file)}, which does not exist; point the link at the note or remove it`;
    } catch {
      // Gone altogether: said below.
    }
  }
  return `Cannot read the file: ${(error as Error).message}`;
}
