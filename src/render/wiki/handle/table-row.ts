import type { TableRow } from 'mdast';
import type { Handle } from '../compile.ts';

export const tableRow: Handle<TableRow> = (node, state) => node.children.map((cell) => state.handle(cell, node)).join('\n');
