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
 */
import { closeSync, existsSync, fdatasync, mkdirSync, openSync, readFileSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';

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

  private constructor(file: string, fd: number | undefined, lockFile: string | undefined) {
    this.file = file;
    this.fd = fd;
    this.lockFile = lockFile;
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
      const ledger = new Ledger(file, undefined, undefined);
      if (existsSync(file)) ledger.replay(readFileSync(file, 'utf8'), shownAs);
      return ledger;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const lockFile = `${file}.lock`;
    takeLock(lockFile, shownAs);
    try {
      let bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
      // A torn last line (the process was killed mid-write) held nothing that was acted on: cut it off.
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end < bytes.length) {
        truncateSync(file, end);
        bytes = bytes.subarray(0, end);
      }
      const ledger = new Ledger(file, openSync(file, 'a'), lockFile);
      ledger.replay(bytes.toString('utf8'), shownAs);
      return ledger;
    } catch (error) {
      unlinkSync(lockFile);
      throw error;
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
    if (this.closed || this.fd === undefined) throw new Error('ledger is closed or read-only');
    for (const record of records) {
      this.apply(record);
      this.buffered += `${JSON.stringify(record)}\n`;
    }
    if (!options.soon) return this.flush();
    this.flushTimer ??= setTimeout(() => this.flush(), 5);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.buffered === '' || this.fd === undefined) return;
    writeSync(this.fd, this.buffered);
    this.buffered = '';
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
      this.syncing = fdatasyncAsync(fd).then(() => {
        this.synced = Math.max(this.synced, covered);
        this.syncing = undefined;
      });
      await this.syncing;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.sync();
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.lockFile !== undefined) unlinkSync(this.lockFile);
  }
}

/**
 * One sender at a time: the lock file holds the owner's pid. A lock whose
 * process is gone (killed, crashed) is taken over.
 */
function takeLock(lockFile: string, shownAs: string): void {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readLock(lockFile), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new HeraldError([
        {
          file: shownAs,
          line: 1,
          column: 1,
          severity: 'error',
          ruleId: 'mail-ledger-locked',
          message: `herald send (process ${owner}) is already using this ledger`,
          hint: ruleInfo('mail-ledger-locked').hint,
        },
      ]);
    }
    try {
      unlinkSync(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new HeraldError([
    { file: shownAs, line: 1, column: 1, severity: 'error', ruleId: 'mail-ledger-locked', message: 'Could not take the ledger lock', hint: ruleInfo('mail-ledger-locked').hint },
  ]);
}

function readLock(lockFile: string): string {
  try {
    return readFileSync(lockFile, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
