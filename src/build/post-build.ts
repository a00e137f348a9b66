/**
 * Steps that run over the written output tree before a cold build's
 * staging folder is swapped in (or, in an incremental build, once the files
 * are in place): work that needs files on disk and a secret the renderers
 * must not see, such as CSAF signing. The command that has the secret adds
 * the step.
 */
export interface PostBuildContext {
  log: (line: string) => void;
}

export interface PostBuildStep {
  name: string;
  /**
   * Runs over the output root: the staging folder of a cold build, or the
   * output folder itself in an incremental one (after every file rendered).
   */
  run(root: string, context: PostBuildContext): Promise<void>;
}
