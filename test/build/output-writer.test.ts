/**
 * The output writer on its own: a cold build stages and swaps in, equal
 * files of one note share an inode, and an incremental build replaces a
 * linked file by rename without touching the other path.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/build/cache.ts';
import { groupFileHash, groupText, loadManifest, manifestFiles, openManifest, rootIdentities, sortedLike } from '../../src/build/manifest.ts';
import { OutputWriter, writeStagedNote } from '../../src/build/output-writer.ts';

const work = mkdtempSync(path.join(tmpdir(), 'herald-writer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const file = (p: string, contents: string) => ({ path: p, contents, sha256: sha256(contents) });

/**
 * Copies an output folder, and has its manifest name the copy's own root
 * folders: a copy's folders are other folders, which a build otherwise
 * writes again whole (build.test.ts).
 */
function copyOutput(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  const main = path.join(to, '.herald-manifest.json');
  writeFileSync(main, JSON.stringify({ ...JSON.parse(readFileSync(main, 'utf8')), roots: rootIdentities(to) }));
}

describe('the manifest\u2019s order', () => {
  it('sorts names by merging the few a build added into the previous manifest\u2019s order, or sorts them whole when that order is not sorted', () => {
    const record = { 'b/2': '2', 'a/1': '1', 'c/3': '3', 'b/1': 'x' };
    expect(Object.entries(sortedLike(record, ['a/1', 'b/2', 'c/3', 'gone']))).toEqual([['a/1', '1'], ['b/1', 'x'], ['b/2', '2'], ['c/3', '3']]);
    expect(Object.keys(sortedLike(record, ['c/3', 'a/1']))).toEqual(['a/1', 'b/1', 'b/2', 'c/3']);
    expect(Object.keys(sortedLike(record))).toEqual(['a/1', 'b/1', 'b/2', 'c/3']);
    expect(Object.keys(sortedLike({ z: '1', y: '2' }, []))).toEqual(['y', 'z']);
  });

  it('writes the main file\u2019s files and groups sorted, whatever order a build gave them in', async () => {
    const root = mkdtempSync(path.join(work, 'order-'));
    const dist = path.join(root, 'dist');
    const cold = OutputWriter.open(dist, undefined);
    for (const name of ['n', 'c', 'x']) cold.writeNote(`notes/${name}.md`, [file(`wiki/${name}.txt`, name)]);
    for (const name of ['m', 'b', 'y']) cold.write(file(`site/${name}.html`, name));
    await cold.commit();
    const incremental = OutputWriter.open(dist, openManifest(dist));
    // Kept and added in no order: an added note and file fall between the kept ones.
    for (const name of ['x', 'd', 'c', 'n']) incremental.writeNote(`notes/${name}.md`, [file(`wiki/${name}.txt`, `${name}!`)]);
    for (const name of ['y', 'm', 'a', 'b']) incremental.write(file(`site/${name}.html`, name));
    await incremental.commit();
    const main = JSON.parse(readFileSync(path.join(dist, '.herald-manifest.json'), 'utf8')) as { files: Record<string, string>; digests: Record<string, string> };
    expect(Object.keys(main.files)).toEqual(['site/a.html', 'site/b.html', 'site/m.html', 'site/y.html']);
    expect(Object.keys(main.digests)).toEqual(['notes/c.md', 'notes/d.md', 'notes/n.md', 'notes/x.md']);
    rmSync(root, { recursive: true, force: true });
  });
});

describe('output writer', () => {
  const out = path.join(work, 'dist');

  it('takes a note a worker wrote into its staging folder, written again on a second try, as its own', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'herald-staged-'));
    const staged = path.join(own, 'dist');
    const writer = OutputWriter.open(staged, undefined);
    const files = [file('wiki/b.txt', 'same'), file('site/downloads/wiki/b.txt', 'same')];
    // A worker's first try, then its second (the note ran out of time once): same files, same links.
    for (let attempt = 0; attempt < 2; attempt++) writeStagedNote(writer.stagingDir!, files, new Set());
    writer.adoptNote('b', files.map(({ path: p, sha256: hash }) => ({ path: p, sha256: hash })));
    expect(await writer.commit()).toMatchObject({ files: 2, written: 2, removed: 0 });
    expect(statSync(path.join(staged, 'wiki/b.txt')).ino).toBe(statSync(path.join(staged, 'site/downloads/wiki/b.txt')).ino);
    expect(readFileSync(path.join(staged, 'site/downloads/wiki/b.txt'), 'utf8')).toBe('same');
    // An incremental build updates in place: no staging folder to hand to workers.
    expect(OutputWriter.open(staged, openManifest(staged)).stagingDir).toBeUndefined();
    expect(() => writeStagedNote(writer.stagingDir!, [file('../escape.txt', 'x')], new Set())).toThrow(/unsafe output path/);
    rmSync(own, { recursive: true, force: true });
  });

  it('stages a cold build, links equal files of a note, and swaps the folder in', async () => {
    const writer = OutputWriter.open(out, undefined);
    writer.writeNote('a', [file('wiki/a.txt', 'same'), file('site/downloads/wiki/a.txt', 'same'), file('osv/a.json', '{}')]);
    writer.write(file('site/index.html', '<p>'));
    expect(existsSync(out)).toBe(false);
    expect(await writer.commit()).toMatchObject({ files: 4, written: 4, removed: 0 });
    expect(statSync(path.join(out, 'wiki/a.txt')).ino).toBe(statSync(path.join(out, 'site/downloads/wiki/a.txt')).ino);
    expect(Object.keys(manifestFiles(loadManifest(out)!))).toEqual(['osv/a.json', 'site/downloads/wiki/a.txt', 'site/index.html', 'wiki/a.txt']);
    expect(Object.keys(loadManifest(out)!.groups)).toEqual(['a']);
    expect(readdirSync(work)).toEqual(['dist']);
  });

  it('replaces one of two linked files by rename, leaving the other as it was', async () => {
    const writer = OutputWriter.open(out, openManifest(out));
    writer.writeNote('a', [file('wiki/a.txt', 'changed'), file('site/downloads/wiki/a.txt', 'same'), file('osv/a.json', '{}')]);
    writer.write(file('site/index.html', '<p>'));
    expect(readFileSync(path.join(out, 'wiki/a.txt'), 'utf8')).toBe('same');
    expect(await writer.commit()).toMatchObject({ files: 4, written: 1, removed: 0 });
    expect(readFileSync(path.join(out, 'wiki/a.txt'), 'utf8')).toBe('changed');
    expect(readFileSync(path.join(out, 'site/downloads/wiki/a.txt'), 'utf8')).toBe('same');
  });

  it('aborts an incremental build without touching the output, and refuses shared or unsafe paths', async () => {
    const writer = OutputWriter.open(out, openManifest(out));
    writer.write(file('wiki/a.txt', 'never'));
    expect(() => writer.write(file('wiki/a.txt', 'again'))).toThrow('two outputs share the path wiki/a.txt');
    writer.writeNote('b', [file('osv/b.json', '{}'), file('wiki/b.txt', 'b')]);
    expect(() => writer.writeNote('c', [file('wiki/c.txt', 'c'), file('wiki/b.txt', 'c')])).toThrow('two outputs share the path wiki/b.txt');
    expect(() => writer.write(file('osv/b.json', '[]'))).toThrow('two outputs share the path osv/b.json');
    expect(() => writer.write(file('../escape.txt', 'x'))).toThrow('unsafe output path');
    await writer.abort();
    expect(readFileSync(path.join(out, 'wiki/a.txt'), 'utf8')).toBe('changed');
    expect(readdirSync(path.join(out, 'wiki'))).toEqual(['a.txt']);
  });

  it('puts the files of a note in place ahead of the commit, and puts the previous bytes back on abort', async () => {
    const before = readdirSync(out, { recursive: true }).map(String).sort();
    const writer = OutputWriter.open(out, openManifest(out));
    writer.writeNote('a', [file('wiki/a.txt', 'early'), file('site/downloads/wiki/a.txt', 'same'), file('osv/a.json', '{}'), file('wiki/new.txt', 'new')]);
    expect(writer.placeGroup('a').sort()).toEqual(['wiki/a.txt', 'wiki/new.txt']);
    expect(writer.placeGroup('a')).toEqual([]);
    expect(readFileSync(path.join(out, 'wiki/a.txt'), 'utf8')).toBe('early');
    expect(readFileSync(path.join(out, 'wiki/new.txt'), 'utf8')).toBe('new');
    await writer.abort();
    expect(readFileSync(path.join(out, 'wiki/a.txt'), 'utf8')).toBe('changed');
    expect(readdirSync(out, { recursive: true }).map(String).sort()).toEqual(before);

    // The same, committed, in a copy: the previous bytes are dropped, the manifest lists the new ones.
    const copy = path.join(work, 'placed');
    copyOutput(out, copy);
    const again = OutputWriter.open(copy, openManifest(copy));
    again.writeNote('a', [file('wiki/a.txt', 'early'), file('site/downloads/wiki/a.txt', 'same'), file('osv/a.json', '{}')]);
    again.placeGroup('a');
    again.write(file('site/index.html', '<p>'));
    expect(await again.commit()).toMatchObject({ files: 4, written: 1, removed: 0 });
    expect(readFileSync(path.join(copy, 'wiki/a.txt'), 'utf8')).toBe('early');
    expect(readdirSync(path.join(copy, 'wiki'))).toEqual(['a.txt']);
    expect(groupFileHash(loadManifest(copy)!.groups.a!, 'wiki/a.txt')).toBe(sha256('early'));
    rmSync(copy, { recursive: true, force: true });
  });

  it('removes files no longer produced, and takes back a note that is not published after all', async () => {
    const writer = OutputWriter.open(out, openManifest(out));
    writer.writeNote('b', [file('wiki/b.txt', 'b')]);
    writer.forgetGroup('b');
    writer.write(file('site/index.html', '<p>'));
    expect(await writer.commit()).toMatchObject({ files: 1, written: 0, removed: 3 });
    expect(readdirSync(out).sort()).toEqual(['.herald-manifest', '.herald-manifest.json', 'site']);
    expect(readdirSync(path.join(out, 'site'))).toEqual(['index.html']);
  });

  it('keeps a file that moves from one note to another, and removes the files of a note that is gone', async () => {
    const moved = path.join(work, 'moved');
    const cold = OutputWriter.open(moved, undefined);
    cold.writeNote('a', [file('x/a.txt', 'a'), file('x/shared.txt', 's')]);
    cold.writeNote('b', [file('x/b.txt', 'b')]);
    await cold.commit();
    const move = OutputWriter.open(moved, openManifest(moved));
    move.writeNote('a', [file('x/a.txt', 'a')]);
    move.writeNote('b', [file('x/b.txt', 'b'), file('x/shared.txt', 's')]);
    // The moved file is written again (its new note did not hold it), never removed.
    expect(await move.commit()).toMatchObject({ files: 3, written: 1, removed: 0 });
    expect(readFileSync(path.join(moved, 'x/shared.txt'), 'utf8')).toBe('s');
    const gone = OutputWriter.open(moved, openManifest(moved));
    expect(gone.groupNeeds('a', groupText([{ path: 'x/a.txt', sha256: sha256('a') }]))).toBe(false);
    gone.keepGroup('a', groupText([{ path: 'x/a.txt', sha256: sha256('a') }]));
    expect(groupFileHash(groupText([file('x/b', 'b'), file('x/a.txt', 'a')]), 'x/a.txt')).toBe(sha256('a'));
    expect(groupFileHash(groupText([file('x/b', 'b'), file('x/a.txt', 'a')]), 'x/b')).toBe(sha256('b'));
    expect(groupFileHash(groupText([file('x/b', 'b')]), 'x/a.txt')).toBeUndefined();
    expect(await gone.commit()).toMatchObject({ files: 1, written: 0, removed: 2 });
    expect(readdirSync(path.join(moved, 'x'))).toEqual(['a.txt']);
  });

  it('keeps the groups in shards, and rewrites only the shard of a changed note', async () => {
    const sharded = path.join(work, 'sharded');
    const names = Array.from({ length: 40 }, (_, i) => `notes/N-${i}.md`);
    const cold = OutputWriter.open(sharded, undefined);
    for (const [i, name] of names.entries()) cold.writeNote(name, [file(`n/${i}.txt`, `v${i}`)]);
    await cold.commit();
    const shards = () => new Map(readdirSync(path.join(sharded, '.herald-manifest')).map((f) => [f, readFileSync(path.join(sharded, '.herald-manifest', f), 'utf8')]));
    const before = shards();
    const edit = OutputWriter.open(sharded, openManifest(sharded));
    for (const [i, name] of names.entries()) {
      const files = [file(`n/${i}.txt`, i === 7 ? 'changed' : `v${i}`)];
      if (i === 7) edit.writeNote(name, files);
      else edit.keepGroup(name, groupText(files));
    }
    expect(await edit.commit()).toMatchObject({ files: 40, written: 1, removed: 0 });
    const after = shards();
    expect([...after].filter(([f, text]) => before.get(f) !== text)).toHaveLength(1);
    // Read back from disk (a copy, so not the one this process remembers): the same files.
    const copy = path.join(work, 'sharded-copy');
    cpSync(sharded, copy, { recursive: true });
    expect(manifestFiles(loadManifest(copy)!)).toEqual(manifestFiles(loadManifest(sharded)!));
    expect(manifestFiles(loadManifest(copy)!)['n/7.txt']).toBe(sha256('changed'));
    // A shard that cannot be read makes the folder one without a manifest (the next build starts cold).
    const torn = path.join(work, 'sharded-torn');
    cpSync(sharded, torn, { recursive: true });
    rmSync(path.join(torn, '.herald-manifest', [...after.keys()][0]!));
    expect(loadManifest(torn)).toBeUndefined();
  });

  it('reads the shard of a changed note only, and writes a note again whose shard cannot be read', async () => {
    const lazy = path.join(work, 'lazy');
    const names = Array.from({ length: 40 }, (_, i) => `notes/N-${i}.md`);
    const cold = OutputWriter.open(lazy, undefined);
    for (const [i, name] of names.entries()) cold.writeNote(name, [file(`n/${i}.txt`, `v${i}`), file(`n/${i}-old.txt`, 'old')]);
    await cold.commit();
    const copy = path.join(work, 'lazy-copy');
    copyOutput(lazy, copy);
    // Every shard but the changed note's is made unreadable: a build that keeps those notes never reads them.
    const shardOfSeven = readdirSync(path.join(copy, '.herald-manifest')).find((f) => readFileSync(path.join(copy, '.herald-manifest', f), 'utf8').includes('notes/N-7.md'))!;
    for (const f of readdirSync(path.join(copy, '.herald-manifest'))) if (f !== shardOfSeven) writeFileSync(path.join(copy, '.herald-manifest', f), '{torn');
    const edit = OutputWriter.open(copy, openManifest(copy));
    for (const [i, name] of names.entries()) {
      const files = i === 7 ? [file('n/7.txt', 'changed')] : [file(`n/${i}.txt`, `v${i}`), file(`n/${i}-old.txt`, 'old')];
      if (edit.groupNeeds(name, groupText(files))) edit.writeNote(name, files);
      else edit.keepGroup(name, groupText(files));
    }
    expect(await edit.commit()).toMatchObject({ files: 79, written: 1, removed: 1 });
    expect(existsSync(path.join(copy, 'n/7-old.txt'))).toBe(false);
    expect(readFileSync(path.join(copy, 'n/7.txt'), 'utf8')).toBe('changed');
    // The shard whose note changed is rewritten; the torn ones stay until a note of theirs changes.
    const again = path.join(work, 'lazy-again');
    copyOutput(copy, again);
    const torn = OutputWriter.open(again, openManifest(again));
    const eight = [file('n/8.txt', 'v8 changed'), file('n/8-old.txt', 'old')];
    expect(torn.groupNeeds('notes/N-8.md', groupText(eight))).toBe(true);
    torn.writeNote('notes/N-8.md', eight);
    for (const [i, name] of names.entries()) {
      if (i === 8) continue;
      const files = i === 7 ? [file('n/7.txt', 'changed')] : [file(`n/${i}.txt`, `v${i}`), file(`n/${i}-old.txt`, 'old')];
      expect(torn.groupNeeds(name, groupText(files))).toBe(false);
      torn.keepGroup(name, groupText(files));
    }
    // N-8's shard is torn: its files are all written again, unchanged ones too.
    expect(await torn.commit()).toMatchObject({ files: 79, written: 2, removed: 0 });
    expect(readFileSync(path.join(again, 'n/8.txt'), 'utf8')).toBe('v8 changed');
    const shards = readdirSync(path.join(again, '.herald-manifest')).map((f) => readFileSync(path.join(again, '.herald-manifest', f), 'utf8'));
    const eighth = shards.find((text) => text.includes('notes/N-8.md'))!;
    expect(groupFileHash((JSON.parse(eighth) as { groups: Record<string, string> }).groups['notes/N-8.md']!, 'n/8.txt')).toBe(sha256('v8 changed'));
  });

  it('reads a sharded manifest without digests (an earlier herald\u2019s) whole, and adds them', async () => {
    const earlier = path.join(work, 'earlier');
    const cold = OutputWriter.open(earlier, undefined);
    cold.writeNote('notes/a.md', [file('n/a.txt', 'a')]);
    cold.writeNote('notes/b.md', [file('n/b.txt', 'b')]);
    await cold.commit();
    const main = path.join(earlier, '.herald-manifest.json');
    const { digests, ...without } = JSON.parse(readFileSync(main, 'utf8')) as { digests: Record<string, string> };
    expect(Object.keys(digests)).toEqual(['notes/a.md', 'notes/b.md']);
    writeFileSync(main, JSON.stringify(without));
    utimesSync(main, new Date(), new Date(Date.now() + 5000));
    const writer = OutputWriter.open(earlier, openManifest(earlier));
    expect(writer.groupNeeds('notes/a.md', groupText([file('n/a.txt', 'a')]))).toBe(false);
    writer.keepGroup('notes/a.md', groupText([file('n/a.txt', 'a')]));
    writer.writeNote('notes/b.md', [file('n/b.txt', 'b2')]);
    expect(await writer.commit()).toMatchObject({ files: 2, written: 1, removed: 0 });
    const after = JSON.parse(readFileSync(main, 'utf8')) as { digests: Record<string, string> };
    expect(after.digests['notes/a.md']).toBe(digests['notes/a.md']);
    expect(after.digests['notes/b.md']).not.toBe(digests['notes/b.md']);
  });

  it('writes every shard when the previous manifest kept its groups in the main file', async () => {
    const upgraded = path.join(work, 'upgraded');
    mkdirSync(path.join(upgraded, 'n'), { recursive: true });
    writeFileSync(path.join(upgraded, 'n/a.txt'), 'a');
    const group = groupText([file('n/a.txt', 'a')]);
    writeFileSync(path.join(upgraded, '.herald-manifest.json'), JSON.stringify({ groups: { 'notes/a.md': group }, files: {} }));
    const writer = OutputWriter.open(upgraded, openManifest(upgraded));
    expect(writer.groupNeeds('notes/a.md', group)).toBe(false);
    writer.keepGroup('notes/a.md', group);
    await writer.commit();
    expect(readdirSync(path.join(upgraded, '.herald-manifest'))).toHaveLength(32);
    const copy = path.join(work, 'upgraded-copy');
    cpSync(upgraded, copy, { recursive: true });
    expect(manifestFiles(loadManifest(copy)!)).toEqual({ 'n/a.txt': sha256('a') });
  });

  it('reads a manifest again once another process has rewritten it', () => {
    const first = loadManifest(out)!;
    expect(loadManifest(out)).toBe(first);
    const file = path.join(out, '.herald-manifest.json');
    writeFileSync(file, JSON.stringify({ files: { 'other.txt': sha256('x') } }) + '\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(Object.keys(loadManifest(out)!.files)).toEqual(['other.txt']);
  });
});
