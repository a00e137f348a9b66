/**
 * The body nodes that lint rules look at, found in one walk of the tree for
 * all of them (see `RuleContext.bodyNodes`): the link, code and footnote
 * rules would otherwise each walk every node of every note.
 */
import type { Code, Definition, FootnoteDefinition, Heading, Html, Image, Link, Nodes, Paragraph, Root, TableCell } from 'mdast';
import type { Position } from '../model/types.ts';

/** A URL in the body: a link, a definition, an image, or an attribute of raw HTML. */
export interface BodyUrl {
  url: string;
  /** A bare URL as the note wrote it (`www.example.org`), when the link was made from text after the parse. */
  written?: string;
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
  /** The nodes that hold phrasing (paragraphs, headings, table cells), in document order. */
  phrasing: (Paragraph | Heading | TableCell)[];
}

const htmlUrlAttribute = /\b(href|src|action|formaction)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const htmlTag = /<([a-z][a-z0-9-]*)\b[^>]*>/gi;

/** A node's position, or its nearest positioned ancestor's: nodes made after the parse (bare URLs, the text around them) have none. */
export type Placed = NonNullable<Nodes['position']> | undefined;

/** Visits every node in document order with its `Placed`, without recursion (inline nesting may be deep). */
export function walkPlaced(root: Nodes, visit: (node: Nodes, placed: Placed) => void): void {
  const stack: [Nodes, Placed][] = [[root, root.position]];
  while (stack.length > 0) {
    const [node, inherited] = stack.pop()!;
    const placed = node.position ?? inherited;
    visit(node, placed);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, placed]);
  }
}

/**
 * The body's links, code, footnotes and phrasing, in document order. `source`, the
 * note's text, places the links made from bare URLs after the parse, which
 * carry no position of their own.
 */
export function collectBodyNodes(root: Root, source?: string): BodyNodes {
  const urls: BodyUrl[] = [];
  const codes: Code[] = [];
  const footnotes: FootnoteDefinition[] = [];
  const footnotesReferenced = new Set<string>();
  const phrasing: BodyNodes['phrasing'] = [];
  // Bare URLs met so far in each positioned ancestor, by text: the n-th is looked for past the (n-1)-th.
  const seen = new Map<Placed, Map<string, number>>();
  walkPlaced(root, (node, placed) => {
    if (node.type === 'link' && !node.position) {
      const written = node.children.length === 1 && node.children[0]!.type === 'text' ? node.children[0]!.value : node.url;
      const counts = seen.get(placed) ?? new Map<string, number>();
      seen.set(placed, counts);
      const occurrence = counts.get(written) ?? 0;
      counts.set(written, occurrence + 1);
      urls.push({ url: node.url, written, node, at: source === undefined ? startOf(placed) : placeInSource(source, placed, written, occurrence) });
    } else if (node.type === 'link' || node.type === 'definition') {
      urls.push({ url: node.url, node, at: startOf(placed) });
    } else if (node.type === 'image') {
      urls.push({ url: (node as Image).url, image: true, at: startOf(placed) });
    } else if (node.type === 'html') {
      for (const tag of (node as Html).value.matchAll(htmlTag)) {
        // Only an <img>'s src is an image: an <iframe>'s or a <script>'s is a URL like a link's.
        const image = tag[1]!.toLowerCase() === 'img';
        for (const match of tag[0].matchAll(htmlUrlAttribute)) {
          urls.push({ url: match[3] ?? match[4] ?? match[5] ?? '', ...(image && match[1]!.toLowerCase() === 'src' ? { image: true as const } : {}), at: startOf(placed) });
        }
      }
    } else if (node.type === 'code') codes.push(node);
    else if (node.type === 'footnoteDefinition') footnotes.push(node);
    else if (node.type === 'footnoteReference') footnotesReferenced.add(node.identifier);
    else if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') phrasing.push(node);
  });
  return { urls, codes, footnotes, footnotesReferenced, phrasing };
}

/** Where a body node starts (body positions are the file's; 1:1 when it has none). */
export function startOf(placed: Placed): Position {
  return { line: placed?.start.line ?? 1, column: placed?.start.column ?? 1 };
}

/**
 * Where the `occurrence`-th (from 0) `literal` inside a positioned node's
 * source is: for text the parse split or made after it (bare URLs, a
 * bracketed number in a text node), whose own position is not known.
 * The node's start when the source does not hold it there (escapes and
 * character references make the text differ from the source).
 */
export function placeInSource(source: string, placed: Placed, literal: string, occurrence = 0): Position {
  const start = placed?.start;
  const end = placed?.end;
  if (start?.offset === undefined || end?.offset === undefined || literal === '') return startOf(placed);
  let at = source.indexOf(literal, start.offset);
  for (let seen = 0; at !== -1 && seen < occurrence; seen++) at = source.indexOf(literal, at + 1);
  if (at === -1 || at >= end.offset) return startOf(placed);
  return positionAt(source, start as PlacedStart, at);
}

type PlacedStart = NonNullable<Placed>['start'] & { offset: number };

/** The line and column of `offset` in the note, at or after `start` (a node's, with its offset). */
export function positionAt(source: string, start: PlacedStart, offset: number): Position {
  let line = start.line;
  let lineStart = start.offset - (start.column - 1);
  for (let nl = source.indexOf('\n', start.offset); nl !== -1 && nl < offset; nl = source.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
