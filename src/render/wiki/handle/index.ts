/**
 * The registry of node handlers: one per mdast node type herald can write
 * as wikitext. `html` has none on purpose: the compiler stops at the first
 * one and compiles the tree again with raw HTML turned into mdast (see
 * raw-html.ts), so an `html` node is never written; one left in that
 * converted tree is a bug and fails loudly.
 */
import type { Handlers } from '../compile.ts';
import { blockquote } from './blockquote.ts';
import { hardBreak } from './break.ts';
import { code } from './code.ts';
import { definition } from './definition.ts';
import { strikethrough } from './delete.ts';
import { emphasis } from './emphasis.ts';
import { footnoteDefinition } from './footnote-definition.ts';
import { footnoteReference } from './footnote-reference.ts';
import { heading } from './heading.ts';
import { image } from './image.ts';
import { imageReference } from './image-reference.ts';
import { inlineCode } from './inline-code.ts';
import { link } from './link.ts';
import { linkReference } from './link-reference.ts';
import { list } from './list.ts';
import { listItem } from './list-item.ts';
import { paragraph } from './paragraph.ts';
import { root } from './root.ts';
import { strong } from './strong.ts';
import { table } from './table.ts';
import { tableCell } from './table-cell.ts';
import { tableRow } from './table-row.ts';
import { text } from './text.ts';
import { thematicBreak } from './thematic-break.ts';

export const handlers: Handlers = {
  blockquote,
  break: hardBreak,
  code,
  definition,
  delete: strikethrough,
  emphasis,
  footnoteDefinition,
  footnoteReference,
  heading,
  image,
  imageReference,
  inlineCode,
  link,
  linkReference,
  list,
  listItem,
  paragraph,
  root,
  strong,
  table,
  tableCell,
  tableRow,
  text,
  thematicBreak,
};
