import type { FootnoteReference } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';

export const footnoteReference: Handle<FootnoteReference> = (node) => `<sup>&#91;${escapeText(node.label ?? node.identifier)}&#93;</sup>`;
