/**
 * The delivery ledger: an append-only JSON-lines file replayed at start.
 * Keyed by (edition, recipient), a delivery goes pending → sending → sent
 * | failed. `sending` is on disk (fdatasync) before the message is handed
 * to the server and `sent` is written only after its 250 reply, so after
 * a crash a `sending` entry is exactly a message whose fate is unknown.
 *
 * Records are written with a synchronous write(2) as they happen, so a
 * killed process loses none of them; fdatasync, the slow part, is shared
 * by every record written since the last one (group commit).
 *
 * When the disk refuses a write or a sync (full, read-only, failing), the
 * ledger takes no record more in this run: every later `append` and
 * `sync` throws the same `LedgerUnwritable`, so nothing is sent that the
 * ledger could not account for, and a torn record can only be the last
 * line, which the next start cuts off.
 */
import { closeSync, existsSync, fdatasync, openSync, readFileSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { makeFailureCode, writeFailureCode, writeFailureReason } from '../../io/write-failure.ts';
import { makeFolders } from '../../io/write-file.ts';
import { holderIsGone, isHeld, removeStaleLock, tryLock } from '../../io/lock-file.ts';

const fdatasyncAsync = promisify(fdatasync);

/** Where a delivery stands. */
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

/** One line of the ledger. `retry` records a transient failure; the delivery stays `sending`. */
export interface LedgerRecord {
  /** When it was written (ISO). */
  at: string;
  /** `OSSN-0007 r2`, see `editionLabel`. */
  edition: string;
  to?: string;
  state: DeliveryState | 'retry' | 'edition';
  /** The audience (list) the recipient was reached through. */
  list?: string;
  messageId?: string;
  attempts?: number;
  /** The server's reply, or the error, as received. */
  reply?: string;
  /** On an `edition` record: the Date: header every message of the edition carries. */
  date?: string;
}

/** The replayed state of one (edition, recipient). */
export interface DeliveryStatus {
  state: DeliveryState;
  attempts: number;
  reply?: string;
  list?: string;
}

/**
 * The disk refused the ledger a write or a sync. The run stops at once:
 * what the ledger does not record as `sent` is pending or, if it was
 * handed to the server, uncertain, as after a crash.
 */
export class LedgerUnwritable extends Error {
  /** The system's error code (ENOSPC, EROFS, EIO...). */
  readonly code: string;
  /** The ledger as the config names it; what herald tried: `open`, `write to` or `sync`. */
  constructor(readonly shownAs: string, readonly operation: 'open' | 'write to' | 'sync', cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
    super(`Could not ${operation} the mail ledger ${shownAs}: ${writeFailureReason(code)} (${code})`);
    this.name = 'LedgerUnwritable';
    this.code = code;
  }
}

/**
 * True for an error the file system raised (a full disk, a read-only one...),
 * as opposed to a bug. Opening, ENOENT is one too: a folder on the ledger's
 * path that cannot be made, or one that takes no new file (/proc, /sys).
 */
function isFileSystemFailure(error: unknown, opening = false): boolean {
  return (opening ? makeFailureCode(error) : writeFailureCode(error)) !== undefined;
}

const keyOf = (edition: string, to: string) => `${edition}\u0000${to.toLowerCase()}`;

/** The open ledger of one run. */
export class Ledger {
  readonly file: string;
  /** Undefined for a read-only ledger (a dry run). */
  private readonly fd: number | undefined;
  private readonly lockFile: string | undefined;
  private readonly deliveries = new Map<string, DeliveryStatus>();
  private readonly editionDates = new Map<string, string>();
  private readonly editionMessageIds = new Map<string, string>();
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;
  private buffered = '';
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Set once the disk refused a write or a sync: nothing more is written. */
  private failure: LedgerUnwritable | undefined;
  private readonly shownAs: string;

  private constructor(file: string, fd: number | undefined, lockFile: string | undefined, shownAs: string) {
    this.file = file;
    this.fd = fd;
    this.lockFile = lockFile;
    this.shownAs = shownAs;
  }

  /**
   * Opens (creating) the ledger at `file`, takes its lock and replays it.
   * `shownAs` is the path used in messages.
   */
  static open(file: string, shownAs: string): Ledger {
    return Ledger.openWith(file, shownAs, false);
  }

  /** Replays the ledger without locking or creating anything, for `--dry-run`; `append` then throws. */
  static readOnly(file: string, shownAs: string): Ledger {
    return Ledger.openWith(file, shownAs, true);
  }

  private static openWith(file: string, shownAs: string, readOnly: boolean): Ledger {
    if (readOnly) {
      const ledger = new Ledger(file, undefined, undefined, shownAs);
      if (existsSync(file)) ledger.replay(readFileSync(file, 'utf8'), shownAs);
      return ledger;
    }
    const lockFile = `${file}.lock`;
    try {
      // Not Node's recursive mkdir: under /proc it never returns.
      makeFolders(path.dirname(file));
      takeLock(lockFile, shownAs);
    } catch (error) {
      throw isFileSystemFailure(error, true) ? new LedgerUnwritable(shownAs, 'open', error) : error;
    }
    try {
      let bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
      // A torn last line (the process was killed mid-write) held nothing that was acted on: cut it off.
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end < bytes.length) {
        truncateSync(file, end);
        bytes = bytes.subarray(0, end);
      }
      const ledger = new Ledger(file, openSync(file, 'a'), lockFile, shownAs);
      ledger.replay(bytes.toString('utf8'), shownAs);
      return ledger;
    } catch (error) {
      unlinkSync(lockFile);
      throw isFileSystemFailure(error, true) ? new LedgerUnwritable(shownAs, 'open', error) : error;
    }
  }

  private replay(text: string, shownAs: string): void {
    const lines = text.split('\n');
    const last = text.endsWith('\n') ? lines.length - 1 : lines.length;
    for (let index = 0; index < last; index += 1) {
      const line = lines[index]!;
      if (line.trim() === '') continue;
      let record: LedgerRecord;
      try {
        record = JSON.parse(line) as LedgerRecord;
      } catch {
        if (index === lines.length - 1) continue;
        throw new HeraldError([
          { file: shownAs, line: index + 1, column: 1, severity: 'error', ruleId: 'mail-ledger-corrupt', message: 'This ledger line is not valid JSON', hint: ruleInfo('mail-ledger-corrupt').hint },
        ]);
      }
      this.apply(record);
    }
  }

  private apply(record: LedgerRecord): void {
    if (record.state === 'edition') {
      if (record.date && !this.editionDates.has(record.edition)) this.editionDates.set(record.edition, record.date);
      if (record.messageId && !this.editionMessageIds.has(record.edition)) this.editionMessageIds.set(record.edition, record.messageId);
      return;
    }
    if (!record.to) return;
    const key = keyOf(record.edition, record.to);
    const previous = this.deliveries.get(key);
    const status: DeliveryStatus = { state: record.state === 'retry' ? 'sending' : record.state, attempts: record.attempts ?? previous?.attempts ?? 0 };
    if (record.reply !== undefined) status.reply = record.reply;
    const list = record.list ?? previous?.list;
    if (list !== undefined) status.list = list;
    this.deliveries.set(key, status);
  }

  status(edition: string, to: string): DeliveryStatus | undefined {
    return this.deliveries.get(keyOf(edition, to));
  }

  /** Every recorded delivery of an edition. */
  deliveriesOf(edition: string): { to: string; status: DeliveryStatus }[] {
    const prefix = `${edition}\u0000`;
    return [...this.deliveries].filter(([key]) => key.startsWith(prefix)).map(([key, status]) => ({ to: key.slice(prefix.length), status }));
  }

  /** The Message-ID an edition was first mailed with: updates reply to the original's, whatever the note says now. */
  editionMessageId(edition: string): string | undefined {
    return this.editionMessageIds.get(edition);
  }

  /** The Date: of an edition's first run, so a resumed run sends the very same message. */
  editionDate(edition: string): string | undefined {
    return this.editionDates.get(edition);
  }

  /**
   * Writes records now: they survive the process being killed, and are
   * durable after `sync()`. With `soon`, they wait (at most a few
   * milliseconds, and never past the next plain append or sync) to share
   * one write with their neighbours: for `sent` records, whose loss in a
   * crash only makes a delivered message look uncertain.
   */
  append(records: readonly LedgerRecord[], options: { soon?: boolean } = {}): void {
    if (records.length === 0) return;
    if (this.failure) throw this.failure;
    if (this.closed || this.fd === undefined) throw new Error('ledger is closed or read-only');
    for (const record of records) {
      this.apply(record);
      this.buffered += `${JSON.stringify(record)}\n`;
    }
    if (!options.soon) return this.flush();
    // A failure here is kept and thrown by the next append or sync: a timer has no one to throw to.
    this.flushTimer ??= setTimeout(() => {
      try {
        this.flush();
      } catch {
        // kept in this.failure
      }
    }, 5);
  }

  /** The disk refused `operation`: keep the error, write nothing more, and throw it. */
  private fail(operation: 'write to' | 'sync', error: unknown): never {
    if (!isFileSystemFailure(error)) throw error;
    this.failure ??= new LedgerUnwritable(this.shownAs, operation, error);
    this.buffered = '';
    throw this.failure;
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.failure) throw this.failure;
    if (this.buffered === '' || this.fd === undefined) return;
    const bytes = Buffer.from(this.buffered);
    this.buffered = '';
    try {
      // write(2) may write part of it (a disk filling up): the rest follows, or the failure stops every later write.
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset);
    } catch (error) {
      this.fail('write to', error);
    }
    this.written += 1;
  }

  /** Resolves when everything appended before the call is on stable storage. */
  async sync(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return;
    this.flush();
    const target = this.written;
    while (this.synced < target) {
      if (this.syncing) {
        await this.syncing;
        continue;
      }
      const covered = this.written;
      this.syncing = fdatasyncAsync(fd).then(
        () => {
          this.synced = Math.max(this.synced, covered);
          this.syncing = undefined;
        },
        (error: unknown) => {
          this.syncing = undefined;
          this.fail('sync', error);
        },
      );
      await this.syncing;
    }
  }

  /** The disk's refusal, if it refused this run a write or a sync. */
  get unwritable(): LedgerUnwritable | undefined {
    return this.failure;
  }

  /** Syncs and closes, and gives the lock up; after a failure, the lock is given up all the same. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.failure) await this.sync();
    } finally {
      this.closed = true;
      if (this.fd !== undefined) closeSync(this.fd);
      if (this.lockFile !== undefined) unlinkSync(this.lockFile);
    }
  }
}

/**
 * One sender at a time: the lock file names its holder (`io/lock-file.ts`).
 * A lock whose process is gone (killed, crashed) is taken over, under the
 * takeover guard, so that of two runs that find it at once only one takes
 * it: both sending would mail every recipient twice.
 */
function takeLock(lockFile: string, shownAs: string): void {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const result = tryLock(lockFile, new Date());
    if (isHeld(result)) return;
    if (!holderIsGone(result)) {
      throw new HeraldError([
        {
          file: shownAs,
          line: 1,
          column: 1,
          severity: 'error',
          ruleId: 'mail-ledger-locked',
          message: `herald send (${result.text}) is already using this ledger`,
          hint: ruleInfo('mail-ledger-locked').hint,
        },
      ]);
    }
    // Another run is taking the same stale lock over: a matter of microseconds.
    if (removeStaleLock(lockFile) === 'busy') Atomics.wait(pause, 0, 0, 10);
  }
  throw new HeraldError([
    { file: shownAs, line: 1, column: 1, severity: 'error', ruleId: 'mail-ledger-locked', message: 'Could not take the ledger lock: another herald send was taking over the lock a stopped run left, for a second and more; run again in a moment', hint: ruleInfo('mail-ledger-locked').hint },
  ]);
}

/** For a synchronous pause of a few milliseconds. */
const pause = new Int32Array(new SharedArrayBuffer(4));
