/**
 * Where one note's build time goes: `npm run bench -- stages [-n 300]`
 * renders N generated notes in this process, one stage at a time (parse,
 * lint, each renderer's per-note files, indexing the page for search,
 * hashing the outputs, writing its cache entry and its files as a cold
 * build's worker does, into a fresh folder under `workDir`), and prints
 * the CPU time per note of each stage. Every note is rendered `--rounds`
 * times and the last round is reported, so the JIT is warm and module
 * loading is not counted. CPU time (user + system) is less disturbed by
 * other load than wall time, but on a busy machine it still varies by
 * 10 % or so: compare runs made under the same conditions.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCacheEntry } from '../src/build/cache.ts';
import { writeStagedNote } from '../src/build/output-writer.ts';
import { parseConfig } from '../src/config/load.ts';
import { lintNote } from '../src/lint/run.ts';
import { parseNote } from '../src/model/load.ts';
import { summarize } from '../src/model/types.ts';
import { renderers } from '../src/render/registry.ts';
import { searchPageOf } from '../src/render/site/search.ts';
import type { OutputFile, RenderContext } from '../src/render/types.ts';
import { generateNote } from './generate.ts';

export interface StageOptions {
  count: number;
  rounds: number;
  /** Where the cache entries and files are written (a fresh folder per round, removed after); the system's temp folder by default. */
  workDir?: string;
}

export interface StageRow {
  stage: string;
  /** CPU microseconds per note. */
  cpuUsPerNote: number;
}

const cpuNow = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

export function measureStages(options: StageOptions): StageRow[] {
  const root = path.resolve(import.meta.dirname, '..');
  const config = parseConfig(readFileSync(path.join(root, 'herald.config.yaml'), 'utf8'), 'herald.config.yaml');
  const now = new Date('2026-01-01T00:00:00Z');
  const notes = Array.from({ length: options.count }, (_, i) => generateNote(i + 1, options.count));
  const bytes = notes.map((note) => Buffer.from(note.text, 'utf8'));
  let totals = new Map<string, number>();
  const time = <T>(stage: string, run: () => T): T => {
    const start = cpuNow();
    const result = run();
    totals.set(stage, (totals.get(stage) ?? 0) + cpuNow() - start);
    return result;
  };
  for (let round = 0; round < options.rounds; round++) {
    totals = new Map();
    const work = mkdtempSync(path.join(options.workDir ?? tmpdir(), 'herald-stages-'));
    const dirs = new Set<string>();
    notes.forEach((note, i) => {
      const parsed = time('parse', () => parseNote(`notes/${note.fileName}`, bytes[i]!, { config, now }));
      time('lint', () => lintNote(parsed, config, now));
      const advisory = parsed.advisory;
      if (!advisory) throw new Error(`${note.fileName} did not parse`);
      const noteOutputs = new Map<string, readonly OutputFile[]>();
      const context: RenderContext = { config, now, preview: false, all: [], noteOutputs };
      const outputs: OutputFile[] = [];
      const digests: Record<string, unknown> = {};
      for (const renderer of renderers) {
        if (!renderer.renderNote) continue;
        const files = time(`render: ${renderer.name}`, () => renderer.renderNote!(advisory, context));
        noteOutputs.set(renderer.name, files);
        outputs.push(...files);
        if (renderer.digest) digests[renderer.name] = time(`digest: ${renderer.name}`, () => renderer.digest!(advisory, context));
      }
      const siteFiles = noteOutputs.get('site');
      const search = siteFiles ? time('search index', () => searchPageOf(advisory.slug, siteFiles)) : undefined;
      const hashed = time('sha256 of outputs', () => outputs.map((file) => ({ ...file, sha256: createHash('sha256').update(file.contents).digest('hex') })));
      const result = { path: `notes/${note.fileName}`, hash: '', messages: [], summary: summarize(advisory), rendered: true, outputs: hashed, digests, ...(search ? { search } : {}) };
      time('cache entry', () => writeCacheEntry(path.join(work, 'cache'), createHash('sha256').update(note.fileName).digest('hex'), result));
      time('write files', () => writeStagedNote(path.join(work, 'out'), hashed, dirs));
    });
    rmSync(work, { recursive: true, force: true });
  }
  const rows = [...totals].map(([stage, us]) => ({ stage, cpuUsPerNote: us / options.count }));
  rows.push({ stage: 'total', cpuUsPerNote: rows.reduce((sum, row) => sum + row.cpuUsPerNote, 0) });
  return rows;
}

export function describeStages(rows: readonly StageRow[], options: StageOptions): string {
  const width = Math.max(...rows.map((row) => row.stage.length));
  const lines = rows.map((row) => `${row.stage.padEnd(width)}  ${(row.cpuUsPerNote / 1000).toFixed(3).padStart(8)} ms`);
  return `CPU time per note, ${options.count} generated notes, round ${options.rounds} of ${options.rounds}:\n${lines.join('\n')}\n`;
}
