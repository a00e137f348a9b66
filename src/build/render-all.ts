/**
 * Renders advisories to files in memory, exactly as the build does (per-note
 * outputs from full advisories; aggregates from summaries), without caching,
 * workers or disk. For tests and for commands that preview outputs.
 */
import type { Config } from '../config/schema.ts';
import { summarize, type Advisory } from '../model/types.ts';
import { renderers as registry } from '../render/registry.ts';
import { toOutputFiles, type OutputFile, type RenderContext, type Renderer } from '../render/types.ts';

export interface RenderOptions {
  config: Config;
  now: Date;
  preview: boolean;
  renderers?: readonly Renderer[];
}

/** `advisories` are those selected for the build, newest first. */
export function renderAdvisories(advisories: readonly Advisory[], options: RenderOptions): OutputFile[] {
  const summaries = advisories.map(summarize);
  const context: RenderContext = { config: options.config, now: options.now, preview: options.preview, all: summaries };
  const files: OutputFile[] = [];
  const byAdvisory = new Map(advisories.map((advisory) => [advisory, new Map<string, readonly OutputFile[]>()]));
  const byPath = new Map<string, OutputFile>();
  const noteFile = (file: string) => {
    const found = byPath.get(file);
    return found && (typeof found.contents === 'string' ? Buffer.from(found.contents, 'utf8') : found.contents);
  };
  for (const renderer of options.renderers ?? registry) {
    const digests = new Map<string, unknown>();
    if (renderer.renderNote) {
      for (const advisory of advisories) {
        const noteOutputs = byAdvisory.get(advisory)!;
        const noteContext = { ...context, all: [], noteOutputs };
        const own = renderer.renderNote(advisory, noteContext);
        noteOutputs.set(renderer.name, own);
        files.push(...own);
        for (const file of own) byPath.set(file.path, file);
        if (renderer.digest) digests.set(advisory.slug, renderer.digest(advisory, noteContext));
      }
    }
    if (renderer.renderAll) files.push(...[...renderer.renderAll(summaries, { ...context, digests, noteFile })].flatMap(toOutputFiles));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
