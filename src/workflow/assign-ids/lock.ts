/**
 * A lock file for one checkout: created with O_EXCL, so of two runs that
 * start together exactly one gets it; the other is refused at once rather
 * than waiting, because a second assign-ids run has nothing left to do.
 */
import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';

export interface HeldLock {
  path: string;
  release(): Promise<void>;
}

/**
 * Takes the lock at `file` or throws `assign-ids-locked` naming its holder.
 * `now` is written into the file for the person who finds it.
 */
export async function acquireLock(file: string, now: Date): Promise<HeldLock> {
  await mkdir(path.dirname(file), { recursive: true });
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = (await readFile(file, 'utf8').catch(() => '')).trim() || 'unknown';
    throw new HeraldError([
      {
        file,
        line: 1,
        column: 1,
        severity: 'error',
        ruleId: 'assign-ids-locked',
        message: `Another assign-ids run holds the lock (${holder}); this run changes nothing.`,
        hint: ruleInfo('assign-ids-locked').hint,
      },
    ]);
  }
  try {
    await handle.writeFile(`pid ${process.pid} on ${hostname()} since ${now.toISOString()}\n`);
  } finally {
    await handle.close();
  }
  return { path: file, release: () => rm(file, { force: true }) };
}
