/**
 * `herald lint` on workers (a thousand notes or more to parse) says exactly what
 * it says in-process: the same messages, placed the same, duplicates
 * across notes included.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.ts';
import { runCli } from '../support/cli.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-lint-workers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('herald lint on workers', () => {
  it('prints what in-process lint prints, warnings, errors and duplicates included', async () => {
    await writeCorpus(path.join(work, 'notes'), 1000);
    cpSync(path.join(repo, 'herald.config.yaml'), path.join(work, 'herald.config.yaml'));
    // A duplicate id (reported on the later file), a warning, and a note that does not parse.
    writeFileSync(path.join(work, 'notes/OSSN-9999.md'), readFileSync(path.join(work, 'notes/OSSN-0007.md'), 'utf8'));
    cpSync(path.join(repo, 'notes/2014-04-10-heartbleed-mitigation-for-system-vms.md'), path.join(work, 'notes/2014-04-10-heartbleed-mitigation-for-system-vms.md'));
    writeFileSync(path.join(work, 'notes/OSSN-0998.md'), '---\nid: OSSN-0998\ntitle: [unclosed\n---\nBody\n');
    const pooled = await runCli(['lint', '--no-cache', '--workers', '2', '--format', 'json'], { cwd: work });
    const inProcess = await runCli(['lint', '--no-cache', '--workers', '0', '--format', 'json'], { cwd: work });
    expect(pooled.stdout).toBe(inProcess.stdout);
    expect(pooled.code).toBe(1);
    expect(inProcess.code).toBe(1);
    const rules = (JSON.parse(pooled.stdout) as { file: string; ruleId: string; severity: string }[]).map((m) => `${m.file} ${m.ruleId}`);
    expect(rules).toContain('notes/OSSN-9999.md id-duplicate');
    expect(rules.some((rule) => rule.startsWith('notes/OSSN-0998.md '))).toBe(true);
    expect(rules.some((rule) => rule.startsWith('notes/2014-04-10-heartbleed'))).toBe(true);
  }, 120_000);
});
