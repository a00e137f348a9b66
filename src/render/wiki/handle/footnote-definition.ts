import type { FootnoteDefinition } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';

/** A footnote stays where the note wrote it, marked with its label. */
export const footnoteDefinition: Handle<FootnoteDefinition> = (node, state) =>
  `<sup>&#91;${escapeText(node.label ?? node.identifier)}&#93;</sup>\n${state.flow(node)}`;
