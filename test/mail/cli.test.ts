/**
 * `herald send` as a command: help, usage errors (exit 2), notes that must
 * not be mailed, the dry run, and the default file transport.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { editCachedRecord } from '../support/cache-index.ts';
import { makeWorkspace, runHerald, type Workspace } from './support/workspace.ts';

const config = {
  mail: {
    from: 'Example Security Team <security@example.org>',
    domain: 'security.example.org',
    lists: [
      { name: 'announce', address: 'security-announce@lists.example.org' },
      { name: 'discuss', address: 'security-discuss@lists.example.org' },
    ],
    subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' },
  },
};
const notes = ['OSSN-0100.md', 'OSSN-0101.md', 'OSSN-0103.md', 'OSSN-0104.md'];

let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.remove();
  workspace = undefined;
});

async function setUp(subscribers = ['alice@example.net,libvirt', 'bob@example.net,glance']) {
  workspace = await makeWorkspace({ notes, config, subscribers });
  return workspace;
}

describe('herald send', () => {
  it('documents itself', async () => {
    const { dir } = await setUp();
    const help = await runHerald(['send', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    for (const option of ['--list <name>', '--dry-run', '--resume', '--resend-uncertain', '--notes <dir>', '--json']) expect(help.stdout).toContain(option);
  });

  it('exits 2 on a usage error: no id, an unknown list, an unknown advisory', async () => {
    const { dir } = await setUp();
    expect((await runHerald(['send'], { cwd: dir })).code).toBe(2);
    const list = await runHerald(['send', 'OSSN-0100', '--list', 'nope'], { cwd: dir });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('--list nope: no such list in the config (known: announce, discuss, subscribers)');
    const unknown = await runHerald(['send', 'OSSN-0999'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no advisory OSSN-0999 in notes/');
    expect(unknown.stderr).not.toContain('did you mean');
    const lower = await runHerald(['send', 'ossn-0100', '--dry-run'], { cwd: dir });
    expect(lower.code).toBe(2);
    expect(lower.stderr).toContain('no advisory ossn-0100 in notes/; did you mean OSSN-0100?');
  });

  it('refuses, without sending anything, an advisory that would reach no one on the lists --list names', async () => {
    const { dir } = await setUp();
    const run = await runHerald(['send', 'OSSN-0100', 'OSSN-0101', '--list', 'discuss'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('notes/OSSN-0101.md:1:1  error  mail-not-sendable  OSSN-0101 is not announced on discuss: it goes to announce, subscribers');
    expect(existsSync(path.join(dir, 'outbox'))).toBe(false);
  });

  it('never mails a draft or a note under embargo', async () => {
    const { dir } = await setUp();
    const run = await runHerald(['send', 'OSSN-0103', 'OSSN-0104'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/notes\/OSSN-0103\.md:5:9 +error +mail-not-sendable +OSSN-0103 is a draft\n/);
    expect(run.stderr).toMatch(/notes\/OSSN-0104\.md:6:10 +error +mail-not-sendable +OSSN-0104 is under embargo until 2099-01-01T00:00:00Z\n/);
    expect(existsSync(path.join(dir, 'state'))).toBe(false);
  });

  it('checks every note through the build cache, and reads only the notes it mails', async () => {
    const { dir } = await setUp();
    expect((await runHerald(['build'], { cwd: dir })).code).toBe(0);
    const fresh = await runHerald(['send', 'OSSN-0100', 'OSSN-0101', '--dry-run', '--json', '--no-cache'], { cwd: dir });
    const cached = await runHerald(['send', 'OSSN-0100', 'OSSN-0101', '--dry-run', '--json'], { cwd: dir });
    expect(fresh.code).toBe(0);
    expect(cached.stdout).toBe(fresh.stdout);
    // An id only the cache gives a note: the note it names is found by its card, then read in full.
    await editCachedRecord(path.join(dir, '.herald-cache'), 'notes/OSSN-0101.md', (record) => {
      record.card!.id = 'OSSN-0177';
    });
    const byCard = await runHerald(['send', 'OSSN-0177', '--dry-run', '--json'], { cwd: dir });
    expect(JSON.parse(byCard.stdout).editions.map((e: { edition: string }) => e.edition)).toEqual(['OSSN-0101 r1 withdrawn']);
    expect((await runHerald(['send', 'OSSN-0177', '--dry-run', '--no-cache'], { cwd: dir })).stderr).toContain('no advisory OSSN-0177 in notes/');
    // A note added since the build that claims a cached note's id: the rules across notes still see both.
    writeFileSync(path.join(dir, 'notes/z-copy.md'), readFileSync(path.join(dir, 'notes/OSSN-0100.md')));
    const duplicate = await runHerald(['send', 'z-copy'], { cwd: dir });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/notes\/z-copy\.md:\d+:\d+ +error +id-duplicate +Id "OSSN-0100" is already used by notes\/OSSN-0100\.md/);
  });

  it('dry-runs without sending, writing or reading keys', async () => {
    const { dir } = await setUp();
    const run = await runHerald(['send', 'OSSN-0100', 'OSSN-0101', '--dry-run', '--json'], { cwd: dir });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.dryRun).toBe(true);
    expect(summary.editions.map((e: { edition: string; recipients: number }) => [e.edition, e.recipients])).toEqual([
      ['OSSN-0100 r2', 3],
      ['OSSN-0101 r1 withdrawn', 2],
    ]);
    expect(summary.editions[0].plan).toEqual([
      { address: 'security-announce@lists.example.org', audience: 'announce', status: 'new' },
      { address: 'security-discuss@lists.example.org', audience: 'discuss', status: 'new' },
      { address: 'alice@example.net', audience: 'subscribers', status: 'new' },
    ]);
    expect(existsSync(path.join(dir, 'state'))).toBe(false);
    expect(existsSync(path.join(dir, 'outbox'))).toBe(false);
    const text = await runHerald(['send', 'OSSN-0100', '--dry-run'], { cwd: dir });
    expect(text.stdout).toContain('Dry run: nothing sent. Transport: file to outbox');
    expect(text.stdout).toContain('subscribers: new 1');
  });

  it('writes one .eml per recipient to the outbox with the default file transport, once', async () => {
    const { dir } = await setUp();
    const run = await runHerald(['send', 'OSSN-0100', '--list', 'announce', '--list', 'subscribers'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 recipient(s): 2 sent now, 0 sent before, 0 failed, 0 uncertain');
    const folder = path.join(dir, 'outbox', 'OSSN-0100.r2');
    expect(readdirSync(folder).sort()).toEqual(['alice@example.net.eml', 'security-announce@lists.example.org.eml']);
    const parsed = await simpleParser(readFileSync(path.join(folder, 'alice@example.net.eml')));
    expect(parsed.subject).toMatch(/^\[OSSN-0100 UPDATE 2\]/);
    expect(parsed.to).toMatchObject({ value: [{ address: 'security-subscribers@example.org' }] });
    const again = await runHerald(['send', 'OSSN-0100', '--list', 'announce', '--list', 'subscribers'], { cwd: dir });
    expect(again.stdout).toContain('2 recipient(s): 0 sent now, 2 sent before');
  });

  it('threads an update under the original as it was mailed, even after the note\u2019s first date was corrected', async () => {
    workspace = await makeWorkspace({ notes: ['OSSN-0102.md'], config, subscribers: [] });
    const { dir } = workspace;
    const sent = async (folder: string) => simpleParser(readFileSync(path.join(dir, 'outbox', folder, 'security-announce@lists.example.org.eml')));
    const run = async (args: string[]) => {
      const result = await runHerald(args, { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
    };
    await run(['send', 'OSSN-0102']);
    const original = (await sent('OSSN-0102.r0')).messageId;
    const note = path.join(dir, 'notes', 'OSSN-0102.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace(/^date: 2014-06-10$/m, 'date: 2014-06-11'));
    await run(['revise', 'OSSN-0102', 'Corrected the date of first publication.', '--date', '2024-01-15']);
    await run(['send', 'OSSN-0102']);
    const update = await sent('OSSN-0102.r1');
    expect(update.inReplyTo).toBe(original);
    expect(update.references).toBe(original);
    // The next update replies to both as they were mailed (RFC 5322 3.6.4: the parent's References, then the parent).
    await run(['revise', 'OSSN-0102', 'Fixed versions for Juno.', '--date', '2024-01-20']);
    await run(['send', 'OSSN-0102']);
    const next = await sent('OSSN-0102.r2');
    expect(next.references).toEqual([original, update.messageId]);
    expect(next.inReplyTo).toBe(update.messageId);
  });

  it('says an outbox it cannot write is the outbox, at `mail.outbox`, not the SMTP server', async () => {
    const { dir } = await setUp();
    writeFileSync(path.join(dir, 'outbox'), 'a file where the outbox folder goes\n');
    workspace!.writeConfig({ mail: { ...config.mail, outbox: 'outbox' } });
    const line = readFileSync(path.join(dir, 'herald.config.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('  outbox:')) + 1;
    const run = await runHerald(['send', 'OSSN-0100'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`herald\\.config\\.yaml:${line}:3 +error +mail-outbox-unwritable +Sending stopped: cannot write to the outbox: ENOTDIR`));
    expect(run.stderr).not.toContain('smtp');
  });

  it.skipIf(!existsSync('/proc/self'))('says an outbox under /proc cannot be written, at once, at `mail.outbox`', async () => {
    const { dir } = await setUp();
    workspace!.writeConfig({ mail: { ...config.mail, outbox: '/proc/herald-no-such/outbox' } });
    const line = readFileSync(path.join(dir, 'herald.config.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('  outbox:')) + 1;
    const run = await runHerald(['send', 'OSSN-0100'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`herald\\.config\\.yaml:${line}:3 +error +mail-outbox-unwritable +Sending stopped: cannot write to the outbox: ENOENT`));
  });

  it('says a ledger whose folder is a file cannot be opened, without a stack trace', async () => {
    const { dir } = await setUp();
    workspace!.writeConfig({ mail: { ...config.mail, ledger: 'notes/OSSN-0100.md/mail-ledger.jsonl' } });
    const run = await runHerald(['send', 'OSSN-0100'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^notes\/OSSN-0100\.md\/mail-ledger\.jsonl:1:1 +error +mail-ledger-unwritable +Could not open the mail ledger .*: a file is in the way of a folder \(ENOTDIR\)\. Nothing was sent\./m);
    expect(run.stderr).toContain('hint: A file stands where a folder of mail.ledger\u2019s path goes');
    expect(run.stderr).not.toContain('internal error');
  });

  it.skipIf(!existsSync('/proc/self'))('says a ledger under /proc cannot be opened, at once, whether its folder is missing or takes no file', async () => {
    const { dir } = await setUp();
    for (const ledger of ['/proc/herald-no-such/mail-ledger.jsonl', '/proc/self/mail-ledger.jsonl']) {
      workspace!.writeConfig({ mail: { ...config.mail, ledger } });
      const run = await runHerald(['send', 'OSSN-0100'], { cwd: dir });
      expect(run.code, ledger).toBe(1);
      expect(run.stderr).toContain(`${ledger}:1:1  error  mail-ledger-unwritable  Could not open the mail ledger ${ledger}: no file can be made in that folder (as under /proc or /sys) (ENOENT). Nothing was sent.`);
      expect(run.stderr).toContain('hint: Set mail.ledger to a file in a folder herald may create files in');
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(existsSync(path.join(dir, 'outbox'))).toBe(false);
  });

  it('refuses a subscribers file with a bad row, pointing at it', async () => {
    const { dir } = await setUp(['alice@example.net,libvirt', 'not an address,']);
    const run = await runHerald(['send', 'OSSN-0100'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/subscribers\.csv:3:1 +error +subscribers-invalid +"not an address" is not an email address/);
  });
});
