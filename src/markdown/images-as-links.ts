/**
 * Images as links, for HTML read away from the site (the mail's HTML part,
 * feed entries). A mail client or feed reader that shows an image fetches
 * it as the message opens, telling the image's host who read the advisory,
 * and when: a tracking pixel. There each image becomes a link to it,
 * named by its alt text (the mail's text part gives the same link).
 * The site itself keeps images: its Content-Security-Policy loads them
 * from its own host only (`image-external` warns of the others).
 */
import type { Element, Root as HastRoot } from 'hast';
import type { Image, ImageReference, Link, LinkReference, Nodes } from 'mdast';
import { visit } from 'unist-util-visit';

/** The link's text: the alt text, or the URL when there is none. */
function linkText(alt: string | null | undefined, url: string): string {
  const text = alt?.trim();
  return text ? text : url;
}

function asLink(node: Image): Link {
  return { type: 'link', url: node.url, title: node.title, children: [{ type: 'text', value: linkText(node.alt, node.url) }], position: node.position };
}

function asLinkReference(node: ImageReference): LinkReference {
  const { identifier, label, referenceType, position } = node;
  return { type: 'linkReference', identifier, label, referenceType, children: [{ type: 'text', value: linkText(node.alt, label ?? identifier) }], position };
}

/**
 * The nodes with every Markdown image (`![alt](url)`, `![alt][ref]`) as a
 * link; copied only along the paths that hold one, so a note without
 * images costs a walk and nothing else.
 */
export function imagesAsLinks<T extends Nodes>(nodes: readonly T[]): T[] {
  let changed = false;
  const out = nodes.map((node): T => {
    if (node.type === 'image') {
      changed = true;
      return asLink(node) as unknown as T;
    }
    if (node.type === 'imageReference') {
      changed = true;
      return asLinkReference(node) as unknown as T;
    }
    if ('children' in node) {
      const children = imagesAsLinks<Nodes>(node.children as Nodes[]);
      if (children !== (node.children as Nodes[])) {
        changed = true;
        return { ...node, children } as T;
      }
    }
    return node;
  });
  return changed ? out : (nodes as T[]);
}

/**
 * The same for raw HTML, on the sanitized tree, in place: each `<img>`
 * with a source becomes `<a href>` named by its alt text; one without (the
 * sanitizer dropped an unsafe source) becomes its alt text, as a Markdown
 * image whose source was dropped does, and as the mail's text part says
 * it (`[image: alt]`); without alt text it is removed.
 */
export function imgAsLinks(tree: HastRoot): HastRoot {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'img' || !parent || index === undefined) return undefined;
    const src = node.properties.src;
    const alt = typeof node.properties.alt === 'string' ? node.properties.alt : undefined;
    if (typeof src !== 'string' || src === '') {
      const text = alt?.trim();
      if (text) parent.children[index] = { type: 'text', value: text };
      else parent.children.splice(index, 1);
      return text ? undefined : index;
    }
    const properties: Element['properties'] = { href: src };
    if (typeof node.properties.title === 'string') properties.title = node.properties.title;
    parent.children[index] = { type: 'element', tagName: 'a', properties, children: [{ type: 'text', value: linkText(alt, src) }] };
    return undefined;
  });
  return tree;
}
