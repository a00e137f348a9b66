import type { Paragraph } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeLineStart } from '../escape.ts';

export const paragraph: Handle<Paragraph> = (node, state) => escapeLineStart(state.phrasing(node));
