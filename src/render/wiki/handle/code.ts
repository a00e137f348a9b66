import type { Code } from 'mdast';
import { codeBlock } from '../code.ts';
import type { Handle } from '../compile.ts';

/** A fenced block (the page labels one that names a file, `presentedBody` in src/model/file-labels.ts). */
export const code: Handle<Code> = (node, state) => codeBlock(node.value, node.lang, state.options.code);
