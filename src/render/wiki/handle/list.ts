import type { List, ListItem } from 'mdast';
import type { Handle, ListForm } from '../compile.ts';

/**
 * Wikitext list lines (`#`, `*`, `#*`) hold one line of text each. An item
 * with more (a second paragraph, code, a quote, a table) is written as an
 * HTML list instead, which MediaWiki and pandoc both read with block
 * content inside items; so is an ordered list that does not start at 1.
 */
function fitsOnListLines(list: List): boolean {
  if (list.ordered && list.start !== null && list.start !== undefined && list.start !== 1) return false;
  return list.children.every((item: ListItem) => {
    const [first, ...rest] = item.children;
    if (first && first.type !== 'paragraph') return false;
    return rest.every((child) => child.type === 'list' && fitsOnListLines(child));
  });
}

export const list: Handle<List> = (node, state) => {
  const outer = state.list;
  const marker = node.ordered ? '#' : '*';
  const form: ListForm =
    outer?.form === 'wiki' ? { form: 'wiki', prefix: outer.prefix + marker } : fitsOnListLines(node) ? { form: 'wiki', prefix: marker } : { form: 'html' };
  state.list = form;
  try {
    const items = node.children.map((item) => state.handle(item, node));
    if (form.form === 'wiki') return items.join('\n');
    const tag = node.ordered ? 'ol' : 'ul';
    const start = node.ordered && node.start !== null && node.start !== undefined && node.start !== 1 ? ` start="${node.start}"` : '';
    return `<${tag}${start}>\n${items.join('\n')}\n</${tag}>`;
  } finally {
    state.list = outer;
  }
};
