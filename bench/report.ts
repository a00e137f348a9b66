/**
 * The benchmark's results and their presentation: one table whose rows
 * are measurements (one line per tool, then herald's ratio to each other
 * tool) and whose columns are corpus sizes, as plain text or Markdown.
 */
import type { Machine } from './machine.ts';
import { median } from './measure.ts';
import type { ScenarioName, ToolResult } from './scenarios.ts';

export interface SizeResult {
  count: number;
  corpusBytes: number;
  /** By tool name: the measurements, or why the tool was skipped. */
  tools: Record<string, ToolResult | { skipped: string }>;
}

export interface BenchReport {
  machine: Machine;
  /** Tool name → version string. */
  versions: Record<string, string>;
  /** Tool name → what its numbers cover. */
  scopes: Record<string, string>;
  memoryMethod: string;
  /** NODE_OPTIONS given to Node-based tools ('' for none). */
  nodeOptions: string;
  heraldNow?: string;
  seed: number;
  sizes: SizeResult[];
  /** 1-minute load average when the last measurement ended. */
  loadAverageEnd?: number;
}

type Cell = { value: number; unit: 'ms' | 'KiB' } | { missing: string };

interface Row {
  label: string;
  cell(result: ToolResult): Cell;
}

const missing = (why: string): Cell => ({ missing: why });

function medianOf(result: ToolResult, scenario: ScenarioName): Cell {
  const runs = result.runs[scenario];
  if (!runs || runs.length === 0) return missing(result.error ? 'failed' : '—');
  return { value: median(runs.map((r) => r.wallMs)), unit: 'ms' };
}

function peakOf(result: ToolResult, scenarios: ScenarioName[], field: 'peakRssKiB' | 'peakTreeKiB' = 'peakRssKiB'): Cell {
  const values = scenarios.flatMap((s) => result.runs[s] ?? []).flatMap((r) => (r[field] !== undefined ? [r[field]] : []));
  if (values.length === 0) return missing(result.error ? 'failed' : '—');
  return { value: Math.max(...values), unit: 'KiB' };
}

const rows: Row[] = [
  { label: 'Cold build (median)', cell: (r) => medianOf(r, 'cold') },
  { label: 'No-change rebuild (median)', cell: (r) => medianOf(r, 'noChange') },
  { label: 'One-note rebuild, CLI (median)', cell: (r) => medianOf(r, 'oneNote') },
  {
    label: 'One-note rebuild, watch mode (median)',
    cell: (r) => (r.watch && r.watch.latenciesMs.length > 0 ? { value: median(r.watch.latenciesMs), unit: 'ms' } : missing(r.watch?.error ? 'failed' : 'not measured')),
  },
  {
    label: 'One-note rebuild, watch mode, whole rebuild (median)',
    cell: (r) => (r.watch?.wholeMs && r.watch.wholeMs.length > 0 ? { value: median(r.watch.wholeMs), unit: 'ms' } : missing(r.watch?.error ? 'failed' : '—')),
  },
  { label: 'Rebuild after a config change only the listings show (median)', cell: (r) => medianOf(r, 'listingsConfigChange') },
  { label: 'Rebuild after a config change: every note again (median)', cell: (r) => medianOf(r, 'configChange') },
  { label: 'Build into a fresh output with a restored cache (median)', cell: (r) => medianOf(r, 'restoredCache') },
  { label: 'Lint, with the builds\' cache (median)', cell: (r) => medianOf(r, 'lint') },
  { label: 'Lint, without a cache (median)', cell: (r) => medianOf(r, 'lintNoCache') },
  { label: 'Send one advisory, dry run, with the builds\' cache (median)', cell: (r) => medianOf(r, 'sendOne') },
  { label: 'Wiki index page of every advisory, with the builds\' cache (median)', cell: (r) => medianOf(r, 'wikiIndex') },
  { label: 'Peak memory, cold build', cell: (r) => peakOf(r, ['cold']) },
  { label: 'Peak memory, rebuilds', cell: (r) => peakOf(r, ['noChange', 'oneNote']) },
  { label: 'Peak memory, every note again after a config change', cell: (r) => peakOf(r, ['configChange']) },
  { label: 'Peak memory, fresh output with a restored cache', cell: (r) => peakOf(r, ['restoredCache']) },
  { label: 'Peak memory, cold build, all processes', cell: (r) => peakOf(r, ['cold'], 'peakTreeKiB') },
  { label: 'Peak memory, lint without a cache', cell: (r) => peakOf(r, ['lintNoCache']) },
  { label: 'Peak memory, send one advisory', cell: (r) => peakOf(r, ['sendOne']) },
  { label: 'Peak memory, wiki index page', cell: (r) => peakOf(r, ['wikiIndex']) },
];

function formatCell(cell: Cell): string {
  if ('missing' in cell) return cell.missing;
  if (cell.unit === 'KiB') return `${Math.round(cell.value / 1024).toLocaleString('en-US')} MiB`;
  return cell.value < 1000 ? `${Math.round(cell.value)} ms` : `${(cell.value / 1000).toFixed(2)} s`;
}

function ratio(a: Cell, b: Cell): string {
  if ('missing' in a || 'missing' in b || b.value === 0) return '—';
  return `${(a.value / b.value).toFixed(2)}×`;
}

function cellFor(size: SizeResult, tool: string, row: Row): Cell {
  const result = size.tools[tool];
  if (!result) return missing('—');
  if ('skipped' in result) return missing('skipped');
  return row.cell(result);
}

/** The table as lines of cells: a header, then one line per tool and per ratio for each measurement. */
export function tableLines(report: BenchReport): string[][] {
  const tools = [...new Set(report.sizes.flatMap((s) => Object.keys(s.tools)))];
  const others = tools.filter((t) => t !== 'herald');
  const header = ['Measurement', 'Tool', ...report.sizes.map((s) => `N = ${s.count.toLocaleString('en-US')}`)];
  const lines: string[][] = [header];
  for (const row of rows) {
    tools.forEach((tool, index) => {
      lines.push([index === 0 ? row.label : '', tool, ...report.sizes.map((size) => formatCell(cellFor(size, tool, row)))]);
    });
    if (tools.includes('herald')) {
      for (const other of others) {
        lines.push(['', `herald ÷ ${other}`, ...report.sizes.map((size) => ratio(cellFor(size, 'herald', row), cellFor(size, other, row)))]);
      }
    }
  }
  return lines;
}

/** The table as aligned plain text. */
export function textTable(report: BenchReport): string {
  const lines = tableLines(report);
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => [...line[column]!].length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const [header, ...body] = lines;
  return [render(header!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(render)].join('\n') + '\n';
}

/** The table as GitHub-flavoured Markdown. */
export function markdownTable(report: BenchReport): string {
  const [header, ...body] = tableLines(report);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = header!.map((_, column) => (column < 2 ? '---' : '---:'));
  return [line(header!), line(align), ...body.map(line)].join('\n') + '\n';
}

/** What was measured, on what, with which settings: printed before the table. */
export function describeRun(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Date: ${m.date}`,
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB RAM, ${m.os}; load average ${m.loadAverage} at start${report.loadAverageEnd !== undefined ? `, ${report.loadAverageEnd} at end` : ''}`,
    `Node: ${m.node}; Node flags for Node-based tools: ${report.nodeOptions || 'none (default heap)'}`,
    `Peak memory: ${report.memoryMethod}`,
    `Corpus: seed ${report.seed}; ${report.sizes.map((s) => `${s.count} notes, ${(s.corpusBytes / s.count / 1000).toFixed(2)} KB each on average`).join('; ')}`,
    ...(report.heraldNow ? [`herald clock pinned: HERALD_NOW=${report.heraldNow}`] : []),
    ...Object.entries(report.versions).map(([tool, version]) => `${tool}: ${version} (${report.scopes[tool] ?? ''})`),
  ];
  return lines.join('\n') + '\n';
}

/** The end of each failed or skipped tool's story, so a failure is never silent. */
export function describeProblems(report: BenchReport): string {
  const lines: string[] = [];
  for (const size of report.sizes) {
    for (const [tool, result] of Object.entries(size.tools)) {
      if ('skipped' in result) lines.push(`N=${size.count} ${tool}: skipped: ${result.skipped}`);
      else {
        if (result.error) lines.push(`N=${size.count} ${tool}: ${result.error}`);
        if (result.watch?.error) lines.push(`N=${size.count} ${tool} (${result.watch.mode}): ${result.watch.error}`);
      }
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
