/** `herald revise`: the next update of a published note, added to its revisions without touching any other byte. */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';
import { addRevision } from '../../src/workflow/revise-note.ts';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();

const now = new Date('2026-01-15T12:00:00Z');
const revision = { date: '2026-01-15', summary: 'Step 3, now: "restart, then check" #2' };
const notesDir = path.resolve(import.meta.dirname, '../../notes');
const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };

/** The lines of `after` that `before` lacks, and whether every line of `before` is still there in order. */
function added(before: string, after: string): string[] {
  const old = before.split('\n');
  const lines = after.split('\n');
  const extra: string[] = [];
  let i = 0;
  for (const line of lines) {
    if (line === old[i]) i++;
    else extra.push(line);
  }
  expect(i, 'every line of the note is kept, in order').toBe(old.length);
  return extra;
}

describe('addRevision', () => {
  it.each(['OSSN-0001', 'OSSN-0002', 'OSSN-0004', 'OSSN-0005', 'OSSN-0007'])('adds a block mapping to the block list of %s, read back as the next update', async (id) => {
    const text = await readFile(path.join(notesDir, `${id}.md`), 'utf8');
    const before = parseNote(`notes/${id}.md`, text, { config, now }).advisory!;
    const revised = addRevision(text, id, revision, now);
    expect(added(text, revised.text)).toEqual(['  - date: 2026-01-15', `    summary: 'Step 3, now: "restart, then check" #2'`]);
    const after = parseNote(`notes/${id}.md`, revised.text, { config, now }).advisory!;
    expect(revised.number).toBe(before.revisions.length + 1);
    expect(after.revisions).toEqual([...before.revisions, { number: revised.number, ...revision }]);
  });

  const note = (lines: string) => `---\nid: OSSN-0001\ndate: 2014-01-01\nstatus: published\n${lines}---\nbody\n`;
  const entry = '{ date: 2026-01-15, summary: "Step 3, now: \\"restart, then check\\" #2" }';
  const item = `date: 2026-01-15\n    summary: 'Step 3, now: "restart, then check" #2'`;
  it.each([
    ['an empty flow list, as the template writes it', note('revisions: []\nlists: []\n'), note(`revisions:\n  - ${item}\nlists: []\n`)],
    ['an empty flow list, CRLF', note('revisions: [] \nlists: []\n').replaceAll('\n', '\r\n'), note(`revisions:\n  - ${item}\nlists: []\n`).replaceAll('\n', '\r\n')],
    ['an empty flow list with a comment after it', note('revisions: []  # none yet\n'), note(`revisions: [${entry}]  # none yet\n`)],
    ['a flow list with a comment', note('revisions: [{ date: 2014-02-01, summary: a }]  # c\n'), note(`revisions: [{ date: 2014-02-01, summary: a }, ${entry}]  # c\n`)],
    ['a block list ending in a folded scalar and a comment', note('revisions:\n- date: 2014-02-01\n  summary: >-\n    folded\n    text\n# trailing\n'), note(`revisions:\n- date: 2014-02-01\n  summary: >-\n    folded\n    text\n- ${item.replace('    ', '  ')}\n# trailing\n`)],
    ['a block list of flow mappings', note('revisions:\n  - { date: 2014-02-01, summary: a }\n'), note(`revisions:\n  - { date: 2014-02-01, summary: a }\n  - ${entry}\n`)],
    ['no revisions, CRLF', note('').replaceAll('\n', '\r\n'), note(`revisions:\n  - ${item}\n`).replaceAll('\n', '\r\n')],
  ])('%s', (_name, before, after) => {
    expect(addRevision(before, 'n.md', revision, now).text).toBe(after);
  });

  it('folds a summary too long for one line at 80 columns, as the bundled notes write theirs', () => {
    const summary = 'Kilo reads rabbit_userid and rabbit_password from the [oslo_messaging_rabbit] section; the configuration step now shows both places, and the check reads both.';
    const revised = addRevision(note('revisions: []\n'), 'n.md', { date: '2026-01-15', summary }, now).text;
    expect(revised).toBe(
      note(
        'revisions:\n  - date: 2026-01-15\n    summary: >-\n' +
          '      Kilo reads rabbit_userid and rabbit_password from the\n' +
          '      [oslo_messaging_rabbit] section; the configuration step now shows both\n' +
          '      places, and the check reads both.\n',
      ),
    );
    expect(Math.max(...revised.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it.each([
    ['a draft', note('').replace('published', 'draft'), 'is draft: only a published note gets updates'],
    ['a withdrawn note', note('withdrawn_reason: x\n').replace('status: published', 'status: withdrawn'), 'is withdrawn'],
    ['a placeholder id', note('').replace('OSSN-0001', 'OSSN-XXXX'), 'has the placeholder id OSSN-XXXX (status: published): it was never announced, so it gets no updates; edit it as it is. herald assign-ids gives it its number after the merge'],
    ['a draft with a placeholder id', note('').replace('OSSN-0001', 'OSSN-XXXX').replace('published', 'draft'), 'has the placeholder id OSSN-XXXX (status: draft): it was never announced'],
    ['an embargo still on', note('embargo: 2026-02-01T00:00:00Z\n'), 'is under embargo until 2026-02-01T00:00:00Z'],
    ['a date before the latest', note('revisions: [{ date: 2026-01-16, summary: a }]\n'), "the update's date 2026-01-15 is before the note's latest date 2026-01-16"],
    ['no front matter', 'just text\n', 'has no front matter'],
    ['revisions that are not a list', note('revisions: soon\n'), 'revisions is not a list'],
  ])('refuses %s', (_name, text, words) => {
    expect(() => addRevision(text, 'n.md', revision, now)).toThrow(words);
  });

  it('adds an update to a blog post, which is published unless it says otherwise', async () => {
    const name = '2014-04-10-heartbleed-mitigation-for-system-vms.md';
    const text = await readFile(path.join(notesDir, name), 'utf8');
    const revised = addRevision(text, name, revision, now);
    expect(revised.number).toBe(1);
    expect(parseNote(`notes/${name}`, revised.text, { config, now }).advisory!.revisions).toEqual([{ number: 1, ...revision }]);
    expect(() => addRevision(text.replace('layout: post', 'layout: post\npublished: false'), name, revision, now)).toThrow('is draft');
  });

  it('refuses an empty summary, a control character and a date in the future', () => {
    expect(() => addRevision(note(''), 'n.md', { ...revision, summary: ' \n ' }, now)).toThrow('the summary must not be empty');
    expect(() => addRevision(note(''), 'n.md', { ...revision, summary: 'bell \u0007 here' }, now)).toThrow('it has a control character');
    expect(() => addRevision(note(''), 'n.md', { ...revision, date: '2026-01-16' }, now)).toThrow('is in the future');
  });
});

describe('herald revise', () => {
  it('finds the note by id, writes the update and says what comes next; suggests the id meant', async () => {
    const root = await temporary('herald-revise-');
    await cp(notesDir, path.join(root, 'notes'), { recursive: true });
    const run = await runCli(['revise', 'OSSN-0003', 'Step', '2', 'also', 'restarts', 'libvirtd'], { cwd: root });
    expect(run).toMatchObject({ code: 0, stdout: 'added UPDATE 2 (2026-01-15) to notes/OSSN-0003.md\n' });
    expect(run.stderr).toContain('herald publish announces the update as a reply to the original announcement');
    expect(await readFile(path.join(root, 'notes/OSSN-0003.md'), 'utf8')).toContain('  - date: 2026-01-15\n    summary: Step 2 also restarts libvirtd\n');

    const json = await runCli(['revise', '--json', 'notes/OSSN-0001.md', 'x'], { cwd: root });
    expect(JSON.parse(json.stdout)).toEqual({ path: 'notes/OSSN-0001.md', update: 4, date: '2026-01-15' });

    const meant = await runCli(['revise', 'ossn-0004', 'x'], { cwd: root });
    expect(meant.code).toBe(2);
    expect(meant.stderr).toContain('no note has the id ossn-0004 (there is no notes/ossn-0004.md); did you mean OSSN-0004?');
    expect((await readdir(path.join(root, 'notes'))).sort()).toEqual((await readdir(notesDir)).sort());
  });

  it('finds a note by its placeholder id under the file name herald new gives it, and says why it gets no updates', async () => {
    const root = await temporary('herald-revise-');
    await cp(notesDir, path.join(root, 'notes'), { recursive: true });
    await rename(path.join(root, 'notes/OSSN-XXXX.md'), path.join(root, 'notes/OSSN-XXXX-memcached-reachable-without-authentication.md'));
    const run = await runCli(['revise', 'OSSN-XXXX', 'x'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'herald: notes/OSSN-XXXX-memcached-reachable-without-authentication.md has the placeholder id OSSN-XXXX (status: draft): it was never announced, so it gets no updates; edit it as it is. herald assign-ids gives it its number after the merge; once it is announced, herald revise <that id> adds an update',
    );
    const withdraw = await runCli(['withdraw', 'OSSN-XXXX', 'x'], { cwd: root });
    expect(withdraw.stderr).toContain('notes/OSSN-XXXX-memcached-reachable-without-authentication.md has the placeholder id OSSN-XXXX (status: draft)');

    await writeFile(path.join(root, 'notes/OSSN-XXXX-another.md'), '---\nid: OSSN-XXXX\n---\n');
    const two = await runCli(['revise', 'OSSN-XXXX', 'x'], { cwd: root });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(
      "herald: OSSN-XXXX is a placeholder id, not a note's number: 2 notes carry it (notes/OSSN-XXXX-another.md, notes/OSSN-XXXX-memcached-reachable-without-authentication.md). A note is revised or withdrawn by its number once herald assign-ids has numbered it (after its merge) and it was announced; until then it gets no updates: edit it as it is",
    );
  });

  it('finds the notes that carry a placeholder id by their front matter, whatever their files are named', async () => {
    const root = await temporary('herald-revise-');
    await cp(notesDir, path.join(root, 'notes'), { recursive: true });
    // A renamed placeholder note, in a subfolder: its file name says nothing of its id.
    await mkdir(path.join(root, 'notes/drafts'));
    await rename(path.join(root, 'notes/OSSN-XXXX.md'), path.join(root, 'notes/drafts/memcached.md'));
    const one = await runCli(['revise', 'OSSN-XXXX', 'x'], { cwd: root });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('herald: notes/drafts/memcached.md has the placeholder id OSSN-XXXX (status: draft): it was never announced');
    await writeFile(path.join(root, 'notes/OSSN-XXXX-b.md'), '---\nid: OSSN-XXXX\n---\n');
    for (const command of ['revise', 'withdraw']) {
      const two = await runCli([command, 'OSSN-XXXX', 'x'], { cwd: root });
      expect(two.code).toBe(2);
      expect(two.stderr).toContain("herald: OSSN-XXXX is a placeholder id, not a note's number: 2 notes carry it (notes/OSSN-XXXX-b.md, notes/drafts/memcached.md). A note is revised or withdrawn by its number once herald assign-ids has numbered it");
      expect(two.stderr).not.toContain('notes/OSSN-XXXX.md');
    }
    await rm(path.join(root, 'notes/OSSN-XXXX-b.md'));
    await rm(path.join(root, 'notes/drafts'), { recursive: true });
    const none = await runCli(['revise', 'OSSN-XXXX', 'x'], { cwd: root });
    expect(none.stderr).toContain("herald: OSSN-XXXX is a placeholder id, not a note's number: no note in notes carries it. A note is revised or withdrawn by its number");
  });

  it('opens no FIFO or folder named like a note (a FIFO would wait for a writer for ever)', async () => {
    const root = await temporary('herald-revise-');
    await mkdir(path.join(root, 'notes/OSSN-0009.md'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'notes/OSSN-0008.md')]);
    for (const target of ['OSSN-0008', 'notes/OSSN-0008.md', 'OSSN-0009']) {
      const run = await runCli(['revise', target, 'x'], { cwd: root });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/notes\/OSSN-000[89]\.md is not a regular file, so it is no note/);
    }
  });
});
