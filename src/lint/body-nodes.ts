/**
 * The body nodes that lint rules look at, found in one walk of the tree for
 * all of them (see `RuleContext.bodyNodes`): the link, code and footnote
 * rules would otherwise each walk every node of every note.
 */
import type { Code, Definition, FootnoteDefinition, Html, Image, Link, Nodes, Root } from 'mdast';
import type { Position } from '../model/types.ts';

/** A URL in the body: a link, a definition, an image, or an attribute of raw HTML. */
export interface BodyUrl {
  url: string;
  /** The link or definition it comes from (none for an image or HTML). */
  node?: Link | Definition;
  /** An image's source (`![alt](src)`, or `src` in raw HTML). */
  image?: true;
  at: Position;
}

export interface BodyNodes {
  /** In document order. */
  urls: BodyUrl[];
  /** Code blocks, in document order. */
  codes: Code[];
  /** Footnote definitions, in document order. */
  footnotes: FootnoteDefinition[];
  /** The identifiers footnote references name. */
  footnotesReferenced: Set<string>;
}

const htmlUrlAttribute = /\b(href|src|action|formaction)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;

type Placed = NonNullable<Nodes['position']> | undefined;

/** Walks the tree in document order, without recursion (inline nesting may be deep). */
export function collectBodyNodes(root: Root): BodyNodes {
  const urls: BodyUrl[] = [];
  const codes: Code[] = [];
  const footnotes: FootnoteDefinition[] = [];
  const footnotesReferenced = new Set<string>();
  const stack: [Nodes, Placed][] = [[root, root.position]];
  while (stack.length > 0) {
    const [node, inherited] = stack.pop()!;
    // Links found in text after the parse (bare URLs) carry no position: use the nearest ancestor's.
    const placed = node.position ?? inherited;
    if (node.type === 'link' || node.type === 'definition') {
      urls.push({ url: node.url, node, at: startOf(placed) });
    } else if (node.type === 'image') {
      urls.push({ url: (node as Image).url, image: true, at: startOf(placed) });
    } else if (node.type === 'html') {
      for (const match of (node as Html).value.matchAll(htmlUrlAttribute)) {
        urls.push({ url: match[3] ?? match[4] ?? match[5] ?? '', ...(match[1]!.toLowerCase() === 'src' ? { image: true as const } : {}), at: startOf(placed) });
      }
    } else if (node.type === 'code') codes.push(node);
    else if (node.type === 'footnoteDefinition') footnotes.push(node);
    else if (node.type === 'footnoteReference') footnotesReferenced.add(node.identifier);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, placed]);
  }
  return { urls, codes, footnotes, footnotesReferenced };
}

/** Where a body node starts (body positions are the file's; 1:1 when it has none). */
export function startOf(placed: Placed): Position {
  return { line: placed?.start.line ?? 1, column: placed?.start.column ?? 1 };
}
