/** Rules on URLs: https only, no script/data URLs, self-references that point elsewhere. */
import type { Definition, Link } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { hasPlaceholderId, type Position } from '../../model/types.ts';
import type { FieldRef, NoteRule } from '../rule.ts';

const unsafeScheme = /^\s*(javascript|data|vbscript|file):/i;
const httpScheme = /^\s*http:/i;

function classify(url: string): 'ok' | 'http' | 'unsafe' {
  if (unsafeScheme.test(url)) return 'unsafe';
  if (httpScheme.test(url)) return 'http';
  return 'ok';
}

export const urlsSafe: NoteRule = ({ advisory, config, field, report, bodyNodes }) => {
  advisory.references.forEach((reference, index) => {
    const kind = classify(reference.url);
    if (kind === 'unsafe') report('url-unsafe', `Reference URL "${reference.url}" uses a forbidden scheme`, field(['references', index]));
    else if (kind === 'http') report('url-not-https', `Reference URL "${reference.url}" is not https`, field(['references', index]), `Use ${reference.url.replace(httpScheme, 'https:')}`);
    else if (!/^https:\/\//i.test(reference.url)) report('url-not-https', `Reference "${reference.url}" is not an https:// URL`, field(['references', index]));
  });
  for (const link of bodyNodes().urls) {
    const kind = classify(link.url);
    if (kind === 'unsafe') report('url-unsafe', `Link "${link.url.slice(0, 60)}" uses a forbidden scheme`, link.at);
    else if (kind === 'http') report('url-not-https', `Link "${link.written ?? link.url}" is not https`, link.at, `Use ${link.url.replace(httpScheme, 'https:')}`);
    // Links to other notes' files were given their pages' URLs when the note was read.
    else if (link.image && isRelative(link.url)) {
      report('image-relative', `Image "${link.url.slice(0, 60)}" is relative: herald publishes no file beside a note, so the page and the wiki would show it broken (the mail and the feeds show it as its alt text)`, link.at, imageHint(config.site.base_url));
    } else if (link.image && !sameHost(link.url, config.site.base_url)) {
      report('image-external', `Image "${link.url.slice(0, 60)}" is on another host: the site's Content-Security-Policy (img-src 'self') does not load it, so the page would show it broken`, link.at, imageHint(config.site.base_url));
    } else if (link.node && isRelative(link.url)) report('link-relative', `Link "${link.url.slice(0, 60)}" is relative: an email cannot follow it (the site and the wiki read it from the advisory's page)`, link.at);
    else if (!link.image && isRelative(link.url)) {
      // Raw HTML's: herald leads a Markdown link to another note's file to that note's page, but reads no HTML attribute as one.
      report('link-relative', `Link "${link.url.slice(0, 60)}" in raw HTML is relative: an email cannot follow it, and herald does not lead it to a note's page as it does a Markdown link`, link.at, `Write it as a Markdown link, [text](${link.url.slice(0, 60)}) (herald leads a link to another note's file to that note's page), or write its full URL.`);
    }
  }
};

function imageHint(baseUrl: string): string {
  return `Link to the image instead of showing it ([what it shows](https://…)), or serve it from ${new URL(baseUrl).host} and write its full URL.`;
}

/** Whether an absolute URL is on the site's own host (what its Content-Security-Policy lets images load from). */
function sameHost(url: string, baseUrl: string): boolean {
  try {
    return new URL(url.trim()).host === new URL(baseUrl).host;
  } catch {
    return false;
  }
}

/** A URL without a scheme that is not a fragment of the same page (`#update-1`). */
function isRelative(url: string): boolean {
  const trimmed = url.trim();
  return trimmed !== '' && !trimmed.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(trimmed);
}

/** The prefix's id pattern, compiled once per prefix rather than once per note. */
const idPatterns = new Map<string, RegExp>();

function idPattern(prefix: string): RegExp {
  let pattern = idPatterns.get(prefix);
  if (!pattern) {
    pattern = new RegExp(`\\b${prefix}-\\d{4,}\\b`, 'g');
    idPatterns.set(prefix, pattern);
  }
  return pattern;
}

/** A link whose text names this advisory must not point at another advisory's URL. */
export const selfReference: NoteRule = ({ advisory, config, field, report, bodyNodes }) => {
  if (advisory.kind !== 'note' || hasPlaceholderId(advisory)) return;
  const ids = idPattern(config.ids.prefix);
  // The URL first: most name no advisory, and then the link's text is never read.
  const check = (url: string, text: () => string, at: Position | FieldRef) => {
    if (url.includes(advisory.id)) return;
    const others = [...url.matchAll(ids)].map((m) => m[0]).filter((id) => id !== advisory.id);
    if (others.length > 0 && text().includes(advisory.id)) {
      report('link-self-reference', `Link to ${advisory.id} points at ${others[0]} (${url})`, at, `Point the link at ${advisory.id}'s own page.`);
    }
  };
  for (const link of bodyNodes().urls) check(link.url, () => linkText(link.node), link.at);
  advisory.references.forEach((reference, index) => check(reference.url, () => reference.title ?? '', field(['references', index])));
};

/** What a link says: a link's text, a definition's label, nothing for raw HTML. */
function linkText(node: Link | Definition | undefined): string {
  if (!node) return '';
  return node.type === 'link' ? toString(node) : (node.label ?? '');
}
