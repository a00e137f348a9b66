import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { selectForBuild } from '../../src/build/select.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadNotes } from '../../src/model/load.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const now = new Date('2026-01-15T12:00:00Z');

describe('aggregates built from summaries', () => {
  it('osv/all.json holds exactly the full per-note records', async () => {
    const config = await loadConfig(repo);
    const { advisories } = await loadNotes(['notes'], { config, now, cwd: repo });
    const files = renderAdvisories(selectForBuild(advisories, now, false), { config, now, preview: false });
    const all = JSON.parse(String(files.find((f) => f.path === 'osv/all.json')!.contents)) as { id: string; details: string }[];
    const single = files.filter((f) => /^osv\/[^/]+\.json$/.test(f.path) && f.path !== 'osv/all.json').map((f) => JSON.parse(String(f.contents)) as { id: string });
    expect(all.length).toBe(single.length);
    for (const record of single) expect(all.find((r) => r.id === record.id)).toEqual(record);
    expect(all.some((r) => r.details.includes('## Recommended Actions') || r.details.length > 1000)).toBe(true);
  });
});
