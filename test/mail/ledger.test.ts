/**
 * The ledger: replayed from its append-only file, tolerant of a torn last
 * line only, locked against a second sender, group-committed.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { Ledger } from '../../src/publish/mail/ledger.ts';
import { temporaryDir } from './support/notes.ts';

let temp: Awaited<ReturnType<typeof temporaryDir>>;
let file: string;
beforeEach(async () => {
  temp = await temporaryDir();
  file = path.join(temp.dir, 'state', 'mail-ledger.jsonl');
});
afterEach(() => temp.remove());

const at = '2024-01-01T00:00:00.000Z';

describe('the ledger', () => {
  it('replays the last state of each (edition, recipient) and the edition date', async () => {
    const ledger = Ledger.open(file, 'state/mail-ledger.jsonl');
    ledger.append([
      { at, edition: 'OSSN-0007 r2', state: 'edition', date: '2024-01-01T00:00:00.000Z' },
      { at, edition: 'OSSN-0007 r2', to: 'A@example.org', state: 'pending' },
      { at, edition: 'OSSN-0007 r2', to: 'b@example.org', state: 'pending' },
      { at, edition: 'OSSN-0007 r2', to: 'a@example.org', state: 'sending' },
      { at, edition: 'OSSN-0007 r2', to: 'a@example.org', state: 'sent', attempts: 1, reply: '250 ok' },
      { at, edition: 'OSSN-0007 r2', to: 'b@example.org', state: 'sending' },
      { at, edition: 'OSSN-0007 r2', to: 'b@example.org', state: 'retry', attempts: 1, reply: '451 later' },
    ]);
    await ledger.close();
    const again = Ledger.open(file, 'state/mail-ledger.jsonl');
    expect(again.status('OSSN-0007 r2', 'a@example.org')).toMatchObject({ state: 'sent', attempts: 1, reply: '250 ok' });
    expect(again.status('OSSN-0007 r2', 'B@example.org')).toMatchObject({ state: 'sending', attempts: 1, reply: '451 later' });
    expect(again.status('OSSN-0007 r3', 'a@example.org')).toBeUndefined();
    expect(again.editionDate('OSSN-0007 r2')).toBe('2024-01-01T00:00:00.000Z');
    expect(again.deliveriesOf('OSSN-0007 r2').map((d) => d.to).sort()).toEqual(['a@example.org', 'b@example.org']);
    await again.close();
  });

  it('drops a torn last line and keeps appending on a fresh line', async () => {
    const ledger = Ledger.open(file, 'l');
    ledger.append([{ at, edition: 'E r0', to: 'a@example.org', state: 'sent' }]);
    await ledger.close();
    appendFileSync(file, '{"at":"x","edition":"E r0","to":"b@exa');
    const reopened = Ledger.open(file, 'l');
    expect(reopened.status('E r0', 'b@example.org')).toBeUndefined();
    reopened.append([{ at, edition: 'E r0', to: 'c@example.org', state: 'sent' }]);
    await reopened.close();
    const third = Ledger.open(file, 'l');
    expect(third.status('E r0', 'c@example.org')?.state).toBe('sent');
    await third.close();
  });

  it('refuses a corrupt line in the middle, naming it', async () => {
    const ledger = Ledger.open(file, 'state/mail-ledger.jsonl');
    await ledger.close();
    writeFileSync(file, `{"at":"x","edition":"E r0","to":"a@example.org","state":"sent"}\nnot json\n{"at":"x","edition":"E r0","to":"b@example.org","state":"sent"}\n`);
    const error = (() => {
      try {
        Ledger.open(file, 'state/mail-ledger.jsonl');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'mail-ledger-corrupt', line: 2, file: 'state/mail-ledger.jsonl' });
  });

  it('lets one sender at a time hold it, and takes over the lock of a dead one', async () => {
    const ledger = Ledger.open(file, 'l');
    expect(() => Ledger.open(file, 'l')).toThrow(/already using this ledger/);
    await ledger.close();
    // A lock left by a process that no longer exists.
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(`${file}.lock`, `${dead.pid}\n`);
    const taken = Ledger.open(file, 'l');
    expect(readFileSync(`${file}.lock`, 'utf8')).toMatch(new RegExp(`^pid ${process.pid} on `));
    await taken.close();
    // A lock as herald wrote it before (a bare pid) of a process that runs is respected.
    writeFileSync(`${file}.lock`, `${process.pid}\n`);
    expect(() => Ledger.open(file, 'l')).toThrow(`herald send (pid ${process.pid}) is already using this ledger`);
    // Two runs that find one stale lock at once go through the takeover guard (io/lock-file.ts): one takes it.
    writeFileSync(`${file}.lock`, `${dead.pid}\n`);
    writeFileSync(`${file}.lock.takeover`, '');
    expect(() => Ledger.open(file, 'l')).toThrow('Could not take the ledger lock: another herald send was taking over');
    rmSync(`${file}.lock.takeover`);
  });

  it('shares fdatasync between concurrent writers and reads read-only without locking', async () => {
    const ledger = Ledger.open(file, 'l');
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        ledger.append([{ at, edition: 'E r0', to: `r${i}@example.org`, state: 'sending' }]);
        await ledger.sync();
      }),
    );
    const readOnly = Ledger.readOnly(file, 'l');
    expect(readOnly.deliveriesOf('E r0')).toHaveLength(50);
    expect(() => readOnly.append([{ at, edition: 'E r0', to: 'x@example.org', state: 'sent' }])).toThrow();
    await readOnly.close();
    await ledger.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(50);
  });
});
