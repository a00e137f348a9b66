/** Which files are notes: Markdown under the folders named, links followed, nothing walked twice, a broken link to a note said. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
