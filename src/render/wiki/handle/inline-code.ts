import type { InlineCode } from 'mdast';
import type { Handle } from '../compile.ts';
import { codeSpan } from '../markup.ts';

export const inlineCode: Handle<InlineCode> = (node, state) => codeSpan(node.value, { heading: state.inHeading });
