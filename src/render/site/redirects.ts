/**
 * Stable URLs: an advisory that changed id lists its former ids in
 * `aliases`, and each old URL keeps working. Static hosts that read
 * `_redirects` answer with a real 301; everywhere else a small page at the
 * old address redirects (meta refresh, no script) and names the canonical URL.
 */
import type { Advisory } from '../../model/types.ts';
import type { OutputFile, RenderContext } from '../types.ts';
import { templates } from './templates.ts';
import { absoluteUrl, advisoryPath, outputPathFor, siteRoot } from './urls.ts';
import { href } from './views.ts';

/** The page at each former URL of `advisory`. */
export function aliasPages(advisory: Advisory, context: RenderContext): OutputFile[] {
  const target = href(context, advisoryPath(advisory.slug));
  const canonical = absoluteUrl(context.config, advisoryPath(advisory.slug));
  return advisory.aliases
    .filter((alias) => alias !== advisory.slug)
    .map((alias) => ({
      path: outputPathFor(advisoryPath(alias)),
      contents: templates.redirect({ preview: context.preview, id: advisory.id, oldId: alias, title: advisory.title, target, canonical }),
    }));
}

/** `_redirects` (Netlify, Cloudflare Pages): one permanent redirect per former id; none without aliases. */
export function redirectsFile(advisories: readonly Advisory[], context: RenderContext): OutputFile | null {
  const lines = advisories
    .flatMap((advisory) =>
      advisory.aliases
        .filter((alias) => alias !== advisory.slug)
        .map((alias) => `${href(context, advisoryPath(alias))} ${href(context, advisoryPath(advisory.slug))} 301`),
    )
    .sort();
  return lines.length > 0 ? { path: `${siteRoot}/_redirects`, contents: `${lines.join('\n')}\n` } : null;
}
