/**
 * Steps that run over the staged output tree before it is swapped in:
 * work that needs the written files (the full-text search index).
 */
import type { Advisory } from '../model/types.ts';

export interface PostBuildStep {
  name: string;
  run(stagingDir: string, context: { advisories: readonly Advisory[]; log: (line: string) => void }): Promise<void>;
}

export const postBuildSteps: PostBuildStep[] = [];
