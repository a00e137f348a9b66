/**
 * What a note's tree says a page must show, for read-back tests against
 * pandoc's and MediaWiki's HTML: its headings, list items, code lines and
 * link targets. Read from the tree the compiler sees (raw HTML resolved).
 */
import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { resolveLinkTarget } from '../../../src/render/wiki/link-target.ts';
import { withoutRawHtml } from '../../../src/render/wiki/raw-html.ts';

export interface Expected {
  headings: string[];
  listItems: number;
  codeLines: string[];
  /** External link targets. */
  links: string[];
  /** Wiki pages linked instead: other advisories' pages, as `wikiPageOf` names them. */
  pages: string[];
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

export function expectedFrom(body: Root, baseUrl: string, wikiPageOf: (url: string) => string | undefined = () => undefined): Expected {
  const expected: Expected = { headings: [], listItems: 0, codeLines: [], links: [], pages: [] };
  const visit = (node: Nodes) => {
    if (node.type === 'heading') expected.headings.push(collapse(toString(node)));
    if (node.type === 'listItem') expected.listItems += 1;
    if (node.type === 'code') expected.codeLines.push(...node.value.split('\n').map((line) => line.trim()).filter(Boolean));
    if (node.type === 'link') {
      const target = resolveLinkTarget(node.url, baseUrl);
      const page = target && wikiPageOf(target);
      // The page, without the anchor a link to a heading of it names.
      if (page) expected.pages.push(page.replace(/#.*/, ''));
      else if (target) expected.links.push(target);
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(withoutRawHtml(body));
  return expected;
}

export function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of an HTML fragment: tags removed, entities decoded. */
export function htmlText(html: string): string {
  return decodeHtml(html.replace(/<[^>]*>/g, ''));
}

/** The inner HTML of every element `tag` (no nesting of the same tag assumed). */
export function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'gi'))].map((m) => m[1]!);
}

export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/gi)].map((m) => decodeHtml(m[1]!));
}

/** Compares link targets the way a browser does: percent-encoding of a character means the character. */
export function sameTarget(a: string, b: string): boolean {
  const normalize = (url: string) => {
    try {
      return decodeURI(new URL(url).href);
    } catch {
      return url;
    }
  };
  return normalize(a) === normalize(b);
}

/** Wiki structure that hostile text must never become, as literal text that must be shown instead. */
export const hostileLiterals = ['[[Category:Pwned]]', '{{Template:Evil}}', '~~~~', '__NOTOC__', '<nowiki>', '{{subst:CURRENTYEAR}}', "''not italic''"];
