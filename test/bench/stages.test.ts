/**
 * `npm run bench -- stages` runs every stage of a note's build, the cache
 * entry and the files included, and leaves nothing behind. Its timings are
 * never tested: only that each stage ran.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureStages } from '../../bench/stages.ts';

const workDir = mkdtempSync(path.join(tmpdir(), 'herald-stages-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('bench stages', () => {
  it('measures parse, the renderers, search, hashing, the cache entry and the files, then removes what it wrote', () => {
    const rows = measureStages({ count: 3, rounds: 1, workDir });
    const stages = rows.map((row) => row.stage);
    for (const stage of ['parse', 'render: site', 'search index', 'sha256 of outputs', 'cache entry', 'write files', 'total']) expect(stages).toContain(stage);
    expect(rows.every((row) => row.cpuUsPerNote >= 0)).toBe(true);
    expect(readdirSync(workDir)).toEqual([]);
  });
});
