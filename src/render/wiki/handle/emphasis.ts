import type { Emphasis } from 'mdast';
import type { Handle } from '../compile.ts';
import { wrapInQuotes } from './quotes.ts';

export const emphasis: Handle<Emphasis> = (node, state) => wrapInQuotes("''", state.phrasing(node));
