import type { Code } from 'mdast';
import { fileOfCode } from '../../../model/body.ts';
import { codeBlock } from '../code.ts';
import type { Handle } from '../compile.ts';
import { codeSpan } from '../markup.ts';

/** A fenced block; one that names a file (`ini file=/etc/…`) is labelled with it. */
export const code: Handle<Code> = (node, state) => {
  const block = codeBlock(node.value, node.lang, state.options.code);
  const file = fileOfCode(node);
  return file ? `In ${codeSpan(file)}:\n${block}` : block;
};
