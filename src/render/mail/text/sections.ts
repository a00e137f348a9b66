/**
 * The note's body cut into its sections, each laid out as text. A section
 * runs from its heading to the next heading of the same or a shallower
 * depth, as `src/model/body.ts` reads it.
 */
import type { Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { mdastToSafeHast } from '../../../markdown/html.ts';
import { canonicalSectionFor, sectionDepth } from '../../../model/body.ts';
import { hastToLines } from './hast-text.ts';
import { canLayOutDirectly, mdastToLines } from './mdast-text.ts';

/** One section of a note's body, as written. */
export interface BodySection {
  /** The canonical name when the heading is a known one, else the heading as written. */
  name: string;
  /** The heading that opens it (none for the content before the first). */
  heading?: Heading;
  nodes: RootContent[];
}

/** Sections of the body; content before the first heading is a section named ''. */
export function splitSections(body: Root): BodySection[] {
  const depth = sectionDepth(body);
  const sections: BodySection[] = [];
  for (const node of body.children) {
    if (node.type === 'heading' && node.depth === depth) {
      const heading = toString(node).trim();
      sections.push({ name: canonicalSectionFor(heading) ?? heading, heading: node, nodes: [] });
    } else {
      if (sections.length === 0) sections.push({ name: '', nodes: [] });
      sections.at(-1)!.nodes.push(node);
    }
  }
  return sections;
}

/**
 * Markdown (with any raw HTML, sanitized) laid out as mail text. Plain
 * Markdown, the usual case, is laid out directly; the rest goes through
 * the sanitizing HTML pipeline, which gives the same lines, only slower.
 */
export function markdownLines(nodes: readonly RootContent[], width: number): string[] {
  return canLayOutDirectly(nodes) ? mdastToLines(nodes, width) : sanitizedLines(nodes, width);
}

/** The reference layout: the sanitized HTML of the nodes, laid out. */
export function sanitizedLines(nodes: readonly RootContent[], width: number): string[] {
  return hastToLines(mdastToSafeHast(nodes), width);
}
