/** `herald withdraw`: a published note marked withdrawn, with its reason and the next update, and nothing else changed. */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { parseNote } from '../../src/model/load.ts';
import { withdrawNote } from '../../src/workflow/revise-note.ts';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();
const now = new Date('2026-01-15T12:00:00Z');
const notesDir = path.resolve(import.meta.dirname, '../../notes');
const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
const withdrawal = { date: '2026-01-15', reason: 'The behaviour is intended: see "Live migration" in the Nova guide.' };

describe('withdrawNote', () => {
  const note = (lines: string) => `---\nid: OSSN-0001\ndate: 2014-01-01\nstatus: published\n${lines}---\nbody\n`;
  const reason = `'The behaviour is intended: see "Live migration" in the Nova guide.'`;
  const entry = `{ date: 2026-01-15, summary: "Withdrawn: The behaviour is intended: see \\"Live migration\\" in the Nova guide." }`;
  const item = 'date: 2026-01-15\n    summary: >-\n      Withdrawn: The behaviour is intended: see "Live migration" in the Nova\n      guide.';

  it.each([
    ['no revisions', note('lists: [announce]\n'), `---\nid: OSSN-0001\ndate: 2014-01-01\nstatus: withdrawn\nwithdrawn_reason: ${reason}\nlists: [announce]\nrevisions:\n  - ${item}\n---\nbody\n`],
    ['a flow list of revisions, CRLF', note('revisions: [{ date: 2014-02-01, summary: a }]\n').replaceAll('\n', '\r\n'), `---\nid: OSSN-0001\ndate: 2014-01-01\nstatus: withdrawn\nwithdrawn_reason: ${reason}\nrevisions: [{ date: 2014-02-01, summary: a }, ${entry}]\n---\nbody\n`.replaceAll('\n', '\r\n')],
    ['a reason already written', note('withdrawn_reason: old # why\n'), `---\nid: OSSN-0001\ndate: 2014-01-01\nstatus: withdrawn\nwithdrawn_reason: ${reason} # why\nrevisions:\n  - ${item}\n---\nbody\n`],
  ])('%s', (_name, before, after) => {
    expect(withdrawNote(before, 'n.md', withdrawal, now).text).toBe(after);
  });

  it('refuses what cannot be withdrawn, and an empty reason', () => {
    expect(() => withdrawNote(note('').replace('published', 'draft'), 'n.md', withdrawal, now)).toThrow('is draft: only a published note gets updates');
    expect(() => withdrawNote(note('withdrawn_reason: x\n').replace('status: published', 'status: withdrawn'), 'n.md', withdrawal, now)).toThrow('is withdrawn');
    expect(() => withdrawNote(note('embargo: 2026-02-01T00:00:00Z\n'), 'n.md', withdrawal, now)).toThrow('is under embargo');
    expect(() => withdrawNote(note(''), 'n.md', { ...withdrawal, reason: ' ' }, now)).toThrow('the reason must not be empty');
  });

  it.each(['OSSN-0001', 'OSSN-0003', 'OSSN-0007'])('withdraws bundled %s: it lints clean and its announcement says WITHDRAWN, as a reply', async (id) => {
    const text = await readFile(path.join(notesDir, `${id}.md`), 'utf8');
    const withdrawn = withdrawNote(text, id, withdrawal, now);
    const parsed = parseNote(`notes/${id}.md`, withdrawn.text, { config, now });
    expect(parsed.messages.filter((m) => m.severity === 'error')).toEqual([]);
    const advisory = parsed.advisory!;
    expect(advisory.status).toBe('withdrawn');
    expect(advisory.withdrawnReason).toBe(withdrawal.reason);
    expect(advisory.revisions.at(-1)).toEqual({ number: withdrawn.number, date: '2026-01-15', summary: `Withdrawn: ${withdrawal.reason}` });
    const mail = String(renderAdvisories([advisory], { config, now, preview: false }).find((f) => f.path === `mail/${id}.eml`)!.contents);
    expect(mail).toMatch(new RegExp(`^Subject: \\[${id} UPDATE ${withdrawn.number}\\] WITHDRAWN: `, 'm'));
    expect(mail).toMatch(/^In-Reply-To: </m);
  });
});

describe('herald withdraw', () => {
  it('finds the note by id, writes the withdrawal and says what comes next', async () => {
    const root = await temporary('herald-withdraw-');
    await cp(notesDir, path.join(root, 'notes'), { recursive: true });
    await cp(path.join(notesDir, '../herald.config.yaml'), path.join(root, 'herald.config.yaml'));
    const run = await runCli(['withdraw', 'OSSN-0002', 'Superseded', 'by', 'OSSN-0005.'], { cwd: root });
    expect(run).toMatchObject({ code: 0, stdout: 'withdrew notes/OSSN-0002.md: UPDATE 2 (2026-01-15), status withdrawn\n' });
    expect(run.stderr).toContain('say in its Summary that it is withdrawn');
    expect(await readFile(path.join(root, 'notes/OSSN-0002.md'), 'utf8')).toContain('\nstatus: withdrawn\nwithdrawn_reason: Superseded by OSSN-0005.\n');
    expect((await runCli(['lint', 'notes/OSSN-0002.md'], { cwd: root })).code).toBe(0);

    const json = await runCli(['withdraw', '--json', 'notes/OSSN-0001.md', 'x'], { cwd: root });
    expect(JSON.parse(json.stdout)).toEqual({ path: 'notes/OSSN-0001.md', update: 4, date: '2026-01-15', reason: 'x' });
    const again = await runCli(['withdraw', 'OSSN-0001', 'y'], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('notes/OSSN-0001.md is withdrawn');
  });
});
