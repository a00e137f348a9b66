import type { Blockquote } from 'mdast';
import type { Handle } from '../compile.ts';

export const blockquote: Handle<Blockquote> = (node, state) => `<blockquote>\n${state.flow(node)}\n</blockquote>`;
