/**
 * Runs every renderer of the registry over the selected advisories: a pure
 * step (advisories in, files out), so the whole build is testable without disk.
 */
import type { Config } from '../config/schema.ts';
import { HeraldError } from '../errors/message.ts';
import type { Advisory } from '../model/types.ts';
import { message } from '../model/validate.ts';
import { renderers as registry } from '../render/registry.ts';
import type { OutputFile, RenderContext, Renderer } from '../render/types.ts';

export interface RenderOptions {
  config: Config;
  now: Date;
  preview: boolean;
  renderers?: readonly Renderer[];
}

export function renderAdvisories(advisories: readonly Advisory[], options: RenderOptions): OutputFile[] {
  const context: RenderContext = { config: options.config, now: options.now, preview: options.preview, all: advisories };
  const files: OutputFile[] = [];
  for (const renderer of options.renderers ?? registry) {
    if (renderer.renderNote) {
      for (const advisory of advisories) {
        try {
          files.push(...renderer.renderNote(advisory, context));
        } catch (error) {
          throw new HeraldError([message(advisory.source.path, 'render-failed', `The ${renderer.name} renderer failed: ${(error as Error).message}`, { line: 1, column: 1 })]);
        }
      }
    }
    if (renderer.renderAll) files.push(...renderer.renderAll(advisories, context));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
