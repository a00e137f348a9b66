/**
 * A note's footnotes as endnotes, for the outputs that show them as text
 * (the mail, the wiki page): each reference becomes `[n]` (text, or for
 * the wiki a footnote reference labelled `n`, which it sets as a superscript), numbered in
 * the order the body first refers to them (as the page numbers them), and
 * the definitions, wherever the note wrote them, leave the body to be
 * listed once after it. Laid out section by section, the footnotes would
 * otherwise land inside the section that holds their definitions,
 * numbered again from 1 in every section. A definition no reference names
 * is left out, as on the page (lint's `footnote-unused`).
 */
import type { FootnoteDefinition, FootnoteReference, List, ListItem, Nodes, Root, RootContent, Text } from 'mdast';

export interface Endnotes {
  /** The body without footnote definitions, its references numbered. */
  body: Root;
  /** The footnotes as an ordered list, or none when the body refers to none. */
  notes: RootContent[];
}

/** How a numbered reference reads: `[n]` as text, or a footnote reference whose label is the number. */
export type EndnoteMark = 'text' | 'reference';

export function endnotes(body: Root, mark: EndnoteMark = 'text'): Endnotes {
  const definitions = new Map<string, FootnoteDefinition>();
  collectDefinitions(body, definitions);
  if (definitions.size === 0) return { body, notes: [] };
  const numbers = new Map<string, number>();
  const order: FootnoteDefinition[] = [];
  const numbered = <T extends Nodes>(node: T): T => rewrite(node, { definitions, numbers, order, mark });
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

interface Numbering {
  definitions: ReadonlyMap<string, FootnoteDefinition>;
  numbers: Map<string, number>;
  order: FootnoteDefinition[];
  mark: EndnoteMark;
}

function marked(reference: FootnoteReference, number: number | undefined, mark: EndnoteMark): Text | FootnoteReference {
  const position = reference.position ? { position: reference.position } : {};
  if (number === undefined) return { type: 'text', value: `[^${reference.label ?? reference.identifier}]`, ...position };
  if (mark === 'reference') return { type: 'footnoteReference', identifier: String(number), label: String(number), ...position };
  return { type: 'text', value: `[${number}]`, ...position };
}

/** Copy-on-write: the advisory's own tree, shared by every renderer, is never modified. */
function rewrite<T extends Nodes>(node: T, numbering: Numbering): T {
  if (!('children' in node)) return node;
  const { definitions, numbers, order, mark } = numbering;
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
      children.push(marked(child, number, mark));
      changed = true;
      continue;
    }
    const rewritten = rewrite(child, numbering);
    if (rewritten !== child) changed = true;
    children.push(rewritten);
  }
  return changed ? { ...node, children } : node;
}
