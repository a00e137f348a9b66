/**
 * `herald build`: load and lint every note, refuse while any is broken,
 * render every output, and swap the new tree in at once.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { HeraldError, type HeraldMessage } from '../errors/message.ts';
import { checkOutputPaths, swapIn, writeStaging } from '../io/write-tree.ts';
import { loadNotes } from '../model/load.ts';
import type { Advisory } from '../model/types.ts';
import type { Renderer } from '../render/types.ts';
import { postBuildSteps } from './post-build.ts';
import { renderAdvisories } from './render-all.ts';
import { selectForBuild } from './select.ts';

export interface BuildOptions {
  /** Note files or folders. */
  notes: readonly string[];
  /** Output folder (e.g. `dist`). */
  out: string;
  config: Config;
  now: Date;
  preview?: boolean;
  cwd?: string;
  /** The renderers to run (default: the registry). */
  renderers?: readonly Renderer[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface BuildResult {
  advisories: Advisory[];
  /** Warnings (errors abort the build). */
  messages: HeraldMessage[];
  files: number;
  out: string;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => {});
  const preview = options.preview ?? false;
  const loaded = await loadNotes(options.notes, { config: options.config, now: options.now, cwd });
  const errors = loaded.messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) throw new HeraldError(loaded.messages);
  const selected = selectForBuild(loaded.advisories, options.now, preview);
  log(`herald: ${loaded.advisories.length} notes read, ${selected.length} to publish${preview ? ' (PRIVATE PREVIEW: drafts and embargoed notes included)' : ''}`);
  const files = renderAdvisories(selected, { config: options.config, now: options.now, preview, ...(options.renderers ? { renderers: options.renderers } : {}) });
  checkOutputPaths(files);
  const out = path.resolve(cwd, options.out);
  const staging = await writeStaging(out, files);
  try {
    for (const step of postBuildSteps) await step.run(staging, { advisories: selected, log });
    await swapIn(staging, out);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  log(`herald: wrote ${files.length} files to ${path.relative(cwd, out) || out}`);
  return { advisories: selected, messages: loaded.messages, files: files.length, out };
}
