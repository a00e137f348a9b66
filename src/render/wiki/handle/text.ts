import type { Text } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';

export const text: Handle<Text> = (node, state) => escapeText(node.value, { heading: state.inHeading });
