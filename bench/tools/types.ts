/**
 * What the benchmark needs from each static-site tool it measures: a
 * project set up around the corpus, a build command, a way to make the
 * next build cold, and optionally a watch mode to time single-note
 * rebuilds in.
 */
import type { CommandSpec } from '../measure.ts';

/** A long-running watcher and how to see that it has rebuilt a page. */
export interface WatchSpec {
  command: CommandSpec;
  /** Matched against its output: the first build is done and changes are watched. */
  ready: RegExp;
  /** Where a note's page is read back: a file written by the tool, or a URL it serves on 127.0.0.1. */
  probe(id: string): { file: string } | { url: string };
  /** The mode measured, for the report (e.g. "eleventy --watch --incremental"). */
  mode: string;
  /**
   * Matched against each line of its output: a rebuild has finished, every
   * output written. For a tool that shows an edited page before the rest of
   * its rebuild, the report times both.
   */
  finished?: RegExp;
}

/** One tool's project in one corpus size's folder. */
export interface ToolProject {
  /** Writes the project (config, layouts) and copies the notes from `corpus`. */
  setUp(corpus: string): Promise<void>;
  /** Removes the output and any cache, so the next build is cold. */
  clean(): Promise<void>;
  /** Changes the config so that every note's outputs change (run: the run's number, for a new value each time). */
  changeConfig?(run: number): Promise<void>;
  /** Changes a setting of the config that only the listings and feeds show (a tool that tells the two apart). */
  changeListingsConfig?(run: number): Promise<void>;
  /** Removes the output only, keeping the cache (a tool with a persistent cache): a CI job that restored it. */
  cleanOutput?(): Promise<void>;
  build(): CommandSpec;
  /** Checks every note (a tool with a linter): with the cache the builds left, or without one. */
  lint?(cache: boolean): CommandSpec;
  /** Mails one advisory as a dry run (a tool that sends announcements), with the cache the builds left. */
  sendOne?(id: string): CommandSpec;
  /** Prints the wiki's index page of every advisory (a tool that publishes to a wiki), with the cache the builds left. */
  wikiIndex?(): CommandSpec;
  /** The project's copy of a note, which the one-note scenarios edit. */
  notePath(id: string): string;
  watch?(port: number): Promise<WatchSpec | undefined>;
}

export interface ToolOptions {
  /** Extra Node flags (e.g. heap limits) for Node-based tools, passed as NODE_OPTIONS. */
  nodeOptions?: string;
  /** Pins herald's clock (HERALD_NOW) when set. */
  now?: string;
  timeoutMs: number;
}

export interface Tool {
  /** Column label in the report. */
  name: string;
  /** What the numbers cover, for the report. */
  scope: string;
  /** Once per benchmark run, before any project: e.g. take a snapshot of the tool. */
  prepare?(): Promise<void>;
  /** Why the tool cannot run on this machine, or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  /** Version string for the report. */
  version(): Promise<string>;
  project(dir: string, options: ToolOptions): ToolProject;
}
