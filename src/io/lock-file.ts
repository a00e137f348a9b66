/**
 * Lock files: created with O_EXCL, so of two processes that try at once
 * exactly one holds the lock. The file says who holds it (`pid N on HOST
 * since TIME`), for the other process and for a person who finds it. A
 * lock whose holder is gone is removed under a second lock
 * (`removeStaleLock`), so that it is taken over once.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface HeldLock {
  path: string;
  release(): void;
}

/** Who holds a lock, as its file says. */
export interface LockHolder {
  /** Who holds it, as people read it (pid, host, since), or `unknown` when the file is empty or gone. */
  text: string;
  pid?: number;
  host?: string;
  /** The boot of the machine it was taken in, where known. */
  boot?: string;
}

/** Takes the lock at `file` (its folder must exist), or says who holds it. */
export function tryLock(file: string, now: Date): HeldLock | LockHolder {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return holderOf(file);
  }
  try {
    const boot = bootId();
    writeSync(fd, `pid ${process.pid} on ${hostname()} since ${now.toISOString()}${boot ? `, boot ${boot}` : ''}\n`);
  } catch (error) {
    // A lock that names no holder (a full disk) would hold up every run after this one.
    closeSync(fd);
    rmSync(file, { force: true });
    throw error;
  }
  closeSync(fd);
  return { path: file, release: () => rmSync(file, { force: true }) };
}

export function isHeld(result: HeldLock | LockHolder): result is HeldLock {
  return 'release' in result;
}

function holderOf(file: string): LockHolder {
  let text = '';
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    // Released between the two calls: the next try will tell.
  }
  // A bare pid: the mail ledger's lock as herald wrote it before it named host and time; always this machine's.
  if (/^\d+$/.test(text)) return { text: `pid ${text}`, pid: Number(text), host: hostname() };
  const match = /^(pid (\d+) on (\S+) since \S+?)(?:, boot (\S+))?$/.exec(text);
  // Shown to people without the boot id, which only the check below reads.
  return { text: match?.[1] ?? (text || 'unknown'), ...(match ? { pid: Number(match[2]), host: match[3], ...(match[4] ? { boot: match[4] } : {}) } : {}) };
}

/** This boot of the machine (Linux), so that a lock taken before a restart is known to be gone even if its pid runs again. */
function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when the holder is a process of this machine that no longer runs
 * (a run killed, or a machine restarted, leaves its lock behind). A holder
 * on another machine (a shared folder) is never taken for gone.
 */
export function holderIsGone(holder: LockHolder): boolean {
  if (holder.pid === undefined || holder.host !== hostname()) return false;
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A takeover lasts microseconds: a guard older than this was left by a process killed during one. */
const abandonedGuardMs = 60_000;

/**
 * Removes the lock at `file` when its holder is gone (`holderIsGone`). Of
 * two processes that find the same stale lock at once, only one removes
 * it: each takes `<file>.takeover` first (O_EXCL) and reads the lock again
 * under it, so the second finds the lock the first has taken anew, whose
 * holder runs, and leaves it (`kept`). `busy` when another process is
 * taking the lock over right now: look again shortly.
 */
export function removeStaleLock(file: string, now = Date.now()): 'removed' | 'kept' | 'busy' {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (now - statSync(guard).mtimeMs > abandonedGuardMs) rmSync(guard, { force: true });
    } catch {
      // Gone already: the takeover finished.
    }
    return 'busy';
  }
  closeSync(fd);
  try {
    if (!holderIsGone(holderOf(file))) return 'kept';
    rmSync(file, { force: true });
    return 'removed';
  } finally {
    rmSync(guard, { force: true });
  }
}
