/**
 * The checkout's assign-ids lock (`../../io/lock-file.ts`): of two runs
 * that start together exactly one gets it; the other is refused at once
 * rather than waiting, because a second assign-ids run has nothing left
 * to do.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { isHeld, tryLock, type HeldLock } from '../../io/lock-file.ts';

/**
 * Takes the lock at `file` or throws `assign-ids-locked` naming its holder.
 * `now` is written into the file for the person who finds it.
 */
export async function acquireLock(file: string, now: Date): Promise<HeldLock> {
  await mkdir(path.dirname(file), { recursive: true });
  const lock = tryLock(file, now);
  if (isHeld(lock)) return lock;
  throw new HeraldError([
    {
      file,
      line: 1,
      column: 1,
      severity: 'error',
      ruleId: 'assign-ids-locked',
      message: `Another assign-ids run holds the lock (${lock.text}); this run changes nothing.`,
      hint: ruleInfo('assign-ids-locked').hint,
    },
  ]);
}
