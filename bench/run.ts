/**
 * `npm run bench`: generates the corpus for each size in a temporary
 * folder, then measures herald, Eleventy and Hugo on it and prints one
 * table. Progress goes to stderr, the report to stdout. See BENCHMARKS.md.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { editedNoteIndex, writeCorpus } from './corpus.ts';
import { defaultSeed, noteId } from './generate.ts';
import { describeMachine } from './machine.ts';
import { measure, peakMemoryMethod } from './measure.ts';
import { describeProblems, describeRun, markdownTable, textTable, type BenchReport, type SizeResult } from './report.ts';
import { runScenarios } from './scenarios.ts';
import { eleventy } from './tools/eleventy.ts';
import { heraldTool } from './tools/herald.ts';
import { hugo, hugoNoHighlight } from './tools/hugo.ts';
import type { Tool, ToolOptions } from './tools/types.ts';

const herald = heraldTool();
const allTools: readonly Tool[] = [herald, eleventy, hugo, hugoNoHighlight];
const toolKeys: Record<string, Tool[]> = { herald: [herald], eleventy: [eleventy], hugo: [hugo, hugoNoHighlight] };

interface MeasureOptions {
  sizes: number[];
  quick?: boolean;
  runs?: number;
  watchRuns: number;
  tools: string[];
  seed: number;
  nodeOptions?: string;
  now?: string;
  timeout: number;
  workDir?: string;
  keep?: boolean;
  json?: string;
  markdown?: boolean;
  warmUp: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be 0 or a positive integer');
  return n;
}

function sizeList(value: string): number[] {
  return value.split(',').map((part) => positiveInteger(part.trim()));
}

function toolList(value: string): string[] {
  const names = value.split(',').map((part) => part.trim().toLowerCase());
  const unknown = names.filter((name) => !(name in toolKeys));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown tool ${unknown.join(', ')} (use ${Object.keys(toolKeys).join(', ')})`);
  return names;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const warmUpNotes = 20;

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function toolOptions(options: MeasureOptions): ToolOptions {
  return { timeoutMs: options.timeout * 60_000, ...(options.nodeOptions ? { nodeOptions: options.nodeOptions } : {}), ...(options.now ? { now: options.now } : {}) };
}

/** K: three runs where a run is short, one where it takes minutes. */
function runsFor(count: number, options: MeasureOptions): number {
  return options.runs ?? (count <= 1000 ? 3 : 1);
}

/**
 * One unmeasured build of a small corpus per tool, so no measured build
 * pays for first-time costs a user pays once (TypeScript compile cache,
 * the OS file cache of the tool's own files).
 */
async function warmUp(root: string, tools: readonly Tool[], options: MeasureOptions): Promise<void> {
  const dir = path.join(root, 'warm-up');
  const corpus = path.join(dir, 'corpus');
  await writeCorpus(corpus, warmUpNotes, options.seed);
  for (const tool of tools) {
    if (await tool.unavailable()) continue;
    const projectDir = path.join(dir, slug(tool.name));
    await mkdir(projectDir, { recursive: true });
    const project = tool.project(projectDir, toolOptions(options));
    await project.setUp(corpus);
    const result = await measure(project.build());
    const outcome = result.exitCode === 0 ? `${(result.wallMs / 1000).toFixed(2)} s` : `exit code ${result.exitCode}: ${result.output.trim().split('\n').slice(-2).join(' | ')}`;
    log(`warm-up ${tool.name} (${warmUpNotes} notes): ${outcome}`);
  }
  await rm(dir, { recursive: true, force: true });
}

async function measureSize(count: number, root: string, tools: readonly Tool[], options: MeasureOptions): Promise<SizeResult> {
  const dir = path.join(root, `n${count}`);
  const corpus = path.join(dir, 'corpus');
  log(`N=${count}: generating notes in ${corpus}`);
  const corpusBytes = await writeCorpus(corpus, count, options.seed);
  const result: SizeResult = { count, corpusBytes, tools: {} };
  for (const tool of tools) {
    const why = await tool.unavailable();
    if (why) {
      log(`N=${count} ${tool.name}: skipped: ${why}`);
      result.tools[tool.name] = { skipped: why };
      continue;
    }
    const projectDir = path.join(dir, slug(tool.name));
    await mkdir(projectDir, { recursive: true });
    const project = tool.project(projectDir, toolOptions(options));
    await project.setUp(corpus);
    result.tools[tool.name] = await runScenarios(`N=${count} ${tool.name}`, project, {
      runs: runsFor(count, options),
      editId: noteId(editedNoteIndex(count)),
      watchRuns: options.watchRuns,
      watchTimeoutMs: options.timeout * 60_000,
      log,
    });
    // Outputs of 10,000 notes take room: keep only what --keep asks for.
    if (!options.keep) await rm(projectDir, { recursive: true, force: true });
  }
  return result;
}

async function measureAll(options: MeasureOptions): Promise<void> {
  const sizes = options.quick ? [200] : options.sizes;
  const wanted = new Set(options.tools.flatMap((name) => toolKeys[name] ?? []));
  const tools = allTools.filter((tool) => wanted.has(tool));
  const root = options.workDir ? path.resolve(options.workDir) : await mkdtemp(path.join(os.tmpdir(), 'herald-bench-'));
  await mkdir(root, { recursive: true });
  log(`working in ${root}`);
  const report: BenchReport = {
    machine: describeMachine(new Date()),
    versions: {},
    scopes: {},
    memoryMethod: peakMemoryMethod(),
    nodeOptions: options.nodeOptions ?? '',
    ...(options.now ? { heraldNow: options.now } : {}),
    seed: options.seed,
    sizes: [],
  };
  for (const tool of tools) await tool.prepare?.();
  for (const tool of tools) {
    report.versions[tool.name] = (await tool.unavailable()) ? 'absent' : await tool.version();
    report.scopes[tool.name] = tool.scope;
  }
  try {
    if (options.warmUp) await warmUp(root, tools, options);
    for (const count of sizes) report.sizes.push(await measureSize(count, root, tools, options));
    report.loadAverageEnd = Math.round(os.loadavg()[0]! * 100) / 100;
  } finally {
    if (!options.keep && !options.workDir) await rm(root, { recursive: true, force: true });
  }
  if (options.json) await writeFile(options.json, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(describeRun(report) + '\n');
  process.stdout.write(options.markdown ? markdownTable(report) : textTable(report));
  const problems = describeProblems(report);
  if (problems) process.stdout.write(`\nProblems:\n${problems}`);
}

const program = new Command('bench')
  .description('Benchmark herald against Eleventy and Hugo on generated notes (see BENCHMARKS.md)')
  .showHelpAfterError('(run with --help for usage)');

program
  .command('measure', { isDefault: true })
  .description('Generate the corpus for each size, then time cold builds, no-change and one-note rebuilds, watch-mode rebuilds and peak memory of each tool')
  .addOption(new Option('--sizes <list>', 'corpus sizes, comma-separated').argParser(sizeList).default([1000, 10000], '1000,10000'))
  .option('--quick', 'one small corpus (200 notes) instead of --sizes')
  .option('--runs <k>', 'runs per scenario, of which the median is shown (default: 3 up to 1,000 notes, 1 above)', positiveInteger)
  .option('--watch-runs <k>', 'single-note rebuilds timed in each watch mode (0: skip watch modes)', nonNegativeInteger, 3)
  .addOption(new Option('--tools <list>', 'tools to measure, comma-separated: herald, eleventy, hugo').argParser(toolList).default(['herald', 'eleventy', 'hugo'], 'all'))
  .option('--seed <n>', 'corpus seed', positiveInteger, defaultSeed)
  .option('--node-options <flags>', 'NODE_OPTIONS for herald and Eleventy, e.g. --max-old-space-size=512 (default: none)')
  .option('--now <iso>', "pin herald's clock (HERALD_NOW) for every build")
  .option('--timeout <minutes>', 'limit in minutes for one build, and for one build or rebuild in watch mode', positiveInteger, 30)
  .option('--work-dir <dir>', 'folder for corpora and projects (default: a new temporary folder, removed at the end)')
  .option('--keep', 'keep the projects and their outputs')
  .option('--no-warm-up', 'skip the unmeasured build of 20 notes each tool gets first')
  .option('--json <file>', 'also write the raw results as JSON')
  .option('--markdown', 'print the table as Markdown (for BENCHMARKS.md)')
  .action((options: MeasureOptions) => measureAll(options));

program
  .command('generate')
  .description('Write the benchmark corpus to a folder, e.g. to lint it or to build it by hand')
  .argument('<dir>', 'folder to write the notes into')
  .option('-n, --count <n>', 'number of notes', positiveInteger, 1000)
  .option('--seed <n>', 'corpus seed', positiveInteger, defaultSeed)
  .action(async (dir: string, options: { count: number; seed: number }) => {
    const bytes = await writeCorpus(path.resolve(dir), options.count, options.seed);
    log(`wrote ${options.count} notes (${(bytes / 1e6).toFixed(1)} MB) to ${dir}`);
  });

program
  .command('stages')
  .description('CPU time per note of each build stage (parse, lint, each renderer, search, hashing, cache entry, files), in this process')
  .option('-n, --count <n>', 'generated notes', positiveInteger, 300)
  .option('--rounds <k>', 'render every note k times and report the last round (a warm JIT)', positiveInteger, 3)
  .option('--work-dir <dir>', 'where the cache entries and files are written (a fresh folder per round; default: the system temp folder)')
  .option('--json', 'print the rows as JSON')
  .action(async (options: { count: number; rounds: number; workDir?: string; json?: boolean }) => {
    const { measureStages, describeStages } = await import('./stages.ts');
    const rows = measureStages(options);
    process.stdout.write(options.json ? JSON.stringify(rows, null, 2) + '\n' : describeStages(rows, options));
  });

program
  .command('mail')
  .description("Messages per second of `herald send` into Postfix's smtp-sink, beside smtp-source's rate (issue 5)")
  .option('--subscribers <n>', 'direct subscribers to send to', positiveInteger, 10_000)
  .option('--connections <n>', 'SMTP connections, for herald and smtp-source alike', positiveInteger, 4)
  .option('--runs <k>', 'alternating runs, of which the median is shown', positiveInteger, 3)
  .option('--json', 'print the raw result as JSON')
  .action(async (options: { subscribers: number; connections: number; runs: number; json?: boolean }) => {
    const { benchMail, describeMail } = await import('./mail.ts');
    const result = await benchMail(options);
    process.stdout.write(options.json ? JSON.stringify(result, null, 2) + '\n' : describeMail(result));
  });

await program.parseAsync(process.argv);
