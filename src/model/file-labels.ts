/**
 * A fenced block with `file=` (```` ```ini file=/etc/nova/nova.conf ````)
 * is an edit to that file; the info string is not shown, so the renderers
 * of the body read it through `withFileLabels`, which puts a paragraph
 * "In `/etc/nova/nova.conf`:" before each such block, wherever it is
 * (a step, a list item, a quote).
 *
 * Pure: a new tree where something changed, the same tree otherwise (the
 * advisory's own tree, shared by every renderer, is never modified).
 */
import type { Paragraph, Parent, Root } from 'mdast';
import { fileOfCode } from './body.ts';
import { withStepFieldBreaks } from './step-fields.ts';

function withFileLabels<T extends Parent>(node: T): T {
  let changed = false;
  const children: Parent['children'] = [];
  for (const child of node.children) {
    if (child.type === 'code') {
      const file = fileOfCode(child);
      if (file !== undefined) {
        children.push(fileLabel(file));
        changed = true;
      }
      children.push(child);
    } else if (child.type === 'blockquote' || child.type === 'list' || child.type === 'listItem' || child.type === 'footnoteDefinition') {
      const rewritten = withFileLabels(child);
      if (rewritten !== child) changed = true;
      children.push(rewritten);
    } else children.push(child);
  }
  return changed ? ({ ...node, children } as T) : node;
}

function fileLabel(file: string): Paragraph {
  return { type: 'paragraph', children: [{ type: 'text', value: 'In ' }, { type: 'inlineCode', value: file }, { type: 'text', value: ':' }] };
}

/**
 * The body as the site, the wiki and the mail show it: file labels before
 * config edits, each step field on a line of its own (`step-fields.ts`).
 */
export function presentedBody(root: Root): Root {
  return withFileLabels(withStepFieldBreaks(root));
}
