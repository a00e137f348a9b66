/** What makes a file a note by its name, in one place. */
import path from 'node:path';

/** A note's extension: `.md` or `.markdown`, in any case. */
export const noteFileExtension = /\.(?:md|markdown)$/i;

/** A note file's name without its folder and extension: `notes/OSSN-0007.md` is `OSSN-0007`. */
export function noteStem(file: string): string {
  return path.basename(file).replace(noteFileExtension, '');
}
