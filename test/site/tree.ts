/**
 * Small queries over parsed HTML (hast), so tests assert on the document
 * a browser would build, not on strings.
 */
import type { Element, Nodes, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

export function parseHtml(html: string): Root {
  return fromHtml(html);
}

export function parseFragment(html: string): Root {
  return fromHtml(html, { fragment: true });
}

export function elements(tree: Nodes, predicate: (element: Element) => boolean = () => true): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (predicate(node)) found.push(node);
  });
  return found;
}

export const byTag = (tagName: string) => (element: Element) => element.tagName === tagName;

export function hasClass(element: Element, name: string): boolean {
  const classes = element.properties.className;
  return Array.isArray(classes) && classes.includes(name);
}

export const byClass = (name: string) => (element: Element) => hasClass(element, name);

export function byId(tree: Nodes, id: string): Element | undefined {
  return elements(tree, (element) => element.properties.id === id)[0];
}

export function one(tree: Nodes, predicate: (element: Element) => boolean, what: string): Element {
  const found = elements(tree, predicate);
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}`);
  return found[0]!;
}

/** Text content with whitespace collapsed. */
export function text(node: Nodes): string {
  const parts: string[] = [];
  visit(node, 'text', (child: { value: string }) => {
    parts.push(child.value);
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

export function attribute(element: Element, name: string): string | undefined {
  const value = element.properties[name];
  if (value === undefined || value === null || value === false) return undefined;
  return Array.isArray(value) ? value.join(' ') : String(value);
}
