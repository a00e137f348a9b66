/** Which files are notes: Markdown under the folders named, links followed, nothing walked twice. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNoteFiles } from '../../src/io/find-notes.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();

describe('findNoteFiles', () => {
  it('counts a link as what it points to, walks a folder reached twice once, and leaves out broken links', async () => {
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
    expect(await findNoteFiles(['notes'], root)).toEqual(['notes/2014/OSSN-0002.MD', 'notes/OSSN-0001.md', 'notes/OSSN-0003.md']);
  });
});
