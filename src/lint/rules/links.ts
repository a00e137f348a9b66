/** Rules on URLs: https only, no script/data URLs, self-references that point elsewhere. */
import type { Link, Definition, Html } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visitParents } from 'unist-util-visit-parents';
import type { Position } from '../../model/types.ts';
import type { NoteRule } from '../rule.ts';

const unsafeScheme = /^\s*(javascript|data|vbscript|file):/i;

function classify(url: string): 'ok' | 'http' | 'unsafe' {
  if (unsafeScheme.test(url)) return 'unsafe';
  if (/^\s*http:/i.test(url)) return 'http';
  return 'ok';
}

interface FoundLink {
  url: string;
  text: string;
  at: Position;
}

function bodyLinks(root: import('mdast').Root): FoundLink[] {
  const found: FoundLink[] = [];
  visitParents(root, (node, ancestors) => {
    // Links found in text after the parse (bare URLs) carry no position: use the nearest ancestor's.
    const placed = [node, ...ancestors.slice().reverse()].find((n) => n.position)?.position;
    const at = { line: placed?.start.line ?? 1, column: placed?.start.column ?? 1 };
    if (node.type === 'link' || node.type === 'definition') {
      const link = node as Link | Definition;
      found.push({ url: link.url, text: node.type === 'link' ? toString(node) : (link as Definition).label ?? '', at });
    } else if (node.type === 'html') {
      for (const match of (node as Html).value.matchAll(/\b(?:href|src|action|formaction)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
        found.push({ url: match[2] ?? match[3] ?? match[4] ?? '', text: '', at });
      }
    }
  });
  return found;
}

export const urlsSafe: NoteRule = ({ advisory, field, report }) => {
  advisory.references.forEach((reference, index) => {
    const kind = classify(reference.url);
    if (kind === 'unsafe') report('url-unsafe', `Reference URL "${reference.url}" uses a forbidden scheme`, field(['references', index]));
    else if (kind === 'http') report('url-not-https', `Reference URL "${reference.url}" is not https`, field(['references', index]), `Use ${reference.url.replace(/^\s*http:/i, 'https:')}`);
    else if (!/^https:\/\//i.test(reference.url)) report('url-not-https', `Reference "${reference.url}" is not an https:// URL`, field(['references', index]));
  });
  for (const link of bodyLinks(advisory.body)) {
    const kind = classify(link.url);
    if (kind === 'unsafe') report('url-unsafe', `Link "${link.url.slice(0, 60)}" uses a forbidden scheme`, link.at);
    else if (kind === 'http') report('url-not-https', `Link "${link.url}" is not https`, link.at, `Use ${link.url.replace(/^\s*http:/i, 'https:')}`);
  }
};

/** A link whose text names this advisory must not point at another advisory's URL. */
export const selfReference: NoteRule = ({ advisory, config, field, report }) => {
  if (advisory.kind !== 'note' || advisory.id.endsWith('-XXXX')) return;
  const idPattern = new RegExp(`\\b${config.ids.prefix}-\\d{4,}\\b`, 'g');
  const check = (text: string, url: string, at: Position) => {
    if (!text.includes(advisory.id)) return;
    const others = [...url.matchAll(idPattern)].map((m) => m[0]).filter((id) => id !== advisory.id);
    if (others.length > 0 && !url.includes(advisory.id)) {
      report('link-self-reference', `Link to ${advisory.id} points at ${others[0]} (${url})`, at, `Point the link at ${advisory.id}'s own page.`);
    }
  };
  for (const link of bodyLinks(advisory.body)) check(link.text, link.url, link.at);
  advisory.references.forEach((reference, index) => check(reference.title ?? '', reference.url, field(['references', index])));
};
