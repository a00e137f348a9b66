import type { Table } from 'mdast';
import type { Handle } from '../compile.ts';

/** A GFM table as a wikitext table: one cell per line, rows separated by `|-`. */
export const table: Handle<Table> = (node, state) => {
  const outer = state.table;
  state.table = { align: node.align ?? [], header: node.children[0] };
  try {
    const rows = node.children.map((row) => state.handle(row, node));
    return `{| class="wikitable"\n${rows.join('\n|-\n')}\n|}`;
  } finally {
    state.table = outer;
  }
};
