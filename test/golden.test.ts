/**
 * Golden fixture folders: one note in, every output out. Each folder under
 * test/fixtures/golden/ holds `notes/` and `expected/`, the whole tree the
 * build renders from those notes. `UPDATE_GOLDEN=1` rewrites `expected/`
 * for review as a diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAdvisories } from '../src/build/render-all.ts';
import { selectForBuild } from '../src/build/select.ts';
import { loadConfig } from '../src/config/load.ts';
import { loadNotes } from '../src/model/load.ts';

const root = path.resolve(import.meta.dirname, 'fixtures/golden');
const repo = path.resolve(import.meta.dirname, '..');
const now = new Date('2026-01-15T12:00:00Z');
const update = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('golden fixture folders: note in, every output out', () => {
  it.each(readdirSync(root))('%s', async (name) => {
    const config = await loadConfig(repo);
    const { advisories, messages } = await loadNotes([path.join(root, name, 'notes')], { config, now, cwd: path.join(root, name) });
    expect(messages.filter((m) => m.severity === 'error')).toEqual([]);
    const files = renderAdvisories(selectForBuild(advisories, now, false), { config, now, preview: false });
    const expectedDir = path.join(root, name, 'expected');
    if (update) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const file of files) {
        mkdirSync(path.dirname(path.join(expectedDir, file.path)), { recursive: true });
        writeFileSync(path.join(expectedDir, file.path), file.contents);
      }
    }
    expect(listFiles(expectedDir).sort()).toEqual(files.map((f) => f.path).sort());
    for (const file of files) {
      const expected = readFileSync(path.join(expectedDir, file.path));
      expect(Buffer.from(file.contents).equals(expected), `${name}/expected/${file.path} (UPDATE_GOLDEN=1 rewrites it)`).toBe(true);
    }
  });
});
