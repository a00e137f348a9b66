/**
 * A note's footnotes in its mail: each reference becomes `[n]`, numbered
 * in the order the body first refers to them (as the page numbers them),
 * and the definitions, wherever the note wrote them, leave the body to be
 * listed once at the end of the mail. Laid out section by section, the
 * footnotes would otherwise land inside the section that holds their
 * definitions, numbered again from 1 in every section. A definition no
 * reference names is left out, as on the page (lint's `footnote-unused`).
 */
import type { FootnoteDefinition, List, ListItem, Nodes, Root, RootContent } from 'mdast';

export interface MailFootnotes {
  /** The body without footnote definitions, its references as `[n]`. */
  body: Root;
  /** The footnotes as an ordered list, or none when the body refers to none. */
  notes: RootContent[];
}

export function mailFootnotes(body: Root): MailFootnotes {
  const definitions = new Map<string, FootnoteDefinition>();
  collectDefinitions(body, definitions);
  if (definitions.size === 0) return { body, notes: [] };
  const numbers = new Map<string, number>();
  const order: FootnoteDefinition[] = [];
  const numbered = <T extends Nodes>(node: T): T => rewrite(node, definitions, numbers, order);
  const text = numbered(body);
  const items: ListItem[] = [];
  // A footnote may refer to another: its number comes as its reference is met.
  for (let i = 0; i < order.length; i++) items.push({ type: 'listItem', spread: false, children: numbered(order[i]!).children });
  const list: List = { type: 'list', ordered: true, start: 1, spread: false, children: items };
  return { body: text, notes: items.length > 0 ? [list] : [] };
}

function collectDefinitions(node: Nodes, into: Map<string, FootnoteDefinition>): void {
  if (node.type === 'footnoteDefinition' && !into.has(node.identifier)) into.set(node.identifier, node);
  if ('children' in node) for (const child of node.children) collectDefinitions(child, into);
}

/** Copy-on-write: the advisory's own tree, shared by every renderer, is never modified. */
function rewrite<T extends Nodes>(node: T, definitions: ReadonlyMap<string, FootnoteDefinition>, numbers: Map<string, number>, order: FootnoteDefinition[]): T {
  if (!('children' in node)) return node;
  let changed = false;
  const children: Nodes[] = [];
  for (const child of node.children as Nodes[]) {
    if (child.type === 'footnoteDefinition') {
      changed = true;
      continue;
    }
    if (child.type === 'footnoteReference') {
      const definition = definitions.get(child.identifier);
      let number = numbers.get(child.identifier);
      if (definition && number === undefined) {
        order.push(definition);
        numbers.set(child.identifier, (number = order.length));
      }
      children.push({ type: 'text', value: number === undefined ? `[^${child.label ?? child.identifier}]` : `[${number}]`, ...(child.position ? { position: child.position } : {}) });
      changed = true;
      continue;
    }
    const rewritten = rewrite(child, definitions, numbers, order);
    if (rewritten !== child) changed = true;
    children.push(rewritten);
  }
  return changed ? { ...node, children } : node;
}
