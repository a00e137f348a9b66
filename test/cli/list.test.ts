/** `herald list`: where every note stands, newest first, the same with or without the build cache. */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();
const repo = path.resolve(import.meta.dirname, '../..');

describe('herald list', () => {
  let root: string;

  beforeAll(async () => {
    root = await temporary('herald-list-');
    await cp(path.join(repo, 'notes'), path.join(root, 'notes'), { recursive: true });
    await cp(path.join(repo, 'herald.config.yaml'), path.join(root, 'herald.config.yaml'));
    const held = (await readFile(path.join(root, 'notes/OSSN-0005.md'), 'utf8')).replace('\nstatus: published\n', '\nstatus: published\nembargo: 2026-02-01T15:00:00Z\n');
    await writeFile(path.join(root, 'notes/OSSN-0005.md'), held);
    await writeFile(path.join(root, 'notes/broken.md'), '---\nid: [\n---\n');
  });

  it('prints a table, newest first, with each note\'s state, latest update and lint problems', async () => {
    const run = await runCli(['list', '--no-cache'], { cwd: root });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +STATE +DATE +LATEST +LINT +TITLE$/);
    expect(lines.map((line) => line.split(/ {2,}/)[0])).toEqual(['ID', 'OSSN-XXXX', 'OSSN-0007', 'OSSN-0006', 'OSSN-0005', 'heartbleed-system-vms', 'OSSN-0004', 'OSSN-0003', 'OSSN-0002', 'OSSN-0001', 'notes/broken.md']);
    expect(lines.find((line) => line.startsWith('OSSN-0005'))).toMatch(/ embargoed until 2026-02-01T15:00:00Z +2014-06-19 +UPDATE 1 2015-05-05 +ok +RabbitMQ /);
    expect(lines.find((line) => line.startsWith('OSSN-0006'))).toMatch(/ withdrawn /);
    expect(lines.at(-1)).toMatch(/^notes\/broken\.md +1 error\(s\) +\(cannot be read: run herald lint\)$/);
    expect(run.stderr).toBe('10 of 10 note(s)\n');
  });

  it('filters by state, prints JSON, and reads the same from the build cache', async () => {
    const drafts = await runCli(['list', '--status', 'embargoed', '--json', '--no-cache'], { cwd: root });
    expect(JSON.parse(drafts.stdout)).toEqual([
      expect.objectContaining({ path: 'notes/OSSN-0005.md', id: 'OSSN-0005', kind: 'note', state: 'embargoed', embargo: '2026-02-01T15:00:00Z', revision: 1, errors: 0, warnings: 0 }),
    ]);
    const fresh = await runCli(['list', '--no-cache'], { cwd: root });
    await runCli(['build'], { cwd: root });
    const cached = await runCli(['list'], { cwd: root });
    expect(cached.stdout).toBe(fresh.stdout);
    const wrong = await runCli(['list', '--status', 'public'], { cwd: root });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--status public: use one of draft, embargoed, published, withdrawn');
  });

  it('exits 0 though notes have lint errors: the list marks them, lint is the gate; --help says so', async () => {
    const listed = await runCli(['list', '--json', '--no-cache'], { cwd: root });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ path: 'notes/broken.md', errors: 1 }));
    expect((await runCli(['lint', '--no-cache'], { cwd: root })).code).toBe(1);
    const help = await runCli(['list', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('Exit status: 0 whenever the list is printed, also when notes have lint errors');
  });

  it('says that a folder named holds no note, as lint and build say it, and still answers the query', async () => {
    const empty = await temporary('herald-list-empty-');
    await mkdir(path.join(empty, 'notes'));
    const run = await runCli(['list', '--json'], { cwd: empty });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toMatch(/^notes:1:1 {2}warning {2}notes-folder-empty {2}The folder notes holds no note/);
  });

  it('lists the folder --notes names, as build, lint and the other commands take it; paths given still win', async () => {
    // `herald list --notes DIR` was an unknown option (exit 2).
    const elsewhere = await temporary('herald-list-notes-');
    await cp(path.join(root, 'notes'), path.join(elsewhere, 'advisories'), { recursive: true });
    await cp(path.join(root, 'herald.config.yaml'), path.join(elsewhere, 'herald.config.yaml'));
    const run = await runCli(['list', '--notes', 'advisories', '--json', '--no-cache'], { cwd: elsewhere });
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { path: string }[];
    expect(listed).toHaveLength(10);
    expect(listed.every((row) => row.path.startsWith('advisories/'))).toBe(true);
    const one = await runCli(['list', '--notes', 'advisories', '--json', '--no-cache', 'advisories/OSSN-0007.md'], { cwd: elsewhere });
    expect(JSON.parse(one.stdout)).toEqual([expect.objectContaining({ path: 'advisories/OSSN-0007.md', id: 'OSSN-0007', errors: 0 })]);
    const missing = await runCli(['list', '--notes', 'gone'], { cwd: elsewhere });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: gone');
  });
});
