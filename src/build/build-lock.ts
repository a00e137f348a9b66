/**
 * One build at a time per output folder. `herald build`, and each rebuild
 * of `herald serve --watch`, holds `<out>.herald-lock`, a file beside the
 * output folder (where a first build's staging folder goes too). Without
 * it, two builds that overlap rename each other's pending files away and
 * stop with an internal error, the output half updated.
 *
 * A build that finds the lock held waits, says once whom for, and goes on
 * when it is released, reading the cache and the output as the other
 * build left them (often: nothing left to do). A lock left by a process
 * of this machine that no longer runs (killed, or from before a restart)
 * is taken over, and what that build left is undone: its pending files
 * removed, the files it had put in place early given their previous bytes
 * back (`recoverOutput`). The staging folder of a first build that was
 * killed is removed too: once the lock is held, no other build writes one.
 */
import path from 'node:path';
import { holderIsGone, isHeld, removeStaleLock, tryLock, type HeldLock } from '../io/lock-file.ts';
import { makeFolders } from '../io/write-file.ts';
import { previousOutputPrefix } from '../io/write-tree.ts';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { folderError } from './check-folders.ts';
import { recoverOutput, stagingPrefix } from './output-writer.ts';

export interface LockOptions {
  out: string;
  cwd: string;
  now: Date;
  log: (line: string) => void;
  /** How often to look again while another build holds the lock (default 100 ms). */
  pollMs?: number;
}

/** Errors that say the folder beside the output cannot be written at all. */
const folderCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'EEXIST']);

/** The lock file of an output folder. */
export function lockFileOf(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}.herald-lock`;
}

export async function lockOutput(options: LockOptions): Promise<HeldLock> {
  const file = lockFileOf(options.out);
  const shown = path.relative(options.cwd, options.out) || options.out;
  let said = false;
  // Whether a build's lock was found with its process gone: that build may have left files.
  let killed = false;
  for (;;) {
    let result;
    try {
      makeFolders(path.dirname(file));
      result = tryLock(file, options.now);
    } catch (error) {
      // A folder that cannot be written is said as such; a full disk is the build's to say.
      if (!folderCodes.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      throw folderError('output-unwritable', path.dirname(file), error, options.cwd, path.relative(options.cwd, options.out) || '.');
    }
    if (isHeld(result)) {
      clearLeftovers(options);
      if (killed) {
        const found = recoverOutput(options.out);
        if (found > 0) options.log(`herald: the last build of ${shown} was killed before it finished; ${found} file(s) it left in the output put back as they were`);
      }
      return result;
    }
    if (holderIsGone(result)) {
      // Of two builds that find the same stale lock, one removes it; the
      // other then finds the lock the first took (and waits for it).
      const taken = removeStaleLock(file);
      if (taken === 'removed') killed = true;
      if (taken === 'busy') await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    if (!said) {
      options.log(`herald: waiting for another build of ${shown} to finish (${result.text}); if none is running, remove ${path.relative(options.cwd, file)}`);
      said = true;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/** Folders beside the output named `<prefix><pid>-<time>` (`time` as `tail` says), newest first. */
function leftBeside(prefix: string, tail = /^\d+-\d+$/): string[] {
  const folder = path.dirname(prefix);
  const start = path.basename(prefix);
  try {
    return readdirSync(folder)
      .filter((name) => name.startsWith(start) && tail.test(name.slice(start.length)))
      .sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()))
      .map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}

/**
 * What a killed build left beside the output: its staging folders
 * (`OutputWriter.open`), and the previous output it had moved aside to put
 * a first build's folder in its place (`swapIn`): moved back when the
 * output is not there, else removed.
 */
function clearLeftovers(options: LockOptions): void {
  const said = (folder: string) => path.relative(options.cwd, folder);
  for (const folder of leftBeside(stagingPrefix(options.out))) {
    options.log(`herald: removing ${said(folder)}, left by a build that was stopped`);
    rmSync(folder, { recursive: true, force: true });
  }
  // Milliseconds since 1970, 13 digits: not a name people give a backup (`dist.old-2024-01`).
  for (const folder of leftBeside(previousOutputPrefix(options.out), /^\d+-\d{13}$/)) {
    if (!existsSync(options.out)) {
      options.log(`herald: putting back ${said(options.out)} from ${said(folder)}, where a build that was stopped had moved it`);
      renameSync(folder, options.out);
      continue;
    }
    options.log(`herald: removing ${said(folder)}, left by a build that was stopped`);
    rmSync(folder, { recursive: true, force: true });
  }
}
