/**
 * Failures of the file system rather than of a note or of herald: a full
 * disk, a quota, a read-only or failing device, a permission taken away,
 * something put in the output folder where herald writes.
 * Every note would fail the same way, so a build reports one located
 * error (`build-write-failed`) instead of a failure per note, or a stack
 * trace.
 */
const reasons: Record<string, string> = {
  ENOSPC: 'no space is left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EIO: 'the device reported an input/output error',
  EFBIG: 'the file would grow past the size limit set for this process (ulimit -f)',
  EACCES: 'permission was denied',
  EPERM: 'the operation was not permitted',
  EMFILE: 'the process has too many files open',
  ENFILE: 'the system has too many files open',
  EISDIR: 'a folder is in the way of a file',
  ENOTDIR: 'a file is in the way of a folder',
  // What mkdir(…, { recursive: true }) says when a file stands where a folder of the path goes.
  EEXIST: 'a file is in the way of a folder',
};

/** The system error code of a file-system failure, or undefined for any other error. */
export function writeFailureCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in reasons ? code : undefined;
}

/** Where herald makes a file's folder and opens it (a ledger), ENOENT is the file system's refusal too. */
const enoent = 'no file can be made in that folder (as under /proc or /sys)';

/**
 * The code of a failure to make a file (its folders, then the file): a
 * write failure, or ENOENT: a folder on its path that cannot be made, or
 * one that takes no new file (/proc, /sys).
 */
export function makeFailureCode(error: unknown): string | undefined {
  return writeFailureCode(error) ?? ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'ENOENT' : undefined);
}

/** What the code means, in words. */
export function writeFailureReason(code: string): string {
  return reasons[code] ?? (code === 'ENOENT' ? enoent : code);
}
