import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { HeraldError } from '../../src/errors/message.ts';
import { assignIds } from '../../src/workflow/assign-ids/apply.ts';
import { replaceIdField } from '../../src/workflow/assign-ids/id-field.ts';
import { planIdAssignment } from '../../src/workflow/assign-ids/plan.ts';
import { editCachedRecord } from '../support/cache-index.ts';
import { runCli } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { checkout, commitAll, git, noteText } from './notes.ts';

const config = configSchema.parse({});
const now = new Date('2024-06-01T00:00:00Z');

describe('planIdAssignment', () => {
  const note = (p: string, id: string, date: string, aliases: string[] = []) => ({ path: p, id, date, aliases });

  it('numbers placeholders after the highest id, by date then path', () => {
    const plan = planIdAssignment(
      [note('notes/OSSN-0007.md', 'OSSN-0007', '2014-03-18'), note('notes/b.md', 'OSSN-XXXX', '2015-01-02'), note('notes/a.md', 'OSSN-XXXX', '2015-01-02'), note('notes/z.md', 'OSSN-XXXX', '2014-12-31')],
      { prefix: 'OSSN', existingFiles: new Set() },
    );
    expect(plan.assignments.map((a) => [a.from, a.to])).toEqual([
      ['notes/z.md', 'notes/OSSN-0008.md'],
      ['notes/a.md', 'notes/OSSN-0009.md'],
      ['notes/b.md', 'notes/OSSN-0010.md'],
    ]);
    expect(plan.lastId).toBe('OSSN-0010');
  });

  it('never reuses a number held by the guard file or a former id', () => {
    const notes = [note('notes/OSSN-0003.md', 'OSSN-0003', '2014-01-01', ['OSSN-0011']), note('notes/x.md', 'OSSN-XXXX', '2015-01-01')];
    expect(planIdAssignment(notes, { prefix: 'OSSN', existingFiles: new Set() }).lastId).toBe('OSSN-0012');
    expect(planIdAssignment(notes, { prefix: 'OSSN', lastAssigned: 'OSSN-0040', existingFiles: new Set() }).lastId).toBe('OSSN-0041');
    expect(planIdAssignment([note('notes/x.md', 'OSSN-XXXX', '2015-01-01')], { prefix: 'OSSN', existingFiles: new Set() }).lastId).toBe('OSSN-0001');
  });

  it('reports a rename onto an existing file, and plans nothing without placeholders', () => {
    const plan = planIdAssignment([note('notes/x.md', 'OSSN-XXXX', '2015-01-01')], { prefix: 'OSSN', existingFiles: new Set(['notes/OSSN-0001.md']) });
    expect(plan.collisions.map((c) => c.to)).toEqual(['notes/OSSN-0001.md']);
    expect(planIdAssignment([note('notes/OSSN-0001.md', 'OSSN-0001', '2015-01-01')], { prefix: 'OSSN', existingFiles: new Set() })).toEqual({ assignments: [], collisions: [] });
  });
});

describe('replaceIdField', () => {
  it.each([
    ['plain', '---\nid: OSSN-XXXX\ntitle: t\n---\nbody OSSN-XXXX\n', '---\nid: OSSN-0042\ntitle: t\n---\nbody OSSN-XXXX\n'],
    ['quoted, commented', "---\ntitle: 'id: OSSN-XXXX'\nid: 'OSSN-XXXX'  # placeholder\n---\n", "---\ntitle: 'id: OSSN-XXXX'\nid: 'OSSN-0042'  # placeholder\n---\n"],
    ['CRLF and a byte-order mark', '\ufeff---\r\ntitle: t\r\nid: "OSSN-XXXX"\r\n---\r\nbody\r\n', '\ufeff---\r\ntitle: t\r\nid: "OSSN-0042"\r\n---\r\nbody\r\n'],
  ])('changes only the id value (%s)', (_name, before, after) => {
    expect(replaceIdField(before, 'OSSN-XXXX', 'OSSN-0042')).toBe(after);
  });

  it('refuses a note whose id is not the placeholder', () => {
    expect(replaceIdField('---\nid: OSSN-0001\n---\n', 'OSSN-XXXX', 'OSSN-0042')).toBeUndefined();
    expect(replaceIdField('no front matter', 'OSSN-XXXX', 'OSSN-0042')).toBeUndefined();
  });
});

describe('assignIds on a checkout', () => {
  it('renames placeholder notes, rewrites their id line only, and updates the guard', async () => {
    const placeholder = noteText({ id: 'OSSN-XXXX', date: '2015-02-01', extraFrontMatter: "tags: ['keep  this   spacing']" });
    const dir = await checkout({
      'notes/OSSN-0007.md': noteText({ id: 'OSSN-0007' }),
      'notes/memcached.md': placeholder,
      'notes/early.md': noteText({ id: 'OSSN-XXXX', date: '2015-01-01' }),
    });
    const plan = await assignIds({ cwd: dir, notesDir: 'notes', config, now });
    expect(plan.assignments.map((a) => `${a.from} -> ${a.to}`)).toEqual(['notes/early.md -> notes/OSSN-0008.md', 'notes/memcached.md -> notes/OSSN-0009.md']);
    expect((await readdir(path.join(dir, 'notes'))).sort()).toEqual(['.last-id', 'OSSN-0007.md', 'OSSN-0008.md', 'OSSN-0009.md']);
    expect(await readFile(path.join(dir, 'notes/OSSN-0009.md'), 'utf8')).toBe(placeholder.replace('id: OSSN-XXXX', 'id: OSSN-0009'));
    const guard = await readFile(path.join(dir, 'notes/.last-id'), 'utf8');
    expect(guard).toMatch(/^OSSN-0009 [0-9a-f]{16}\n$/);
    expect(await readdir(path.join(dir, 'state'))).toEqual([]);

    const again = await assignIds({ cwd: dir, notesDir: 'notes', config, now });
    expect(again.assignments).toEqual([]);
    expect(await readFile(path.join(dir, 'notes/.last-id'), 'utf8')).toBe(guard);
  });

  it('changes nothing in a dry run, and refuses while a note is broken', async () => {
    const dir = await checkout({ 'notes/a.md': noteText({ id: 'OSSN-XXXX' }) });
    const plan = await assignIds({ cwd: dir, notesDir: 'notes', config, now, dryRun: true });
    expect(plan.lastId).toBe('OSSN-0001');
    expect(await readdir(path.join(dir, 'notes'))).toEqual(['a.md']);

    await writeFile(path.join(dir, 'notes/b.md'), '---\nid: OSSN-XXXX\ntitle: [broken\n---\n');
    const error = await assignIds({ cwd: dir, notesDir: 'notes', config, now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ file: 'notes/b.md', ruleId: 'yaml-syntax' });
    expect((await readdir(path.join(dir, 'notes'))).sort()).toEqual(['a.md', 'b.md']);
  });

  it('reads every note\u2019s card from the build cache, which --no-cache leaves alone', async () => {
    const dir = await checkout({ 'notes/OSSN-0007.md': noteText({ id: 'OSSN-0007' }), 'notes/memcached.md': noteText({ id: 'OSSN-XXXX', date: '2015-02-01' }) });
    expect((await runCli(['build'], { cwd: dir, env: {} })).code).toBe(0);
    // A number only the cache gives the numbered note: the plan counts from it.
    await editCachedRecord(path.join(dir, '.herald-cache'), 'notes/OSSN-0007.md', (record) => {
      record.card!.id = 'OSSN-0041';
    });
    const planned = async (...args: string[]) => JSON.parse((await runCli(['assign-ids', '--dry-run', '--json', ...args], { cwd: dir, env: {} })).stdout).assignments;
    expect(await planned()).toEqual([{ from: 'notes/memcached.md', to: 'notes/OSSN-0042.md', id: 'OSSN-0042' }]);
    expect(await planned('--no-cache')).toEqual([{ from: 'notes/memcached.md', to: 'notes/OSSN-0008.md', id: 'OSSN-0008' }]);
  });

  it('refuses while another run holds the lock, and a malformed guard', async () => {
    const dir = await checkout({ 'notes/a.md': noteText({ id: 'OSSN-XXXX' }) });
    await mkdir(path.join(dir, 'state'));
    await writeFile(path.join(dir, 'state/assign-ids.lock'), 'pid 1 on elsewhere since 2024-06-01T00:00:00.000Z\n');
    const locked = await assignIds({ cwd: dir, notesDir: 'notes', config, now }).catch((e: unknown) => e);
    expect((locked as HeraldError).messages[0]).toMatchObject({ ruleId: 'assign-ids-locked' });
    expect((locked as HeraldError).messages[0]?.message).toContain('pid 1 on elsewhere');
    expect(await readdir(path.join(dir, 'notes'))).toEqual(['a.md']);

    const other = await checkout({ 'notes/a.md': noteText({ id: 'OSSN-XXXX' }), 'notes/.last-id': 'banana\n' });
    const guard = await assignIds({ cwd: other, notesDir: 'notes', config, now }).catch((e: unknown) => e);
    expect((guard as HeraldError).messages[0]).toMatchObject({ file: 'notes/.last-id', ruleId: 'assign-ids-guard' });
  });

  it('refuses, changing nothing, when its lock cannot be made: a file named state is in the way', async () => {
    const dir = await checkout({ 'notes/a.md': noteText({ id: 'OSSN-XXXX' }), state: 'not a folder\n' });
    const run = await runCli(['assign-ids'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([1, expect.stringContaining(`${path.join(dir, 'state/assign-ids.lock')}:1:1  error  assign-ids-lock-unwritable  The lock cannot be made: a file is in the way of a folder (ENOTDIR); nothing was changed.`)]);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await readdir(path.join(dir, 'notes'))).toEqual(['a.md']);
  });
});

const noGit = missingTools('git');
describe.skipIf(!!noGit)('the guard file under git', () => {
  it('turns two branches that each assigned ids into a merge conflict', async () => {
    const dir = await checkout({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }), 'notes/.last-id': 'OSSN-0001\n', '.gitignore': 'state/\n' });
    expect(git(dir, 'init', '-q').status).toBe(0);
    commitAll(dir, 'base');

    // Notes in different folders get different paths for the same id, so
    // only the guard file can make git notice the duplicate.
    for (const [branch, file] of [['one', 'nova/libvirt.md'], ['two', 'keystone/memcached.md']] as const) {
      expect(git(dir, 'checkout', '-q', '-b', branch, 'main').status).toBe(0);
      await mkdir(path.dirname(path.join(dir, 'notes', file)), { recursive: true });
      await writeFile(path.join(dir, 'notes', file), noteText({ id: 'OSSN-XXXX', title: `Note from ${branch}` }));
      const plan = await assignIds({ cwd: dir, notesDir: 'notes', config, now });
      expect(plan.lastId).toBe('OSSN-0002');
      commitAll(dir, `assign ids on ${branch}`);
    }

    expect(git(dir, 'checkout', '-q', 'main').status).toBe(0);
    expect(git(dir, 'merge', '-q', '--no-edit', 'one').status).toBe(0);
    const merge = git(dir, 'merge', '--no-edit', 'two');
    expect(merge.status).not.toBe(0);
    expect(merge.out).toMatch(/CONFLICT/);
    const conflicted = git(dir, 'diff', '--name-only', '--diff-filter=U').out.split('\n').filter(Boolean);
    expect(conflicted).toEqual(['notes/.last-id']);
  });
});

describe('two assign-ids processes on one checkout', () => {
  const bin = path.resolve(import.meta.dirname, '../../bin/herald.js');
  const runProcess = (cwd: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'assign-ids', '--json'], { cwd, env: { ...process.env, HERALD_NOW: now.toISOString() } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('assigns each placeholder once: one run assigns, the other is refused by the lock or finds nothing left', async () => {
    const files: Record<string, string> = {};
    // Enough notes that loading them keeps the lock held while the other process starts.
    for (let i = 1; i <= 60; i++) files[`notes/OSSN-${String(i).padStart(4, '0')}.md`] = noteText({ id: `OSSN-${String(i).padStart(4, '0')}` });
    for (const name of ['a', 'b', 'c']) files[`notes/new-${name}.md`] = noteText({ id: 'OSSN-XXXX', date: '2015-01-01' });
    const dir = await checkout(files);

    const results = await Promise.all([runProcess(dir), runProcess(dir)]);
    const assigned = results.filter((r) => r.code === 0 && JSON.parse(r.stdout).assignments.length > 0);
    expect(assigned).toHaveLength(1);
    const other = results.find((r) => r !== assigned[0])!;
    if (other.code === 0) expect(JSON.parse(other.stdout).assignments).toEqual([]);
    else {
      expect(other.code).toBe(1);
      // With --json, the refusal is said once, in the JSON on stdout.
      expect(other.stdout).toContain('assign-ids-locked');
    }
    const names = (await readdir(path.join(dir, 'notes'))).filter((f) => !f.startsWith('OSSN-0') || Number(f.slice(5, 9)) > 60);
    expect(names.sort()).toEqual(['.last-id', 'OSSN-0061.md', 'OSSN-0062.md', 'OSSN-0063.md']);
    expect(await readdir(path.join(dir, 'state'))).toEqual([]);
  });
});
