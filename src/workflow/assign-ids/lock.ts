/**
 * The checkout's assign-ids lock (`../../io/lock-file.ts`): of two runs
 * that start together exactly one gets it; the other is refused at once
 * rather than waiting, because a second assign-ids run has nothing left
 * to do.
 */
import path from 'node:path';
import { ruleInfo, type RuleId } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { isHeld, tryLock, type HeldLock, type LockHolder } from '../../io/lock-file.ts';
import { isPermissionDenied } from '../../io/permission.ts';
import { makeFolders } from '../../io/write-file.ts';
import { makeFailureCode, writeFailureReason } from '../../io/write-failure.ts';

/**
 * Takes the lock at `file` or throws `assign-ids-locked` naming its holder;
 * a lock that cannot be made (a file where its folder goes, a full disk)
 * is `assign-ids-lock-unwritable`, a permission refused `permission-denied`.
 * `now` is written into the file for the person who finds it.
 */
export async function acquireLock(file: string, now: Date): Promise<HeldLock> {
  let lock: HeldLock | LockHolder;
  try {
    // Not Node's recursive mkdir: under /proc it never returns.
    makeFolders(path.dirname(file));
    lock = tryLock(file, now);
  } catch (error) {
    const code = isPermissionDenied(error) ? undefined : makeFailureCode(error);
    if (code === undefined) throw error;
    throw lockError(file, 'assign-ids-lock-unwritable', `The lock cannot be made: ${writeFailureReason(code)} (${code}); nothing was changed.`);
  }
  if (isHeld(lock)) return lock;
  throw lockError(file, 'assign-ids-locked', `Another assign-ids run holds the lock (${lock.text}); this run changes nothing.`);
}

function lockError(file: string, ruleId: RuleId, message: string): HeraldError {
  return new HeraldError([{ file, line: 1, column: 1, severity: 'error', ruleId, message, hint: ruleInfo(ruleId).hint }]);
}
