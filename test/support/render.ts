/** A renderer's aggregates as files, keyed ones made at once (as a build with nothing kept would). */
import type { Advisory } from '../../src/model/types.ts';
import { toOutputFiles, type OutputFile, type RenderContext, type Renderer } from '../../src/render/types.ts';

export function aggregates(renderer: Renderer, advisories: readonly Advisory[], context: RenderContext): OutputFile[] {
  return [...renderer.renderAll!(advisories, context)].flatMap(toOutputFiles);
}
