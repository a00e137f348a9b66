import type { Heading } from 'mdast';
import type { Handle } from '../compile.ts';

export const heading: Handle<Heading> = (node, state) => {
  state.inHeading = true;
  try {
    const marks = '='.repeat(node.depth);
    // An empty heading line would be read as text made of `=` signs.
    const content = state.phrasing(node).trim() || '<nowiki/>';
    return `${marks} ${content} ${marks}`;
  } finally {
    state.inHeading = false;
  }
};
