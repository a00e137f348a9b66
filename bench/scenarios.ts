/**
 * The measured scenarios for one tool and one corpus size: cold builds,
 * rebuilds with nothing changed, rebuilds after editing one note, rebuilds
 * after a change of the config that every note's outputs depend on (a
 * tool that says which: every note rendered again into the output), builds
 * into a fresh output folder with the cache the builds left (CI restoring
 * it with actions/cache: for a tool with a persistent cache),
 * checking the notes (for a tool that has a linter: with the cache the
 * builds left, and without one), mailing one advisory as a dry run (for a
 * tool that sends announcements), printing the wiki's index page (for a
 * tool that publishes to a wiki), and single-note rebuilds in watch mode.
 */
import { editNote } from './corpus.ts';
import { measure, type RunResult } from './measure.ts';
import type { ToolProject } from './tools/types.ts';
import { freePort, measureWatch, type WatchResult } from './watch.ts';

/** The whole-process scenarios, in the order they run. */
export type ScenarioName = 'cold' | 'noChange' | 'oneNote' | 'listingsConfigChange' | 'configChange' | 'restoredCache' | 'lint' | 'lintNoCache' | 'sendOne' | 'wikiIndex';

/** Everything measured for one tool at one corpus size. */
export interface ToolResult {
  runs: Partial<Record<ScenarioName, RunResult[]>>;
  watch?: WatchResult;
  /** The first failure, with the end of the tool's output. */
  error?: string;
}

export interface ScenarioOptions {
  /** K: runs per scenario. */
  runs: number;
  /** The note the one-note scenarios edit. */
  editId: string;
  /** Edits timed in watch mode (0: none). */
  watchRuns: number;
  /** Limit for the watcher's first build and for each rebuild in it. */
  watchTimeoutMs: number;
  log(line: string): void;
}

function failure(scenario: string, result: RunResult): string {
  const why = result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`;
  return `${scenario} build ${why}:\n${result.output.trim()}`;
}

function describe(result: RunResult): string {
  const memory = result.peakRssKiB !== undefined ? `, ${Math.round(result.peakRssKiB / 1024)} MiB` : '';
  const tree = result.peakTreeKiB !== undefined ? ` (all processes ${Math.round(result.peakTreeKiB / 1024)} MiB)` : '';
  return `${(result.wallMs / 1000).toFixed(2)} s${memory}${tree}`;
}

/** Runs every scenario on `project`, which `setUp` has prepared. Stops at the first failing build. */
export async function runScenarios(label: string, project: ToolProject, options: ScenarioOptions): Promise<ToolResult> {
  const result: ToolResult = { runs: {} };
  const notePath = project.notePath(options.editId);
  const nothing = async () => {};
  const build = () => project.build();
  const steps: { name: ScenarioName; before(run: number): Promise<void>; command: typeof build }[] = [
    { name: 'cold', before: () => project.clean(), command: build },
    // Each no-change run follows a complete build: the last cold one, then the previous no-change one.
    { name: 'noChange', before: nothing, command: build },
    { name: 'oneNote', before: (run) => editNote(notePath, `edit-${run}`), command: build },
  ];
  const { changeConfig, changeListingsConfig, cleanOutput, lint, sendOne, wikiIndex } = project;
  if (changeListingsConfig) steps.push({ name: 'listingsConfigChange', before: (run) => changeListingsConfig.call(project, run), command: build });
  if (changeConfig) steps.push({ name: 'configChange', before: (run) => changeConfig.call(project, run), command: build });
  if (cleanOutput) steps.push({ name: 'restoredCache', before: () => cleanOutput.call(project), command: build });
  // After the last build: its cache holds every note as it is now.
  if (lint) steps.push({ name: 'lint', before: nothing, command: () => lint.call(project, true) }, { name: 'lintNoCache', before: nothing, command: () => lint.call(project, false) });
  if (sendOne) steps.push({ name: 'sendOne', before: nothing, command: () => sendOne.call(project, options.editId) });
  if (wikiIndex) steps.push({ name: 'wikiIndex', before: nothing, command: () => wikiIndex.call(project) });
  for (const step of steps) {
    const runs: RunResult[] = [];
    result.runs[step.name] = runs;
    for (let run = 1; run <= options.runs; run++) {
      await step.before(run);
      const measured = await measure(step.command());
      if (measured.exitCode !== 0) {
        result.error = failure(step.name, measured);
        options.log(`${label} ${step.name} ${run}/${options.runs}: FAILED`);
        return result;
      }
      runs.push(measured);
      options.log(`${label} ${step.name} ${run}/${options.runs}: ${describe(measured)}`);
    }
  }
  if (options.watchRuns > 0 && project.watch) {
    const spec = await project.watch(await freePort());
    if (spec) {
      options.log(`${label} watch: starting ${spec.mode}`);
      result.watch = await measureWatch(spec, options.editId, notePath, options.watchRuns, options.watchTimeoutMs);
      const whole = result.watch.wholeMs?.map((ms) => `${Math.round(ms)}`);
      const shown = result.watch.latenciesMs.map((ms, run) => `${Math.round(ms)} ms${whole?.[run] ? ` (whole rebuild ${whole[run]} ms)` : ''}`).join(', ');
      options.log(`${label} watch: ${shown || 'no measurement'}${result.watch.error ? ` (${result.watch.error})` : ''}`);
    }
  }
  return result;
}
