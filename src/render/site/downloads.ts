/**
 * "This advisory in other formats": the wiki text, announcement email,
 * checklist, OSV and CSAF files of an advisory, published inside the site
 * under `downloads/` so every link on the page resolves on any static host.
 *
 * The files come from the other renderers' own pure `renderNote`, so the
 * site links exactly the files that exist, with the bytes the build writes
 * beside it (`dist/wiki`, `dist/mail`, ...). A renderer that already
 * publishes into the site (CSAF's `.well-known/csaf/`) is linked in place.
 */
import type { Advisory } from '../../model/types.ts';
import type { OutputFile, RenderContext, Renderer } from '../types.ts';
import { renderer as wiki } from '../wiki/index.ts';
import { renderer as mail } from '../mail/index.ts';
import { renderer as checklists } from '../checklists/index.ts';
import { renderer as osv } from '../osv/index.ts';
import { renderer as csaf } from '../csaf/index.ts';
import { siteRoot } from './urls.ts';
import { href, type DownloadView } from './views.ts';

/** Each renderer's files, named by what readers get; a file not named here shows its extension. */
const sources: readonly { renderer: Renderer; label: string; bySuffix?: Readonly<Record<string, string>> }[] = [
  { renderer: wiki, label: 'Wiki text (MediaWiki)' },
  { renderer: mail, label: 'Announcement email' },
  {
    renderer: checklists,
    label: 'Remediation checklist',
    bySuffix: {
      '.json': 'Remediation checklist (JSON)',
      '.yml': 'Checklist as an Ansible playbook',
      '.oval.xml': 'Checklist as OVAL definitions',
      '.sh': 'Checklist as a shell script',
    },
  },
  { renderer: osv, label: 'OSV record' },
  { renderer: csaf, label: 'CSAF document' },
];

function labelFor(source: (typeof sources)[number], name: string, several: boolean): string {
  const suffix = Object.keys(source.bySuffix ?? {})
    .sort((a, b) => b.length - a.length)
    .find((candidate) => name.endsWith(candidate));
  if (suffix) return source.bySuffix![suffix]!;
  const extension = extensionOf(name);
  return several && extension ? `${source.label} (${extension.slice(1)})` : source.label;
}

/** Checksums and signatures sit beside the file they vouch for; a link to the file is enough. */
const companions = new Set(['.sha256', '.sha512', '.asc', '.sig']);

function extensionOf(path: string): string {
  const match = /\.[a-z0-9]+$/i.exec(path);
  return match ? match[0].toLowerCase() : '';
}

/** Names the renderer at fault, so a failure there is not reported as the site's. */
function renderOther(renderer: Renderer, advisory: Advisory, context: RenderContext): OutputFile[] {
  try {
    return renderer.renderNote?.(advisory, context) ?? [];
  } catch (error) {
    throw new Error(`the ${renderer.name} renderer failed while the site gathered its files: ${(error as Error).message}`, { cause: error });
  }
}

export interface Downloads {
  files: OutputFile[];
  links: DownloadView[];
}

/** The other formats of one advisory, as site files and as the page's links to them. */
export function downloadsFor(advisory: Advisory, context: RenderContext): Downloads {
  const files: OutputFile[] = [];
  const links: DownloadView[] = [];
  for (const source of sources) {
    const outputs = [...(context.noteOutputs?.get(source.renderer.name) ?? renderOther(source.renderer, advisory, context))].sort((a, b) => (a.path < b.path ? -1 : 1));
    const inSite = (output: OutputFile) => output.path.startsWith(`${siteRoot}/`);
    const linked = outputs.filter((output) => !companions.has(extensionOf(output.path)));
    for (const output of outputs) {
      if (!inSite(output)) files.push({ path: `${siteRoot}/downloads/${output.path}`, contents: output.contents });
    }
    for (const output of linked) {
      const sitePath = inSite(output) ? output.path.slice(siteRoot.length + 1) : `downloads/${output.path}`;
      const name = output.path.slice(output.path.lastIndexOf('/') + 1);
      links.push({ href: href(context, sitePath), label: labelFor(source, name, linked.length > 1), name });
    }
  }
  return { files, links };
}
