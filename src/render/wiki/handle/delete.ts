import type { Delete } from 'mdast';
import type { Handle } from '../compile.ts';

export const strikethrough: Handle<Delete> = (node, state) => `<s>${state.phrasing(node)}</s>`;
