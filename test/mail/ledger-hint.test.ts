/** The hint of mail-ledger-unwritable fits the cause: space, permission, a read-only file system, a path that cannot hold the ledger. */
import { describe, expect, it } from 'vitest';
import { ledgerUnwritableHint } from '../../src/publish/mail/ledger-hint.ts';

describe('ledgerUnwritableHint', () => {
  it('names the fix for each cause, not always disk space', () => {
    expect(ledgerUnwritableHint('ENOSPC', 'write to')).toMatch(/^Free space on the disk/);
    expect(ledgerUnwritableHint('EACCES', 'open')).toMatch(/^Let the user running herald write the ledger/);
    expect(ledgerUnwritableHint('EROFS', 'sync')).toMatch(/^Its file system is mounted read-only/);
    expect(ledgerUnwritableHint('ENOTDIR', 'open')).toMatch(/^A file stands where a folder/);
    for (const code of ['EACCES', 'EROFS', 'ENOTDIR', 'ENOENT']) expect(ledgerUnwritableHint(code, 'open')).not.toMatch(/space/i);
  });

  it('says how the next run goes on: again when nothing was sent, --resume after a failure mid-run', () => {
    expect(ledgerUnwritableHint('EACCES', 'open')).toMatch(/run herald send again\.$/);
    expect(ledgerUnwritableHint('ENOSPC', 'write to')).toContain('run the same herald send with --resume');
    expect(ledgerUnwritableHint('ESOMETHING', 'sync')).toMatch(/^Make the ledger writable again/);
  });
});
