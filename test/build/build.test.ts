import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { HeraldError } from '../../src/errors/message.ts';
import type { Renderer } from '../../src/render/types.ts';

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

describe('herald build', () => {
  it('publishes published and withdrawn notes, never drafts or embargoed ones, newest first', async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'notes/OSSN-0999.md'),
      readFileSync(path.join(dir, 'notes/OSSN-0001.md'), 'utf8').replace(/^id: .*$/m, 'id: OSSN-0999').replace(/^embargo: .*$/m, '').replace(/^status: .*$/m, 'status: published\nembargo: 2099-01-01T00:00:00Z'),
    );
    const config = await loadConfig(dir);
    const result = await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing] });
    const index = readFileSync(path.join(dir, 'dist/listing/index.txt'), 'utf8').trim().split('\n');
    expect(index).not.toContain('OSSN-XXXX');
    expect(index).not.toContain('OSSN-0999');
    expect(result.advisories.every((a) => a.status !== 'draft')).toBe(true);
    const dates = result.advisories.map((a) => a.date);
    expect([...dates].sort().reverse()).toEqual(dates);

    const preview = await build({ notes: ['notes'], out: 'preview', config, now, cwd: dir, preview: true, renderers: [listing] });
    expect(preview.advisories.map((a) => a.id)).toEqual(expect.arrayContaining(['OSSN-XXXX', 'OSSN-0999']));
    expect(readFileSync(path.join(dir, 'preview/listing/OSSN-0999.txt'), 'utf8')).toContain('PREVIEW');
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

  it('a renderer failing half-way leaves the previous output intact', async () => {
    const dir = project();
    const config = await loadConfig(dir);
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing] });
    const failing: Renderer = { name: 'failing', renderAll: () => { throw new Error('boom'); } };
    await expect(build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, renderers: [listing, failing] })).rejects.toThrow('boom');
    expect(existsSync(path.join(dir, 'dist/listing/index.txt'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('dist.'))).toEqual([]);
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
