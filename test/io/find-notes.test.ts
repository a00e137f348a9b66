/** Which files are notes: Markdown under the folders named, links followed, nothing walked twice, a broken link to a note said. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeraldError, type HeraldMessage } from '../../src/errors/message.ts';
import { findNoteFiles } from '../../src/io/find-notes.ts';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();

describe('findNoteFiles', () => {
  it('counts a link as what it points to, walks a folder reached twice once, and keeps a broken link named like a note', async () => {
    const root = await temporary('herald-find-');
    await mkdir(path.join(root, 'notes/2014'), { recursive: true });
    await mkdir(path.join(root, 'kept-elsewhere'));
    await writeFile(path.join(root, 'notes/OSSN-0001.md'), '');
    await writeFile(path.join(root, 'notes/2014/OSSN-0002.MD'), '');
    await writeFile(path.join(root, 'notes/README.md'), '');
    await writeFile(path.join(root, 'notes/.last-id'), '');
    await writeFile(path.join(root, 'kept-elsewhere/OSSN-0003.md'), '');
    await symlink('../kept-elsewhere/OSSN-0003.md', path.join(root, 'notes/OSSN-0003.md'));
    await symlink('2014', path.join(root, 'notes/this-year'));
    await symlink('.', path.join(root, 'notes/loop'));
    await symlink('gone.md', path.join(root, 'notes/OSSN-0004.md'));
    await symlink('gone', path.join(root, 'notes/old-folder'));
    expect(await findNoteFiles(['notes'], root)).toEqual(['notes/2014/OSSN-0002.MD', 'notes/OSSN-0001.md', 'notes/OSSN-0003.md', 'notes/OSSN-0004.md']);
  });

  it('a broken link to a note refuses the build and fails lint, saying where it points, instead of leaving the note out', async () => {
    const root = await temporary('herald-find-');
    await mkdir(path.join(root, 'notes'));
    await symlink('../moved/OSSN-0004.md', path.join(root, 'notes/OSSN-0004.md'));
    const said = 'notes/OSSN-0004.md:1:1  error  file-unreadable  The file is a symbolic link to ../moved/OSSN-0004.md, which does not exist; point the link at the note or remove it';
    for (const command of [['build'], ['lint'], ['lint', '--no-cache']]) {
      const run = await runCli(command, { cwd: root });
      expect([run.code, run.stdout + run.stderr], command.join(' ')).toEqual([1, expect.stringContaining(said)]);
      expect(run.stderr).not.toContain('internal error');
    }
  });

  it('refuses a link to a note file out of both the notes folder and the project (notes-link-outside), never opening it', async () => {
    const root = await temporary('herald-find-');
    const elsewhere = await temporary('herald-elsewhere-');
    await mkdir(path.join(root, 'notes'));
    await writeFile(path.join(root, 'notes/OSSN-0001.md'), '');
    const secret = path.join(elsewhere, 'secret.md');
    await writeFile(secret, '---\ntoken: do-not-print-me\n---\n');
    await symlink(secret, path.join(root, 'notes/OSSN-0002.md'));
    // Through a folder link within the notes folder, too.
    await mkdir(path.join(root, 'notes/inner'));
    await symlink('/proc/self/environ', path.join(root, 'notes/inner/OSSN-0003.md'));
    const error = await findNoteFiles(['notes'], root).then(() => undefined, (caught: unknown) => caught as HeraldError);
    expect(error?.messages.map((m) => `${m.file} ${m.ruleId} ${m.message}`)).toEqual([
      `notes/OSSN-0002.md notes-link-outside notes/OSSN-0002.md is a symbolic link to the file ${secret}, outside notes and outside the project folder ${root}: herald does not read it, so that a link in the notes cannot make it read a file elsewhere on the machine; move the note into notes, or remove the link`,
      expect.stringMatching(/^notes\/inner\/OSSN-0003\.md notes-link-outside notes\/inner\/OSSN-0003\.md is a symbolic link to the file \/proc\/self\/environ, outside notes/),
    ]);
    for (const command of [['lint'], ['lint', '--no-cache'], ['build']]) {
      const run = await runCli(command, { cwd: root });
      expect([run.code, run.stdout + run.stderr], command.join(' ')).toEqual([1, expect.stringContaining('notes/OSSN-0002.md:1:1  error  notes-link-outside')]);
      expect(run.stdout + run.stderr).not.toContain('do-not-print-me');
      expect(run.stderr).not.toContain('internal error');
    }
  });
});

describe('a notes folder that holds no note', () => {
  it('names a FIFO or a device named like a note (file-unreadable) without opening it, and a folder link out of the notes folder (notes-link-outside) without walking it', async () => {
    const root = await temporary('herald-find-');
    const elsewhere = await temporary('herald-elsewhere-');
    await mkdir(path.join(root, 'notes/inside'), { recursive: true });
    await writeFile(path.join(root, 'notes/inside/OSSN-0001.md'), '');
    await writeFile(path.join(elsewhere, 'OSSN-0002.md'), '');
    execFileSync('mkfifo', [path.join(root, 'notes/OSSN-0003.md')]);
    await symlink('/dev/null', path.join(root, 'notes/OSSN-0004.md'));
    await symlink(elsewhere, path.join(root, 'notes/elsewhere'));
    await symlink('/', path.join(root, 'notes/everything'));
    await symlink('inside', path.join(root, 'notes/also-inside'));
    const started = Date.now();
    const error = await findNoteFiles(['notes'], root).then(() => undefined, (caught: unknown) => caught as HeraldError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(HeraldError);
    expect(error!.messages.map((m) => `${m.file} ${m.ruleId} ${m.message}`)).toEqual([
      'notes/OSSN-0003.md file-unreadable The file is a FIFO (named pipe), not a regular file: herald does not open it (a FIFO would wait for a writer), so it cannot be a note; put the note\'s text in a file there, or remove it',
      expect.stringMatching(/^notes\/OSSN-0004\.md file-unreadable The file is a character device, not a regular file/),
      `notes/elsewhere notes-link-outside notes/elsewhere is a symbolic link to the folder ${elsewhere}, outside notes: herald follows folder links only within the notes folder, so the notes under it would be left out; move that folder into notes, or remove the link`,
      expect.stringMatching(/^notes\/everything notes-link-outside notes\/everything is a symbolic link to the folder \/, outside notes:/),
    ]);
    // A FIFO named on the command line is not opened either.
    await expect(findNoteFiles(['notes/OSSN-0003.md'], root)).rejects.toMatchObject({ messages: [{ ruleId: 'file-unreadable', file: 'notes/OSSN-0003.md' }] });
    for (const command of [['lint'], ['lint', '--no-cache'], ['build']]) {
      const run = await runCli(command, { cwd: root });
      expect([run.code, run.stdout + run.stderr], command.join(' ')).toEqual([1, expect.stringContaining('notes/OSSN-0003.md:1:1  error  file-unreadable  The file is a FIFO (named pipe)')]);
      expect(run.stdout + run.stderr).toContain('notes/everything:1:1  error  notes-link-outside');
      expect(run.stderr).not.toContain('internal error');
    }
  });

  it('findNoteFiles names each such folder given, with what it holds, when asked to', async () => {
    const root = await temporary('herald-find-');
    await mkdir(path.join(root, 'notes/2014'), { recursive: true });
    await mkdir(path.join(root, 'empty'));
    await writeFile(path.join(root, 'notes/README.md'), '');
    await writeFile(path.join(root, 'notes/OSSN-0001.txt'), '');
    await writeFile(path.join(root, 'notes/.last-id'), '');
    expect(await findNoteFiles(['notes', 'empty'], root)).toEqual([]);
    const said: HeraldMessage[] = [];
    expect(await findNoteFiles(['notes/', 'empty'], root, { emptyFolders: said })).toEqual([]);
    expect(said).toMatchObject([
      { file: 'notes', line: 1, column: 1, severity: 'warning', ruleId: 'notes-folder-empty', message: 'The folder notes holds no note (a .md or .markdown file other than README.md, in it or in a sub-folder): it holds only 2014, OSSN-0001.txt, README.md' },
      { file: 'empty', ruleId: 'notes-folder-empty', message: expect.stringMatching(/: it is empty$/) },
    ]);
    // A note in a sub-folder is a note of the folder; a note named beside an empty folder does not excuse it.
    await writeFile(path.join(root, 'notes/2014/OSSN-0002.md'), '');
    const again: HeraldMessage[] = [];
    expect(await findNoteFiles(['notes'], root, { emptyFolders: again })).toEqual(['notes/2014/OSSN-0002.md']);
    expect(again).toEqual([]);
    await findNoteFiles(['notes/2014/OSSN-0002.md', 'empty'], root, { emptyFolders: again });
    expect(again.map((m) => m.file)).toEqual(['empty']);
  });

  it('is a warning of lint and build, with the folder and the fix (a new repository builds its empty site); a folder that is not there stays a usage error', async () => {
    const root = await temporary('herald-empty-');
    await mkdir(path.join(root, 'notes'));
    const said = 'notes:1:1  warning  notes-folder-empty  The folder notes holds no note (a .md or .markdown file other than README.md, in it or in a sub-folder): it is empty';
    for (const command of [['lint'], ['lint', '--no-cache'], ['lint', 'notes'], ['build'], ['build', '--notes', 'notes', '--no-cache']]) {
      const run = await runCli(command, { cwd: root });
      // (lint prints its findings on stdout, build its warnings on stderr)
      const output = run.stdout + run.stderr;
      expect([run.code, output], command.join(' ')).toEqual([0, expect.stringContaining(said)]);
      expect(output, command.join(' ')).toContain('hint: If notes were meant to be there, check the path');
      expect(output, command.join(' ')).not.toMatch(/internal error/);
    }
    expect(existsSync(path.join(root, 'dist/site/index.html'))).toBe(true);
    // A CI budget of no warnings fails on it.
    expect((await runCli(['lint', '--max-warnings', '0'], { cwd: root })).code).toBe(1);
    const json = await runCli(['lint', '--json'], { cwd: root });
    expect(JSON.parse(json.stdout)).toMatchObject([{ file: 'notes', ruleId: 'notes-folder-empty', severity: 'warning' }]);
    const build = await runCli(['build', '--json'], { cwd: root });
    expect(JSON.parse(build.stdout)).toMatchObject({ ok: true, advisories: [], messages: [{ file: 'notes', ruleId: 'notes-folder-empty' }] });
    for (const command of [['lint', 'nots'], ['build', '--notes', 'nots']]) {
      const run = await runCli(command, { cwd: root });
      expect([run.code, run.stderr], command.join(' ')).toEqual([2, expect.stringContaining('no such file or folder: nots')]);
    }
  });

  it('herald new still starts the first note in an empty notes folder, which then lints and builds', async () => {
    const root = await temporary('herald-empty-');
    await mkdir(path.join(root, 'notes'));
    // The bundled config, whose mailing lists the template's `lists:` names.
    await copyFile(path.resolve(import.meta.dirname, '../../herald.config.yaml'), path.join(root, 'herald.config.yaml'));
    const created = await runCli(['new', 'The first note'], { cwd: root, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    expect(created.code, created.stderr).toBe(0);
    expect(await readdir(path.join(root, 'notes'))).toEqual(['OSSN-XXXX-the-first-note.md']);
    const lint = await runCli(['lint'], { cwd: root });
    expect(lint.stderr).toContain('1 note(s) checked');
    expect(lint.stdout).not.toContain('notes-folder-empty');
    // A draft is left out of the public site, but the folder holds a note: the build goes on.
    const built = await runCli(['build', '--no-cache'], { cwd: root });
    expect(built.code, built.stderr).toBe(0);
  });
});
