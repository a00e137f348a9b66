import type { ListItem } from 'mdast';
import type { Handle } from '../compile.ts';

function checkbox(item: ListItem): string {
  if (item.checked === true) return '☑ ';
  if (item.checked === false) return '☐ ';
  return '';
}

/** One item, as a list line (with nested lists on the lines below) or as `<li>`. */
export const listItem: Handle<ListItem> = (node, state) => {
  const form = state.list;
  if (form?.form === 'wiki') {
    const [first, ...nested] = node.children;
    const line = `${form.prefix} ${checkbox(node)}${first ? state.handle(first, node) : ''}`.trimEnd();
    // Nested lists start a fresh list context from this item's prefix.
    return [line, ...nested.map((child) => state.handle(child, node))].join('\n');
  }
  const outer = state.list;
  // Lists inside an HTML item start over: wikitext lines inside `<li>` are read on their own.
  state.list = undefined;
  try {
    return `<li>${checkbox(node)}${state.flow(node)}\n</li>`;
  } finally {
    state.list = outer;
  }
};
