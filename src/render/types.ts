/**
 * The contract every output format follows: a pure function from validated
 * advisories to files. No renderer touches the disk, the network or the clock;
 * the build writes what they return.
 */
import type { Config } from '../config/schema.ts';
import type { Advisory } from '../model/types.ts';

export interface OutputFile {
  /** Path relative to the output root, with forward slashes, e.g. `site/index.html`. */
  path: string;
  contents: string | Uint8Array;
}

export interface RenderContext {
  config: Config;
  /** The injected clock: every date a renderer prints that is not from a note comes from here. */
  now: Date;
  /** A private preview build: drafts and embargoed notes included, every output marked. */
  preview: boolean;
  /** Every advisory in this build, newest first, for cross-links and aggregate pages. */
  all: readonly Advisory[];
}

export interface Renderer {
  /** Stable name, also the output's folder, e.g. `site`, `wiki`, `mail`, `checklists`. */
  name: string;
  /** Files that depend on one advisory only (cacheable per note). */
  renderNote?(advisory: Advisory, context: RenderContext): OutputFile[];
  /** Files that depend on the whole set: indexes, feeds, aggregates. */
  renderAll?(advisories: readonly Advisory[], context: RenderContext): OutputFile[];
}
