import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, warmUp } from '../../src/build/build.ts';
import { forgetSavedRecords } from '../../src/build/cache.ts';
import { loadManifest, manifestFiles } from '../../src/build/manifest.ts';
import { loadConfig } from '../../src/config/load.ts';
import { HeraldError } from '../../src/errors/message.ts';
import type { Renderer } from '../../src/render/types.ts';
import { filesUnder } from '../support/files-under.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const now = new Date('2026-01-15T12:00:00Z');

/** A renderer that lists what it was given: enough to test selection and atomicity. */
const listing: Renderer = {
  name: 'listing',
  renderNote: (a, ctx) => [{ path: `listing/${a.slug}.txt`, contents: `${a.id} ${a.status}${ctx.preview ? ' PREVIEW' : ''}\n` }],
  renderAll: (all) => [{ path: 'listing/index.txt', contents: all.map((a) => a.id).join('\n') + '\n' }],
};

function project(): string {
  const dir = mkdtempSync(path.join(work, 'project-'));
  cpSync(path.join(repo, 'notes'), path.join(dir, 'notes'), { recursive: true });
  cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
  return dir;
}

/** A project built once (with its cache, in-process), then OSSN-0001 given a sentence. */
async function builtThenEdited(sentence: string) {
  const dir = project();
  const config = await loadConfig(dir);
  const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 };
  await build(options);
  const note = path.join(dir, 'notes/OSSN-0001.md');
  writeFileSync(note, readFileSync(note, 'utf8').replace('## Summary\n', `## Summary\n\n${sentence}\n`));
  return { dir, options };
}

describe('herald build', () => {
  it('publishes published and withdrawn notes, never drafts, embargoed ones or ones without their id, newest first', async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'notes/OSSN-0999.md'),
      readFileSync(path.join(dir, 'notes/OSSN-0001.md'), 'utf8').replace(/^id: .*$/m, 'id: OSSN-0999').replace(/^embargo: .*$/m, '').replace(/^status: .*$/m, 'status: published\nembargo: 2099-01-01T00:00:00Z'),
    );
    // Published, merged, not numbered yet: its pages would move once assign-ids runs.
    writeFileSync(path.join(dir, 'notes/OSSN-XXXX-merged.md'), readFileSync(path.join(dir, 'notes/OSSN-0001.md'), 'utf8').replace(/^id: .*$/m, 'id: OSSN-XXXX'));
    const config = await loadConfig(dir);
    const result = await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing] });
    const index = readFileSync(path.join(dir, 'dist/listing/index.txt'), 'utf8').trim().split('\n');
    expect(index).not.toContain('OSSN-XXXX');
    expect(index).not.toContain('OSSN-0999');
    expect(result.advisories.every((a) => a.status !== 'draft')).toBe(true);
    const dates = result.advisories.map((a) => a.date);
    expect([...dates].sort().reverse()).toEqual(dates);

    const preview = await build({ notes: ['notes'], out: 'preview', config, now, cwd: dir, preview: true, renderers: [listing] });
    expect(preview.advisories.map((a) => a.id)).toEqual(expect.arrayContaining(['OSSN-XXXX', 'OSSN-0999', 'OSSN-XXXX-merged']));
    expect(readFileSync(path.join(dir, 'preview/listing/OSSN-0999.txt'), 'utf8')).toContain('PREVIEW');
    // Two notes without their id, side by side in a preview: each goes by its file name.
    expect(readFileSync(path.join(dir, 'preview/listing/OSSN-XXXX-merged.txt'), 'utf8')).toContain('PREVIEW');
    expect(existsSync(path.join(dir, 'preview/listing/OSSN-XXXX.txt'))).toBe(true);
  });

  it('refuses two notes with one id, in two folders, as id-duplicate: never an internal error, the output as it was', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir };
    await build(options);
    const before = readFileSync(path.join(dir, 'dist/site/advisories/OSSN-0002/index.html'), 'utf8');
    mkdirSync(path.join(dir, 'notes/copies'));
    writeFileSync(path.join(dir, 'notes/copies/OSSN-0002.md'), readFileSync(path.join(dir, 'notes/OSSN-0002.md'), 'utf8').replace(/^title: .*$/m, 'title: A copy'));
    for (const workers of [undefined, 0]) {
      const error = await build({ ...options, ...(workers === undefined ? {} : { workers }) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HeraldError);
      expect((error as HeraldError).messages.filter((m) => m.severity === 'error').map((m) => m.ruleId)).toEqual(['id-duplicate']);
      expect(readFileSync(path.join(dir, 'dist/site/advisories/OSSN-0002/index.html'), 'utf8')).toBe(before);
    }
  });

  it('refuses outputs two notes would share for any other reason, naming the note that has it', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const same: Renderer = { name: 'same', renderNote: () => [{ path: 'same.txt', contents: 'x\n' }] };
    const error = await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0, renderers: [same] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    const collisions = (error as HeraldError).messages.filter((m) => m.ruleId === 'output-collision');
    expect(collisions.length).toBeGreaterThan(0);
    expect(collisions[0]!.message).toMatch(/^Its output same\.txt is also the output of notes\/.+\.md: two advisories would publish the same file$/);
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it('refuses to build while any note is broken, and leaves the previous output intact', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing] });
    const before = readFileSync(path.join(dir, 'dist/listing/index.txt'), 'utf8');
    writeFileSync(path.join(dir, 'notes/OSSN-0001.md'), '---\ntitle: [broken\n---\n');
    await expect(build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing] })).rejects.toBeInstanceOf(HeraldError);
    expect(readFileSync(path.join(dir, 'dist/listing/index.txt'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  it('says which folder cannot be written or is not its own before any work, and never replaces a folder it did not make', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    writeFileSync(path.join(dir, 'a-file'), 'not a folder\n');
    mkdirSync(path.join(dir, 'mine'));
    writeFileSync(path.join(dir, 'mine', 'keep.txt'), 'mine\n');
    const failure = async (options: { out?: string; cache?: string }) => {
      const attempt = build({ notes: ['notes'], out: options.out ?? 'dist', cache: options.cache ?? '.herald-cache', config, now, cwd: dir, workers: 1 });
      const error = await attempt.then(() => undefined, (e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(HeraldError);
      return (error as HeraldError).messages[0]!;
    };
    expect(await failure({ cache: 'a-file/cache' })).toMatchObject({ ruleId: 'cache-unwritable', file: 'a-file/cache', message: 'The build cache folder cannot be written: a-file/cache (ENOTDIR)' });
    expect(await failure({ out: 'a-file/dist' })).toMatchObject({ ruleId: 'output-unwritable', file: 'a-file/dist' });
    // Where mkdir answers ENOENT under a folder that exists, an error too (Node's recursive mkdir would never return).
    if (existsSync('/proc/self')) expect(await failure({ cache: '/proc/herald-no-such/cache' })).toMatchObject({ ruleId: 'cache-unwritable', message: 'The build cache folder cannot be written: /proc/herald-no-such/cache (ENOENT)' });
    expect(await failure({ out: 'a-file' })).toMatchObject({ ruleId: 'output-not-herald', message: 'a-file is a file, not a folder, and herald replaces its output folder whole' });
    expect(await failure({ out: 'mine' })).toMatchObject({ ruleId: 'output-not-herald', message: 'mine holds files herald did not write (keep.txt), and herald replaces its output folder whole' });
    expect(await failure({ out: 'notes' })).toMatchObject({ ruleId: 'output-not-herald', file: 'notes' });
    expect(readFileSync(path.join(dir, 'mine', 'keep.txt'), 'utf8')).toBe('mine\n');
    expect(readdirSync(path.join(dir, 'notes')).length).toBeGreaterThan(3);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
    // An empty folder (or one of empty folders, as serve --watch leaves after a failed first build), and a folder herald built, are its to write.
    mkdirSync(path.join(dir, 'empty/site/sub'), { recursive: true });
    await build({ notes: ['notes'], out: 'empty', config, now, cwd: dir, renderers: [listing] });
    await build({ notes: ['notes'], out: 'empty', config, now, cwd: dir, renderers: [listing], clean: true });
    expect(existsSync(path.join(dir, 'empty/listing/index.txt'))).toBe(true);
  });

  it('warms up (serve --watch) without writing anything, and the rebuild after it equals a clean build', { timeout: 60_000 }, async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 };
    await build(options);
    const tree = () => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((file) => {
      const info = statSync(path.join(dir, file));
      return `${file} ${info.size} ${info.mtimeMs}`;
    });
    const before = tree();
    await warmUp(options);
    expect(tree()).toEqual(before);
    const note = path.join(dir, 'notes/OSSN-0001.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace('## Summary\n', '## Summary\n\nA sentence added after the warm-up.\n'));
    await build(options);
    await build({ ...options, out: 'clean', cache: false });
    const manifest = (out: string) => JSON.stringify(manifestFiles(loadManifest(path.join(dir, out))!));
    expect(manifest('dist')).toBe(manifest('clean'));
  });

  it('makes the aggregates that read an edited note\u2019s files from its placed files (OSV all.json), as a clean build does', { timeout: 60_000 }, async () => {
    const { dir, options } = await builtThenEdited('A sentence added while serve --watch runs.');
    const placed: string[] = [];
    await build({ ...options, onNotesPlaced: (files: readonly string[]) => placed.push(...files) });
    expect(placed).toContain('osv/OSSN-0001.json');
    await build({ ...options, out: 'clean', cache: false });
    expect(readFileSync(path.join(dir, 'dist/osv/all.json'), 'utf8')).toContain('A sentence added while serve --watch runs.');
    expect(manifestFiles(loadManifest(path.join(dir, 'dist'))!)).toEqual(manifestFiles(loadManifest(path.join(dir, 'clean'))!));
  });

  it('puts an edited note in place before it reads the other notes\u2019 records, and renders again the notes whose records are lost', { timeout: 60_000 }, async () => {
    const { dir, options } = await builtThenEdited('A sentence added with the records lost.');
    // The heavy records are gone (and forgotten by this process): every unchanged note is rendered again, after the edited one is placed.
    writeFileSync(path.join(dir, '.herald-cache/records.jsonl'), '');
    forgetSavedRecords();
    const events: string[] = [];
    const result = await build({ ...options, log: (line: string) => events.push(line), onNotesPlaced: (files: readonly string[]) => events.push(`placed ${files.filter((file) => file.endsWith('.html')).join(' ')}`) });
    expect(result.rendered).toBe(readdirSync(path.join(dir, 'notes')).filter((file) => file.endsWith('.md')).length);
    const placed = events.findIndex((line) => line.startsWith('placed '));
    const again = events.findIndex((line) => /rendering \d+ note\(s\) again: their cache records are missing or damaged/.test(line));
    expect(events[placed]).toBe('placed site/advisories/OSSN-0001/index.html');
    expect(again).toBeGreaterThan(placed);
    await build({ ...options, out: 'clean', cache: false });
    const [got, want] = [manifestFiles(loadManifest(path.join(dir, 'dist'))!), manifestFiles(loadManifest(path.join(dir, 'clean'))!)];
    expect(Object.keys(got).filter((file) => got[file] !== want[file])).toEqual([]);
    expect(got).toEqual(want);
  });

  it('reads the other notes\u2019 records while a worker renders an edit, and ends as a clean build does, records lost or not', { timeout: 60_000 }, async () => {
    const { dir, options } = await builtThenEdited('A sentence added for a one-off build.');
    const onWorker = { ...options, workers: 1 };
    const clean = async () => {
      await build({ ...options, out: 'clean', cache: false });
      expect(manifestFiles(loadManifest(path.join(dir, 'dist'))!)).toEqual(manifestFiles(loadManifest(path.join(dir, 'clean'))!));
    };
    expect((await build(onWorker)).rendered).toBe(1);
    await clean();
    const note = path.join(dir, 'notes/OSSN-0001.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace('A sentence added for a one-off build.', 'A sentence changed with the records lost.'));
    writeFileSync(path.join(dir, '.herald-cache/records.jsonl'), '');
    forgetSavedRecords();
    expect((await build(onWorker)).rendered).toBe(readdirSync(path.join(dir, 'notes')).filter((file) => file.endsWith('.md')).length);
    await clean();
  });

  it('a renderer failing half-way leaves the previous output intact', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing] });
    const failing: Renderer = { name: 'failing', renderAll: () => { throw new Error('boom'); } };
    await expect(build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing, failing] })).rejects.toThrow('boom');
    expect(existsSync(path.join(dir, 'dist/listing/index.txt'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('dist.'))).toEqual([]);
  });

  it('puts an edited note in place before the aggregates, and back as it was when the build then fails', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const titled: Renderer = { name: 'titled', renderNote: (a) => [{ path: `titled/${a.slug}.txt`, contents: `${a.id} ${a.title}\n` }] };
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [titled] });
    const note = path.join(dir, 'notes/OSSN-0005.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace(/^title: .*$/m, 'title: Edited'));
    const page = path.join(dir, 'dist/titled/OSSN-0005.txt');
    const before = readFileSync(page, 'utf8');
    const seen: string[] = [];
    const onNotesPlaced = (files: readonly string[]) => seen.push(...files.map((file) => `${file}: ${readFileSync(path.join(dir, 'dist', file), 'utf8').trim()}`));
    const failing: Renderer = { name: 'failing', renderAll: () => { throw new Error('boom'); } };
    await expect(build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [titled, failing], onNotesPlaced })).rejects.toThrow('boom');
    expect(seen).toEqual(['titled/OSSN-0005.txt: OSSN-0005 Edited']);
    expect(readFileSync(page, 'utf8')).toBe(before);
    expect(readdirSync(path.join(dir, 'dist/titled')).filter((f) => f.startsWith('.'))).toEqual([]);

    seen.length = 0;
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [titled], onNotesPlaced });
    expect(seen).toEqual(['titled/OSSN-0005.txt: OSSN-0005 Edited']);
    expect(readFileSync(page, 'utf8')).toBe('OSSN-0005 Edited\n');
  });

  it('a file that cannot be replaced at the commit puts every file back, early-placed ones too, and says which', { timeout: 60_000 }, async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 };
    await build(options);
    const files = (out: string) => new Map(filesUnder(path.join(dir, out)).map((file) => [file, readFileSync(path.join(dir, out, file)).toString('base64')]));
    const before = files('dist');
    const note = path.join(dir, 'notes/OSSN-0005.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace(/^title: .*$/m, 'title: Retitled at the commit'));
    // The index page cannot be set aside: a folder that is not empty holds the name it would move to.
    const blocker = path.join(dir, 'dist/site/.index.html.herald-replaced');
    mkdirSync(blocker);
    writeFileSync(path.join(blocker, 'keep'), '');
    const placed: string[] = [];
    const failure = await build({ ...options, onNotesPlaced: (list: readonly string[]) => placed.push(...list) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HeraldError);
    expect((failure as HeraldError).messages).toEqual([expect.objectContaining({ ruleId: 'build-write-failed', message: expect.stringContaining(`(replacing ${path.join('dist', 'site', 'index.html')})`) })]);
    expect(placed).toContain('site/advisories/OSSN-0005/index.html');
    const after = files('dist');
    after.delete('site/.index.html.herald-replaced/keep');
    expect([...after.keys()].filter((file) => !before.has(file))).toEqual([]);
    expect([...before.keys()].filter((file) => after.get(file) !== before.get(file))).toEqual([]);
    // No folder made for the search part this build would have written is left behind either.
    expect(readdirSync(path.join(dir, 'dist/site/pagefind')).filter((name) => /^\d{3}-/.test(name))).toEqual(readdirSync(path.join(dir, 'dist/site/pagefind')).filter((name) => /^\d{3}-/.test(name) && [...before.keys()].some((file) => file.startsWith(`site/pagefind/${name}/`))));

    rmSync(blocker, { recursive: true });
    await build(options);
    expect(readFileSync(path.join(dir, 'dist/site/index.html'), 'utf8')).toContain('Retitled at the commit');
    expect(filesUnder(path.join(dir, 'dist')).filter((file) => /\.herald-(pending|previous|replaced|commit)/.test(file))).toEqual([]);
  });

  it('puts notes in place first only when few were rendered, not when a config change renders them all', { timeout: 120_000 }, async () => {
    const dir = project();
    const source = readFileSync(path.join(dir, 'notes/OSSN-0005.md'), 'utf8');
    for (let n = 1000; n < 1070; n++) writeFileSync(path.join(dir, `notes/OSSN-${n}.md`), source.replace(/^id: OSSN-0005$/m, `id: OSSN-${n}`).replace(/^title: (.*)$/m, `title: $1 (${n})`));
    const config = await loadConfig(dir);
    const placed: string[][] = [];
    const options = { notes: ['notes'], out: 'dist', now, cwd: dir, workers: 0, onNotesPlaced: (files: readonly string[]) => placed.push([...files]) };
    await build({ ...options, config });
    const note = path.join(dir, 'notes/OSSN-1000.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace(/^title: .*$/m, 'title: Edited'));
    expect(await build({ ...options, config })).toMatchObject({ rendered: 1 });
    expect(placed).toHaveLength(1);
    expect(placed[0]).toContain('site/advisories/OSSN-1000/index.html');
    const retitled = { ...config, site: { ...config.site, title: `${config.site.title} (renamed)` } };
    expect((await build({ ...options, config: retitled })).rendered).toBeGreaterThan(64);
    expect(placed).toHaveLength(1);
  });

  it('takes a watcher\'s word for which notes changed: only those are looked at again', { timeout: 60_000 }, async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 };
    await build(options);
    const edit = (id: string) => {
      const file = path.join(dir, `notes/${id}.md`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: (.*)$/m, 'title: $1 (edited)'));
      return file;
    };
    const title = (id: string) => /<h1>(.*?)<\/h1>/.exec(readFileSync(path.join(dir, `dist/site/advisories/${id}/index.html`), 'utf8'))![1];
    const told = edit('OSSN-0005');
    edit('OSSN-0001');
    expect(await build({ ...options, changedNotes: [told] })).toMatchObject({ rendered: 1 });
    expect(title('OSSN-0005')).toMatch(/\(edited\)$/);
    expect(title('OSSN-0001')).not.toMatch(/\(edited\)$/);
    // Without the hint, every note is statted again.
    expect(await build(options)).toMatchObject({ rendered: 1 });
    expect(title('OSSN-0001')).toMatch(/\(edited\)$/);
  });

  it('writes again every file under an output root folder removed or replaced since the last build (rm -rf dist/site), as a clean build makes them', { timeout: 120_000 }, async () => {
    const dir = project();
    const config = await loadConfig(dir);
    const options = { notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 };
    // The manifest's main file names its own folders' identities; every other byte is compared.
    const digest = (out: string) =>
      Object.fromEntries(
        filesUnder(path.join(dir, out))
          .filter((file) => file !== '.herald-manifest.json')
          .map((file) => [file, createHash('sha256').update(readFileSync(path.join(dir, out, file))).digest('hex')]),
      );
    await build(options);
    await build({ ...options, out: 'clean', cache: false });
    const clean = digest('clean');
    expect(digest('dist')).toEqual(clean);
    // Nothing else changed: the build stops early, yet sees the folder gone.
    rmSync(path.join(dir, 'dist/site'), { recursive: true });
    const site = await build(options);
    expect(site.written).toBe(Object.keys(clean).filter((file) => file.startsWith('site/')).length);
    expect(digest('dist')).toEqual(clean);
    // Replaced by another folder (a copy that lacks a file): every file under it is written again.
    const wiki = path.join(dir, 'dist/wiki');
    cpSync(wiki, `${wiki}-copy`, { recursive: true });
    rmSync(wiki, { recursive: true });
    renameSync(`${wiki}-copy`, wiki);
    rmSync(path.join(wiki, readdirSync(wiki).find((name) => name.endsWith('.wiki'))!));
    rmSync(path.join(dir, 'dist/mail'), { recursive: true });
    expect((await build(options)).written).toBe(Object.keys(clean).filter((file) => file.startsWith('wiki/') || file.startsWith('mail/')).length);
    expect(digest('dist')).toEqual(clean);
    // The folders as the last build left them: nothing to do.
    expect(await build(options)).toMatchObject({ written: 0, rendered: 0 });
  });

  it('is deterministic: the same notes and clock give the same bytes', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    await build({ notes: ['notes'], out: 'a', config, now, cwd: dir, renderers: [listing] });
    await build({ notes: ['notes'], out: 'b', config, now, cwd: dir, renderers: [listing] });
    for (const file of readdirSync(path.join(dir, 'a/listing'))) {
      expect(readFileSync(path.join(dir, 'b/listing', file))).toEqual(readFileSync(path.join(dir, 'a/listing', file)));
    }
  });
});
