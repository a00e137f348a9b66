/**
 * The browser-side files from `site/` (stylesheet, script, icon), read once
 * when the module loads and published under names that carry a hash of
 * their contents, so hosts may cache them forever (see `_headers`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../package-root.ts';

/** `site/` at the repository root: browser code, never run by Node. */
export const browserDir = path.join(packageRoot, 'site');

export interface Asset {
  /** Path under the site root, e.g. `assets/site.3f2a9c1b.css`. */
  sitePath: string;
  contents: string;
}

function asset(file: string): Asset {
  const contents = readFileSync(path.join(browserDir, file), 'utf8');
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 10);
  const extension = path.extname(file);
  return { sitePath: `assets/${path.basename(file, extension)}.${hash}${extension}`, contents };
}

export const assets = {
  css: asset('site.css'),
  js: asset('site.js'),
  icon: asset('favicon.svg'),
};
