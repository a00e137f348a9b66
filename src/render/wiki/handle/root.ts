import type { Root } from 'mdast';
import type { Handle } from '../compile.ts';

export const root: Handle<Root> = (node, state) => state.flow(node);
