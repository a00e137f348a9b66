/**
 * `herald lint` on workers (thousands of notes to parse) says exactly what
 * it says in-process: the same messages, placed the same, duplicates
 * across notes included.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.ts';
import { lintWithCache } from '../../src/build/cached-lint.ts';
import { parseConfig } from '../../src/config/load.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-lint-workers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('herald lint on workers', () => {
  it('finds what in-process lint finds, warnings, errors and duplicates included', async () => {
    await writeCorpus(path.join(work, 'notes'), 300);
    // A duplicate id (reported on the later file), a warning, and a note that does not parse.
    writeFileSync(path.join(work, 'notes/OSSN-9999.md'), readFileSync(path.join(work, 'notes/OSSN-0007.md'), 'utf8'));
    cpSync(path.join(repo, 'notes/2014-04-10-heartbleed-mitigation-for-system-vms.md'), path.join(work, 'notes/2014-04-10-heartbleed-mitigation-for-system-vms.md'));
    writeFileSync(path.join(work, 'notes/OSSN-0298.md'), '---\nid: OSSN-0298\ntitle: [unclosed\n---\nBody\n');
    const config = parseConfig(readFileSync(path.join(repo, 'herald.config.yaml'), 'utf8'), 'herald.config.yaml');
    const options = { config, now: new Date('2026-01-15T12:00:00Z'), cwd: work, cacheDir: null };
    const pooled = await lintWithCache(['notes'], { ...options, workers: 2, poolFrom: 1 });
    const inProcess = await lintWithCache(['notes'], { ...options, workers: 0 });
    expect(pooled).toEqual(inProcess);
    const rules = pooled.messages.map((m) => `${m.file} ${m.ruleId}`);
    expect(rules).toContain('notes/OSSN-9999.md id-duplicate');
    expect(rules.some((rule) => rule.startsWith('notes/OSSN-0298.md '))).toBe(true);
    expect(rules.some((rule) => rule.startsWith('notes/2014-04-10-heartbleed'))).toBe(true);
  }, 120_000);
});
