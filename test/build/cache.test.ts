/**
 * The build cache and incremental writes, end to end: herald runs as a
 * child process from a private copy of its own package, so the test can
 * change a template as a developer would.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { versionFolder } from '../../src/build/cache-retention.ts';
import { loadManifest, manifestFiles } from '../../src/build/manifest.ts';
import { indexedEntryNames, lightRecordsOf } from '../support/cache-index.ts';
import { privateHerald } from '../support/private-herald.ts';

const { pkg, project, setUp, build } = privateHerald('herald-cache-');

interface Summary {
  files: number;
  written: number;
  rendered: number;
}

const herald = (...args: string[]) => build<Summary>(...args);

const manifest = (out: string) => manifestFiles(loadManifest(path.join(project, out))!);
/** Each listed file's SHA-256, from the bytes on disk (not from the manifest). */
const bytesOf = (out: string) =>
  Object.fromEntries(Object.keys(manifest(out)).map((file) => [file, createHash('sha256').update(readFileSync(path.join(project, out, file))).digest('hex')]));
const advisoryPages = (files: Record<string, string>) => Object.keys(files).filter((f) => /^site\/advisories\/[^/]+\/index\.html$/.test(f));

beforeAll(setUp);

describe('build cache', { timeout: 300_000 }, () => {
  it('renders each note once, then only what changed, and writes only changed bytes', () => {
    const cold = herald('--out', 'dist');
    expect(cold.rendered).toBe(9);
    expect(cold.written).toBe(cold.files);

    const unchanged = herald('--out', 'dist');
    expect(unchanged).toMatchObject({ rendered: 0, written: 0, files: cold.files });

    const note = path.join(project, 'notes/OSSN-0005.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace('## Discussion', '## Discussion\n\nAn added sentence.\n'));
    const edited = herald('--out', 'dist');
    expect(edited.rendered).toBe(1);
    expect(edited.written).toBeGreaterThan(0);
    expect(edited.written).toBeLessThan(cold.files / 4);
  });

  it('output is byte-identical built cold, warm, in-process, on one worker or many', () => {
    herald('--out', 'warm');
    const warm = manifest('warm');
    herald('--out', 'cold-2', '--no-cache', '--workers', '2');
    herald('--out', 'cold-1', '--no-cache', '--workers', '1');
    herald('--out', 'cold-0', '--no-cache', '--workers', '0');
    expect(manifest('cold-2')).toEqual(warm);
    expect(manifest('cold-1')).toEqual(warm);
    expect(manifest('cold-0')).toEqual(warm);
  });

  it('renders a note again when its cache entry is gone or damaged, and stores it again', () => {
    herald('--out', 'whole');
    const keys = Object.fromEntries([...lightRecordsOf(path.join(project, '.herald-cache'))].map(([note, record]) => [note, record.key]));
    const entry = (note: string) => path.join(project, '.herald-cache/entries', versionFolder, keys[note]!.slice(0, 2), `${keys[note]}.out`);
    const whole = readFileSync(entry('notes/OSSN-0001.md'));
    writeFileSync(entry('notes/OSSN-0001.md'), whole.subarray(0, 200));
    rmSync(entry('notes/OSSN-0002.md'));
    // A new output folder: every note's files come from the cache, or from rendering it again.
    const restored = herald('--out', 'restored');
    expect(restored.rendered).toBe(2);
    expect(manifest('restored')).toEqual(manifest('whole'));
    expect(readFileSync(entry('notes/OSSN-0001.md'))).toEqual(whole);
    expect(herald('--out', 'restored-again').rendered).toBe(0);
  });

  it('never publishes a damaged cache entry whose length is right: its note is rendered again, its search record made again', () => {
    herald('--out', 'whole-2');
    const key = lightRecordsOf(path.join(project, '.herald-cache')).get('notes/OSSN-0003.md')!.key;
    const entry = path.join(project, '.herald-cache/entries', versionFolder, key.slice(0, 2), `${key}.out`);
    const original = readFileSync(entry);
    const header = 4 + original.readUInt32LE(0);
    const flipped = (at: number) => {
      const copy = Buffer.from(original);
      copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
      return copy;
    };
    // A byte of the last stored file (the note's record follows it).
    const stored = JSON.parse(original.toString('utf8', 4, header)) as { record: number };
    writeFileSync(entry, flipped(original.length - stored.record - 10));
    expect(herald('--out', 'restored-2').rendered).toBe(1);
    expect(bytesOf('restored-2')).toEqual(bytesOf('whole-2'));
    // A letter of the page's compressed fragment in the search record (still valid JSON).
    const record = original.toString('latin1', header, header + 4000);
    writeFileSync(entry, flipped(header + record.indexOf('"fragmentFile":"') + 40));
    rmSync(path.join(project, 'restored-2'), { recursive: true });
    herald('--out', 'restored-2');
    expect(bytesOf('restored-2')).toEqual(bytesOf('whole-2'));
  });

  it('lint takes the last build’s messages for unchanged notes, and says exactly what a fresh lint says', () => {
    herald('--out', 'lint-dist');
    const lint = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(pkg, 'bin/herald.js'), 'lint', ...args], { cwd: project, env: { ...process.env, HERALD_NOW: '2026-01-15T12:00:00Z' }, encoding: 'utf8' });
    const same = () => {
      const cached = lint('--format', 'json');
      expect(cached.stdout).toBe(lint('--format', 'json', '--no-cache').stdout);
      return cached;
    };
    expect(same().status).toBe(0);
    expect(lint().stderr).toMatch(/^9 note\(s\) checked \(9 unchanged since the last build, from its cache\): 0 error\(s\), [1-9]\d* warning\(s\)$/m);
    // A new note (listed first) with the id of a cached one: the cached note is the duplicate, located by parsing it then.
    const copy = path.join(project, 'notes/OSSN-0000.md');
    writeFileSync(copy, readFileSync(path.join(project, 'notes/OSSN-0002.md'), 'utf8'));
    const duplicated = same();
    expect(duplicated.status).toBe(1);
    const duplicate = (JSON.parse(duplicated.stdout) as { file: string; ruleId: string; line: number }[]).find((m) => m.ruleId === 'id-duplicate');
    expect(duplicate).toMatchObject({ file: 'notes/OSSN-0002.md' });
    expect(duplicate!.line).toBeGreaterThan(1);
    expect(lint().stderr).toContain('10 note(s) checked (9 unchanged since the last build, from its cache)');
    // Linted alone (a pull request's changed file), the new note is checked against the others the cache knows, and told.
    const alone = lint('--format', 'json', 'notes/OSSN-0000.md');
    expect(alone.status).toBe(1);
    expect((JSON.parse(alone.stdout) as { file: string; ruleId: string; message: string; line: number }[]).filter((m) => m.ruleId === 'id-duplicate')).toEqual([
      expect.objectContaining({ file: 'notes/OSSN-0000.md', message: 'Id "OSSN-0002" is already used by notes/OSSN-0002.md', line: 2 }),
    ]);
    rmSync(copy);
    const note = path.join(project, 'notes/OSSN-0005.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace('## Discussion', '## Discussion\n\nAn edit lint must see: https://example.org/x\n'));
    same();
    expect(lint().stderr).toContain('9 note(s) checked (8 unchanged since the last build, from its cache)');
  });

  it('a config change renders again only the notes whose outputs show it, and ends where a clean build does', () => {
    const configFile = path.join(project, 'herald.config.yaml');
    const original = readFileSync(configFile, 'utf8');
    try {
      herald('--out', 'config');
      // Only aggregate files show the site's description: no note is rendered, the index page changes.
      writeFileSync(configFile, original.replace(/^  description: .*$/m, '  description: A description changed for the test.'));
      const described = herald('--out', 'config');
      expect(described.rendered).toBe(0);
      expect(described.written).toBeGreaterThan(0);
      expect(readFileSync(path.join(project, 'config/site/index.html'), 'utf8')).toContain('A description changed for the test.');
      herald('--out', 'config-clean', '--no-cache');
      expect(manifest('config')).toEqual(manifest('config-clean'));
      // Only publishing reads where the mail goes: nothing to do at all.
      writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}`.replace(/^  outbox: .*$/m, '  outbox: another-outbox\n  envelope_from: bounces@example.org'));
      expect(herald('--out', 'config')).toMatchObject({ rendered: 0, written: 0 });
      // Every page shows the site's title: every note again.
      writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^  title: .*$/m, '  title: A title changed for the test'));
      expect(herald('--out', 'config').rendered).toBe(9);
    } finally {
      writeFileSync(configFile, original);
    }
  });

  it('a changed template changes every page that uses it', () => {
    herald('--out', 'dist');
    const before = manifest('dist');
    appendFileSync(path.join(pkg, 'templates/site/layout.hbs'), '\n<!-- layout changed -->\n');
    const after = herald('--out', 'dist');
    expect(after.rendered).toBe(9);
    const now = manifest('dist');
    const pages = advisoryPages(now);
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(now[page], page).not.toBe(before[page]);
    expect(readFileSync(path.join(project, 'dist', pages[0]!), 'utf8')).toContain('<!-- layout changed -->');
    // Every note rendered again into the output in place (its workers wrote the changed files): as a clean build writes it.
    herald('--out', 'dist-clean', '--no-cache');
    expect(bytesOf('dist')).toEqual(bytesOf('dist-clean'));
    expect(readdirSync(path.join(project, 'dist'), { recursive: true, encoding: 'utf8' }).filter((name) => name.includes('herald-pending'))).toEqual([]);
  });

  it('a branch checked out again is a cache hit: no note is rendered again, and the output is what a cold build makes', () => {
    const notes = path.join(project, 'notes');
    const treeA = new Map(readdirSync(notes).map((name) => [name, readFileSync(path.join(notes, name), 'utf8')]));
    const checkOut = (tree: ReadonlyMap<string, string>) => {
      for (const name of readdirSync(notes)) if (!tree.has(name)) rmSync(path.join(notes, name));
      for (const [name, text] of tree) if (!existsSync(path.join(notes, name)) || readFileSync(path.join(notes, name), 'utf8') !== text) writeFileSync(path.join(notes, name), text);
    };
    // Branch B: six notes changed (the blog post among them), one removed.
    const changed = ['2014-04-10-heartbleed-mitigation-for-system-vms.md', 'OSSN-0001.md', 'OSSN-0002.md', 'OSSN-0003.md', 'OSSN-0004.md', 'OSSN-0005.md'];
    const treeB = new Map([...treeA].filter(([name]) => name !== 'OSSN-0007.md').map(([name, text]) => [name, changed.includes(name) ? `${text}\nA sentence branch B adds.\n` : text]));
    try {
      herald('--out', 'branches');
      checkOut(treeB);
      expect(herald('--out', 'branches').rendered).toBe(changed.length);
      checkOut(treeA);
      expect(herald('--out', 'branches')).toMatchObject({ rendered: 0, written: expect.any(Number) });
      herald('--out', 'branches-cold', '--no-cache');
      expect(bytesOf('branches')).toEqual(bytesOf('branches-cold'));
      expect(manifest('branches')).toEqual(manifest('branches-cold'));
      // And B once more: its entries were kept beside A's.
      checkOut(treeB);
      expect(herald('--out', 'branches').rendered).toBe(0);
    } finally {
      checkOut(treeA);
    }
  });

  it('keeps the entries no note uses any more (bounded by cache-retention.test.ts), so a change undone renders nothing; removes what a killed build left', () => {
    const entries = path.join(project, '.herald-cache/entries');
    const stored = () => readdirSync(entries, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(out|tmp)$/.test(name)).map((name) => path.basename(name)).sort();
    const indexKeys = () => indexedEntryNames(path.join(project, '.herald-cache'));
    // An edit leaves its note's old entry.
    const note = path.join(project, 'notes/OSSN-0004.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace('## Discussion', '## Discussion\n\nA sentence the sweep test adds.\n'));
    herald('--out', 'dist');
    const first = indexKeys();
    // A killed build's temporary file, two hours old, and a running build's, just made.
    const folder = path.join(entries, versionFolder, readdirSync(path.join(entries, versionFolder))[0]!);
    const abandoned = path.join(folder, 'abandoned.out.123.x.tmp');
    const running = path.join(folder, 'running.out.456.y.tmp');
    writeFileSync(abandoned, 'x');
    writeFileSync(running, 'y');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(abandoned, twoHoursAgo, twoHoursAgo);

    // herald changed: every note is rendered again under new keys (the records rewritten whole, the entries swept).
    const layout = path.join(pkg, 'templates/site/layout.hbs');
    const before = readFileSync(layout, 'utf8');
    appendFileSync(layout, '\n<!-- changed again -->\n');
    expect(herald('--out', 'dist').rendered).toBe(9);
    expect(stored()).toEqual(expect.arrayContaining([...indexKeys(), ...first, 'running.out.456.y.tmp']));
    expect(stored()).not.toContain('abandoned.out.123.x.tmp');
    // The change undone: every note as the build before rendered it, from the entries kept.
    writeFileSync(layout, before);
    expect(herald('--out', 'dist').rendered).toBe(0);
    expect(indexKeys()).toEqual(first);
    herald('--out', 'undone-clean', '--no-cache');
    expect(bytesOf('dist')).toEqual(bytesOf('undone-clean'));
    expect(herald('--out', 'fresh').rendered).toBe(0);
  });
});
