/**
 * After rehype-sanitize: a link to `#x` points at `#user-content-x` when the
 * sanitizer gave that id to an element of the same tree (a footnote, its
 * reference, an anchor in raw HTML). Other fragment links are left as
 * written: they may name an id of the page around the note.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { defaultSchema } from 'rehype-sanitize';
import { fragmentOf, headingIdPrefix } from './heading-ids.ts';

/** What the sanitizer puts before every id from a note. */
export const sanitizedIdPrefix = defaultSchema.clobberPrefix ?? 'user-content-';

export function fragmentLinks() {
  return (tree: Root): void => {
    const ids = new Set<string>();
    const links: Element[] = [];
    visit(tree, 'element', (node: Element) => {
      if (typeof node.properties.id === 'string') ids.add(node.properties.id);
      if (node.tagName === 'a' && typeof node.properties.href === 'string' && node.properties.href.startsWith('#')) links.push(node);
    });
    for (const link of links) {
      const target = fragmentOf(link.properties.href as string)!;
      // A link to a heading (`heading-ids.ts`) already names its id, which no element of the note can take.
      if (target.startsWith(headingIdPrefix) || target.startsWith(sanitizedIdPrefix)) continue;
      if (ids.has(sanitizedIdPrefix + target)) link.properties.href = `#${sanitizedIdPrefix}${target}`;
    }
  };
}
