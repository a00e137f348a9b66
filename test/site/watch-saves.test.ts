/**
 * `herald serve --watch` under the file operations authors' tools make:
 * a config saved by renaming a new file over it (vim with backupcopy=no,
 * sed -i, most editors' safe write), a notes folder moved away and made
 * again, the files editors keep beside a note, the output folder or one
 * of its root folders deleted while serving. Each time the served site ends as a fresh build of the
 * same notes and config makes it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { serveSite, type SiteServer } from '../../src/serve/serve.ts';
import type { BuildOutcome } from '../../src/serve/watch.ts';
import { filesUnder } from '../support/files-under.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';
import { fixturesDir, fixtureNotes, testNow } from './support.ts';

const folder = temporaryFolders();

/** Every file of a tree with the SHA-256 of its bytes, but the manifest's main file (it names its own folders' identities). */
function treeDigest(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).filter((file) => file !== '.herald-manifest.json').map((file) => [file, createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex')]));
}

describe('herald serve --watch and the way tools write files', { timeout: 60_000 }, () => {
  let project: string;
  let server: SiteServer;
  const outcomes: BuildOutcome[] = [];
  const configFile = () => path.join(project, 'herald.config.yaml');
  const get = async (page: string) => {
    const response = await fetch(new URL(page, server.url));
    return { status: response.status, body: await response.text() };
  };
  /** What `herald build` makes of the project's notes and config in a new output folder, without a cache. */
  const freshBuild = async () => {
    const out = await folder('herald-fresh-');
    const config = await loadConfig(project);
    await build({ notes: ['notes'], out, config, now: testNow, cwd: project, workers: 0, cache: false });
    return treeDigest(out);
  };
  /** Saved as sed -i and most editors' safe write save: a new file renamed over the old one. */
  const saveByRename = async (file: string, text: string) => {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    await writeFile(temporary, text);
    await rename(temporary, file);
  };
  /** Saved as vim saves with backupcopy=no: the old file renamed to the backup, a new one written, the backup removed. */
  const saveAsVim = async (file: string, text: string) => {
    await rename(file, `${file}~`);
    await writeFile(file, text);
    await rm(`${file}~`);
  };

  beforeAll(async () => {
    project = await folder('herald-watch-saves-');
    await cp(fixtureNotes, path.join(project, 'notes'), { recursive: true });
    await cp(path.join(fixturesDir, 'herald.config.yaml'), configFile());
    server = await serveSite({ cwd: project, notes: 'notes', out: 'dist', preview: false, workers: 0, now: () => testNow, log: () => {}, host: '127.0.0.1', port: 0, watch: true, onBuild: (outcome) => outcomes.push(outcome) });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('sees every save of the config: a new file renamed over it, vim\u2019s, in place', async () => {
    const original = await readFile(configFile(), 'utf8');
    for (const [title, save] of [
      ['Renamed Over', saveByRename],
      ['Written in Place', writeFile],
      ['Saved by Vim', saveAsVim],
      ['Written Again', writeFile],
      ['Saved by Vim Again', saveAsVim],
    ] as const) {
      await save(configFile(), original.replace('title: Example Security Notes', `title: ${title}`));
      await expect.poll(async () => (await get('/')).body, { timeout: 20_000 }).toContain(`<title>${title}</title>`);
    }
    // Removed, then made again: the defaults' build, then the config's.
    const builds = outcomes.length;
    await rm(configFile());
    await expect.poll(() => outcomes.length, { timeout: 20_000 }).toBeGreaterThan(builds);
    await writeFile(configFile(), original);
    await expect.poll(async () => (await get('/')).body, { timeout: 20_000 }).toContain('<title>Example Security Notes</title>');
  });

  it('says a notes folder moved away is gone, and watches it again once it is made again', async () => {
    const notes = path.join(project, 'notes');
    const moved = path.join(project, 'notes-moved');
    await rename(notes, moved);
    // Said as what it is, not as a bug in herald nor as herald run in the wrong folder.
    await expect.poll(() => outcomes.at(-1), { timeout: 20_000 }).toMatchObject({ ok: false, errors: [{ file: 'notes', line: 1, column: 1, ruleId: 'serve-notes-gone', message: 'The notes folder notes is no longer there: it was removed or moved away while being watched' }] });
    const failed = outcomes.length;
    expect((await get('/advisories/OSSN-0103/')).status).toBe(200);
    // A new folder (not the one moved away) with every note in it at once, as a checkout makes it: each
    // build from here on sees all of them, so none of those builds changes the output the move left.
    const staged = path.join(project, 'notes-staged');
    await cp(moved, staged, { recursive: true });
    await rename(staged, notes);
    await rm(moved, { recursive: true });
    // chokidar reads a folder made again, saying which notes are in it (which starts a build), and then
    // watches it: once a build of it succeeded, an edit in it is seen.
    await expect.poll(() => outcomes.slice(failed).some((outcome) => outcome.ok), { timeout: 20_000 }).toBe(true);
    const note = path.join(notes, 'OSSN-0103.md');
    const edited = outcomes.length;
    await writeFile(note, (await readFile(note, 'utf8')).replace(/^title: .*$/m, 'title: Edited in the folder made again'));
    // The edited page is put in place before its build ends: that build is the first since the edit to change the output.
    await expect.poll(() => outcomes.slice(edited).some((outcome) => outcome.ok && outcome.changed), { timeout: 20_000 }).toBe(true);
    expect((await get('/advisories/OSSN-0103/')).body).toContain('<h1>Edited in the folder made again</h1>');
    const fresh = await freshBuild();
    expect(treeDigest(path.join(project, 'dist'))).toEqual(fresh);
  });

  it('starts no build for what editors write beside a note, but builds the note saved', async () => {
    const notes = path.join(project, 'notes');
    const note = path.join(notes, 'OSSN-0102.md');
    const builds = outcomes.length;
    // vim's swap file and backup, emacs's auto-save file and lock link, an editor's own folder, the folder's README.
    await writeFile(path.join(notes, '.OSSN-0102.md.swp'), 'swap');
    await writeFile(path.join(notes, 'OSSN-0102.md~'), 'backup');
    await writeFile(path.join(notes, '#OSSN-0102.md#'), 'auto-save');
    await symlink('helper@host.1234:1', path.join(notes, '.#OSSN-0102.md'));
    await mkdir(path.join(notes, '.obsidian'));
    await writeFile(path.join(notes, '.obsidian', 'workspace.json'), '{}');
    await writeFile(path.join(notes, 'README.md'), '# Notes\n');
    // Written again a moment later, as an editor does, so that these are events of their own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeFile(path.join(notes, '.OSSN-0102.md.swp'), 'swap, later');
    await writeFile(path.join(notes, '.obsidian', 'workspace.json'), '{"active": "OSSN-0102.md"}');
    for (const file of ['.OSSN-0102.md.swp', 'OSSN-0102.md~', '#OSSN-0102.md#', '.#OSSN-0102.md']) await rm(path.join(notes, file));
    // Each would have been a build that found nothing changed, and reloaded every open page. No event says
    // that none will start: a build would begin 50 ms after the last of these events, and 1.5 s gives a
    // loaded machine time to deliver them (too short a window can only miss such a build, never fail).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(outcomes.length).toBe(builds);
    await writeFile(note, (await readFile(note, 'utf8')).replace(/^title: .*$/m, 'title: Saved beside its swap file'));
    await expect.poll(async () => (await get('/advisories/OSSN-0102/')).body, { timeout: 20_000 }).toContain('<h1>Saved beside its swap file</h1>');
    // The page is put in place before its build ends.
    await expect.poll(() => outcomes.length, { timeout: 20_000 }).toBe(builds + 1);
  });

  it('builds the output folder again when it is deleted while serving, as a fresh build makes it', async () => {
    const builds = outcomes.length;
    await rm(path.join(project, 'dist'), { recursive: true });
    await expect.poll(async () => (await get('/advisories/OSSN-0101/')).status, { timeout: 20_000 }).toBe(200);
    await expect.poll(() => outcomes.length).toBe(builds + 1);
    expect(outcomes.at(-1)).toMatchObject({ ok: true });
    expect(treeDigest(path.join(project, 'dist'))).toEqual(await freshBuild());
    // The new output swapped in is no reason for another build. No event says none will come: the output's
    // root folders are looked for twice a second, so 1 s covers two looks (a window that can only miss one).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(outcomes.length).toBe(builds + 1);
  });

  it('builds an output root folder again when it is deleted while serving (rm -rf dist/site), as a fresh build makes it', async () => {
    for (const root of ['site', 'wiki']) {
      const builds = outcomes.length;
      await rm(path.join(project, 'dist', root), { recursive: true });
      // No edit: the removal alone is seen.
      await expect.poll(() => outcomes.length, { timeout: 20_000 }).toBe(builds + 1);
      expect(outcomes.at(-1)).toMatchObject({ ok: true, changed: true });
      expect((await get('/advisories/OSSN-0101/')).status).toBe(200);
      expect(treeDigest(path.join(project, 'dist'))).toEqual(await freshBuild());
      // Built again once, not again and again: 1.5 s is three looks for the root folders (a window that can only miss a build).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(outcomes.length).toBe(builds + 1);
    }
  });
});
