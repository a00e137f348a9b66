/**
 * What a process last wrote to or read from one file, kept while the file
 * has the size and mtime it had then: `herald serve --watch` builds again
 * and again, and need not read back what it just wrote.
 */
import { statSync } from 'node:fs';

export class FileMemo<T> {
  private last: { file: string; size: number; mtimeMs: number; value: T } | undefined;

  /** Keeps `value` as what `file` holds now; forgets it when the file cannot be read. */
  remember(file: string, value: T): void {
    try {
      const info = statSync(file);
      this.last = { file, size: info.size, mtimeMs: info.mtimeMs, value };
    } catch {
      this.last = undefined;
    }
  }

  /** Keeps nothing: the next `recall` reads the file. */
  forget(): void {
    this.last = undefined;
  }

  /** The value kept for `file`, while the file is as it was then. */
  recall(file: string): T | undefined {
    const last = this.last;
    if (!last || last.file !== file) return undefined;
    try {
      const info = statSync(file);
      return info.size === last.size && info.mtimeMs === last.mtimeMs ? last.value : undefined;
    } catch {
      return undefined;
    }
  }
}
