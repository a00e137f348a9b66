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
import { holderIsGone, isHeld, tryLock, type HeldLock } from '../io/lock-file.ts';
import { makeFolders } from '../io/write-file.ts';
import { readdirSync, rmSync } from 'node:fs';
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
      removeStaleStaging(options);
      if (killed) {
        const found = recoverOutput(options.out);
        if (found > 0) options.log(`herald: the last build of ${shown} was killed before it finished; ${found} file(s) it left in the output put back as they were`);
      }
      return result;
    }
    if (holderIsGone(result)) {
      // Two builds that find the same stale lock may both remove it, the
      // second perhaps after the first took it anew; rare, and no worse
      // than two builds without a lock.
      rmSync(file, { force: true });
      killed = true;
      continue;
    }
    if (!said) {
      options.log(`herald: waiting for another build of ${shown} to finish (${result.text}); if none is running, remove ${path.relative(options.cwd, file)}`);
      said = true;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/** The staging folders (`OutputWriter.open`) a killed first build left beside the output. */
function removeStaleStaging(options: LockOptions): void {
  const prefix = stagingPrefix(options.out);
  const folder = path.dirname(prefix);
  const start = path.basename(prefix);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.startsWith(start) && /^\d+-\d+$/.test(name.slice(start.length)));
  } catch {
    return;
  }
  for (const name of names) {
    options.log(`herald: removing ${path.relative(options.cwd, path.join(folder, name))}, left by a build that was stopped`);
    rmSync(path.join(folder, name), { recursive: true, force: true });
  }
}
