/**
 * Steps that run over the staged output tree before it is swapped in:
 * work that needs the written files (the full-text search index).
 */
import type { Advisory } from '../model/types.ts';

export interface PostBuildContext {
  /** What this build publishes, newest first. */
  advisories: readonly Advisory[];
  /**
   * Every per-note output in the tree with the sha256 of its bytes, so a
   * step can tell what changed since its last run without reading files.
   */
  outputs: readonly { path: string; sha256: string }[];
  log: (line: string) => void;
}

export interface PostBuildStep {
  name: string;
  /** Whether the step must run, given the output paths this build changed (default: always). */
  when?(changed: readonly string[]): boolean;
  /**
   * Runs over the output root: the staging folder of a cold build, or the
   * output folder itself in an incremental one (after every file rendered).
   */
  run(root: string, context: PostBuildContext): Promise<void>;
}

