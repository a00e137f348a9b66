/** The benchmark table: medians, peak memory, ratios, and cells for what was not measured. */
import { describe, expect, it } from 'vitest';
import { median, type RunResult } from '../../bench/measure.ts';
import { markdownTable, tableLines, type BenchReport } from '../../bench/report.ts';

const run = (seconds: number, mib: number): RunResult => ({ wallMs: seconds * 1000, peakRssKiB: mib * 1024, peakTreeKiB: (mib + 100) * 1024, exitCode: 0, output: '', timedOut: false });

const report: BenchReport = {
  machine: { date: '2026-01-15T12:00:00.000Z', cores: 2, cpu: 'Test CPU', memoryGiB: 4, os: 'Test OS', node: 'v20.0.0', loadAverage: 0 },
  versions: {},
  scopes: {},
  memoryMethod: 'test',
  nodeOptions: '',
  seed: 1,
  sizes: [
    {
      count: 1000,
      corpusBytes: 6_900_000,
      tools: {
        herald: { runs: { cold: [run(3, 300), run(2, 310), run(9, 305)], noChange: [run(0.5, 200)], oneNote: [run(0.8, 210)] }, watch: { mode: 'w', latenciesMs: [120, 100, 140] } },
        Eleventy: { runs: { cold: [run(4, 800)], noChange: [run(4, 790)], oneNote: [run(4, 795)] } },
        Hugo: { skipped: 'hugo is not installed' },
      },
    },
  ],
};

const row = (lines: string[][], measurement: string, tool: string) => {
  const start = lines.findIndex((line) => line[0] === measurement);
  return lines.slice(start).find((line) => line[1] === tool);
};

describe('benchmark report', () => {
  it('takes the median of the runs', () => {
    expect(median([3, 9, 2])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('shows medians, peaks and herald’s ratio to each other tool', () => {
    const lines = tableLines(report);
    expect(lines[0]).toEqual(['Measurement', 'Tool', 'N = 1,000']);
    expect(row(lines, 'Cold build (median)', 'herald')).toEqual(['Cold build (median)', 'herald', '3.00 s']);
    expect(row(lines, 'Cold build (median)', 'herald ÷ Eleventy')?.[2]).toBe('0.75×');
    expect(row(lines, 'No-change rebuild (median)', 'herald')?.[2]).toBe('500 ms');
    expect(row(lines, 'One-note rebuild, watch mode (median)', 'herald')?.[2]).toBe('120 ms');
    expect(row(lines, 'One-note rebuild, watch mode (median)', 'Eleventy')?.[2]).toBe('not measured');
    expect(row(lines, 'Peak memory, cold build', 'herald')?.[2]).toBe('310 MiB');
    expect(row(lines, 'Peak memory, cold build, all processes', 'herald')?.[2]).toBe('410 MiB');
    expect(row(lines, 'Cold build (median)', 'Hugo')?.[2]).toBe('skipped');
    expect(row(lines, 'Cold build (median)', 'herald ÷ Hugo')?.[2]).toBe('—');
  });

  it('prints a Markdown table with numeric columns right-aligned', () => {
    const table = markdownTable(report).split('\n');
    expect(table[0]).toBe('| Measurement | Tool | N = 1,000 |');
    expect(table[1]).toBe('| --- | --- | ---: |');
  });
});
