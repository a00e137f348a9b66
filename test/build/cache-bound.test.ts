/**
 * The build cache's bound on disk, end to end (herald as a child process
 * from a private copy of its package, so that its version can change):
 * the bound holds at the end of every build that added entries, not only
 * when the records are rewritten whole; `cache.unused_mib` sets the room;
 * a build with nothing to do touches no entry; an upgrade removes the
 * entries and search parts of the version before.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { versionFolder, type Retention } from '../../src/build/cache-retention.ts';
import { loadManifest, manifestFiles } from '../../src/build/manifest.ts';
import { indexedEntryNames } from '../support/cache-index.ts';
import { privateHerald } from '../support/private-herald.ts';

const { pkg, project, setUp, build } = privateHerald('herald-cache-bound-');
const cache = path.join(project, '.herald-cache');

interface Summary {
  rendered: number;
  written: number;
  cache?: Retention;
}

const herald = (...args: string[]) => build<Summary>(...args);

/** Every file under a folder of the cache, with its mtime, by path. */
const filesUnder = (folder: string) =>
  Object.fromEntries(
    readdirSync(path.join(cache, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => statSync(path.join(cache, folder, name)).isFile())
      .map((name) => [name, statSync(path.join(cache, folder, name)).mtimeMs]),
  );
const entryNames = () => Object.keys(filesUnder('entries')).map((name) => path.basename(name)).sort();
const indexKeys = () => indexedEntryNames(cache);
const manifest = (out: string) => manifestFiles(loadManifest(path.join(project, out))!);

function edit(note: string, sentence: string): void {
  const file = path.join(project, 'notes', note);
  writeFileSync(file, readFileSync(file, 'utf8').replace('## Discussion', `## Discussion\n\n${sentence}\n`));
}

beforeAll(() => {
  setUp();
  // No room for unused entries: the cache holds exactly one build's.
  appendFileSync(path.join(project, 'herald.config.yaml'), '\ncache:\n  unused_mib: 0\n');
});

describe('the build cache bound', { timeout: 300_000 }, () => {
  it('holds at the end of each build that retired an entry (cache.unused_mib: 0), says what the cache holds and what was swept, and leaves the output a cold build makes', () => {
    const cold = herald('--out', 'dist');
    expect(cold.rendered).toBe(9);
    expect(cold.cache).toMatchObject({ unusedBytes: 0, removed: 0 });
    expect(cold.cache!.usedBytes).toBeGreaterThan(0);
    expect(entryNames()).toEqual(indexKeys());

    // A few edits, each appended to the records (not rewritten whole): each old entry goes at once, and the old copy of the search part the note is in.
    for (const [index, note] of ['OSSN-0004.md', 'OSSN-0005.md', 'OSSN-0004.md'].entries()) {
      edit(note, `Sentence ${index} the bound test adds.`);
      const edited = herald('--out', 'dist');
      expect(edited.rendered).toBe(1);
      expect(edited.cache).toMatchObject({ unusedBytes: 0, removed: 2 });
      expect(edited.cache!.removedBytes).toBeGreaterThan(0);
      expect(entryNames()).toEqual(indexKeys());
    }
    // The running total is what the entries and the search parts take.
    const onDisk = ['entries', 'search'].flatMap((folder) => Object.keys(filesUnder(folder)).map((name) => statSync(path.join(cache, folder, name)).size)).reduce((sum, size) => sum + size, 0);
    expect(herald('--out', 'dist-again').cache?.usedBytes).toBe(onDisk);
    herald('--out', 'dist-cold', '--no-cache');
    expect(manifest('dist')).toEqual(manifest('dist-cold'));
  });

  it('touches no entry and no total in a build with nothing to do', () => {
    herald('--out', 'dist');
    const before = { entries: filesUnder('entries'), search: filesUnder('search'), totals: statSync(path.join(cache, 'retention.json')).mtimeMs };
    const unchanged = herald('--out', 'dist');
    expect(unchanged).toMatchObject({ rendered: 0, written: 0 });
    expect(unchanged.cache).toBeUndefined();
    expect({ entries: filesUnder('entries'), search: filesUnder('search'), totals: statSync(path.join(cache, 'retention.json')).mtimeMs }).toEqual(before);
  });

  it('removes the entries and search parts of the herald version before at the first build of the next, and a cache from before version folders', () => {
    // What a herald before version folders left.
    mkdirSync(path.join(cache, 'entries', 'ab'), { recursive: true });
    writeFileSync(path.join(cache, 'entries', 'ab', `${'ab'.padEnd(64, '0')}.out`), 'an old entry');
    writeFileSync(path.join(cache, 'search', '000-aaaa.out'), 'an old part');
    expect(herald('--out', 'dist').rendered).toBe(0);
    const packageJson = path.join(pkg, 'package.json');
    const before = readFileSync(packageJson, 'utf8');
    try {
      writeFileSync(packageJson, JSON.stringify({ ...(JSON.parse(before) as object), version: '99.0.0' }));
      expect(herald('--out', 'dist').rendered).toBe(9);
      expect(readdirSync(path.join(cache, 'entries'))).toEqual(['v99.0.0']);
      expect(readdirSync(path.join(cache, 'search'))).toEqual(['v99.0.0']);
      expect(entryNames()).toEqual(indexKeys());
    } finally {
      writeFileSync(packageJson, before);
    }
    expect(versionFolder).not.toBe('v99.0.0');
  });
});
