/** Where the build cache is, relative to the project, unless `--cache` says otherwise. */
export const defaultCacheDir = '.herald-cache';

/** Where a preview build goes unless `--out` says otherwise: beside the public output (`dist`), never in it. */
export const previewOut = 'dist-preview';
