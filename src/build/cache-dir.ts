/** Where the build cache is, relative to the project, unless `--cache` says otherwise. */
export const defaultCacheDir = '.herald-cache';
