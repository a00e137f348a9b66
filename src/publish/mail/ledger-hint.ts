/**
 * How to fix a mail ledger the disk refused, fitting the cause (the
 * system's error code): free space for a full disk, a permission for a
 * refusal, another place for a read-only file system or a path that cannot
 * hold the ledger; then how the next run goes on.
 */
const fixes: Record<string, string> = {
  ENOSPC: 'Free space on the disk that holds it',
  EDQUOT: 'Free space within the disk quota of the user running herald, or have the quota raised',
  EFBIG: 'Raise the file size limit of the process running herald (ulimit -f)',
  EACCES: 'Let the user running herald write the ledger and its folder (and enter every folder on the way), or set mail.ledger to a file it may write',
  EPERM: 'Let the user running herald write the ledger and its folder (an immutable or append-only attribute, chattr, refuses it too), or set mail.ledger to a file it may write',
  EROFS: 'Its file system is mounted read-only: remount it read-write, or set mail.ledger to a file on a writable one (state/mail-ledger.jsonl by default)',
  EIO: 'The disk reported an input/output error: check the device (dmesg) before anything else',
  EMFILE: 'Raise the limit of open files of the process running herald (ulimit -n)',
  ENFILE: 'The whole system has too many files open: close some, or raise fs.file-max',
  EISDIR: 'A folder stands where mail.ledger names the ledger file: move it away, or set mail.ledger to another file',
  ENOTDIR: 'A file stands where a folder of mail.ledger\u2019s path goes: move it away, or set mail.ledger to a path under a folder',
  EEXIST: 'A file stands where a folder of mail.ledger\u2019s path goes: move it away, or set mail.ledger to a path under a folder',
  ENOENT: 'Set mail.ledger to a file in a folder herald may create files in (state/mail-ledger.jsonl by default), not under /proc or /sys',
};

/** The hint of `mail-ledger-unwritable` for a failure with `code` while herald tried to `open` the ledger or write to it. */
export function ledgerUnwritableHint(code: string, operation: 'open' | 'write to' | 'sync'): string {
  const fix = fixes[code] ?? 'Make the ledger writable again (mail.ledger names the file)';
  const next =
    operation === 'open'
      ? 'then run herald send again.'
      : 'then run the same herald send with --resume: it sends only what is pending and lists the uncertain messages; add --resend-uncertain to resend those too (same Message-ID).';
  return `${fix}, ${next}`;
}
