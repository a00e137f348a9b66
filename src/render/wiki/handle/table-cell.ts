import type { TableCell } from 'mdast';
import type { Handle } from '../compile.ts';

/**
 * `! text` in the header row, `| text` below; the space after the marker
 * keeps text such as `-1` or `}` from reading as `|-` or `|}`. Cell text
 * holds no `|` (escaped), so it never splits the cell or sets attributes.
 */
export const tableCell: Handle<TableCell> = (node, state, parent) => {
  const marker = parent && parent === state.table?.header ? '!' : '|';
  const index = parent?.type === 'tableRow' ? parent.children.indexOf(node) : -1;
  const align = state.table?.align[index];
  const style = align ? ` style="text-align: ${align};" |` : '';
  return `${marker}${style} ${state.phrasing(node)}`.trimEnd();
};
