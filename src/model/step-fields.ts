/**
 * A step's field lines (`Role:`, `Kind:`, `Verify:`, `Rollback:`) are
 * written one per line, but in Markdown a line ending inside a paragraph is
 * a soft break: a page or a wiki shows "Role: compute nodes Kind: configure
 * Verify: libvirt-tls Rollback: …" as one run of text. The renderers of the
 * body (the site, the wiki, the mail) read it through `presentedBody`
 * (file-labels.ts), which applies `withStepFieldBreaks`: the line ending
 * before each field line of "Recommended Actions" becomes a hard break.
 *
 * Pure: a new tree where something changed (the advisory's own tree, shared
 * by every renderer, is never modified), the same tree otherwise.
 */
import type { Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { sectionContent, stepFieldNames } from './body.ts';
import { mapParagraphs } from './map-paragraphs.ts';

/** A line ending, then a field line, as the step parser reads one. */
const beforeFieldLine = new RegExp(`\\n(?=[ \\t]*(?:${stepFieldNames}):)`, 'i');

export function withStepFieldBreaks(root: Root): Root {
  const section = sectionContent(root, 'Recommended Actions');
  if (!section || section.nodes.length === 0) return root;
  const inSection = new Set<RootContent>(section.nodes);
  let changed = false;
  const children = root.children.map((node) => {
    if (!inSection.has(node)) return node;
    const rewritten = mapParagraphs(node, breakFieldLines);
    if (rewritten !== node) changed = true;
    return rewritten;
  });
  return changed ? { ...root, children } : root;
}

function breakFieldLines(paragraph: Paragraph): Paragraph {
  let changed = false;
  const children: PhrasingContent[] = [];
  for (const child of paragraph.children) {
    const lines = child.type === 'text' ? child.value.split(beforeFieldLine) : [];
    if (lines.length < 2) {
      children.push(child);
      continue;
    }
    changed = true;
    lines.forEach((value, index) => {
      if (index > 0) children.push({ type: 'break' });
      if (value !== '') children.push({ type: 'text', value });
    });
  }
  return changed ? { ...paragraph, children } : paragraph;
}
