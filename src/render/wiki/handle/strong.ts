import type { Strong } from 'mdast';
import type { Handle } from '../compile.ts';
import { wrapInQuotes } from './quotes.ts';

export const strong: Handle<Strong> = (node, state) => wrapInQuotes("'''", state.phrasing(node));
