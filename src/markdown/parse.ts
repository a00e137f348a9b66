/**
 * The one Markdown parser: CommonMark plus GFM (tables, strikethrough, task
 * lists, footnotes, autolink literals) into mdast. Each note is parsed once
 * and every output is rendered from the same tree.
 *
 * Speed: micromark is the build's hot spot, and each GFM syntax extension
 * slows every note down whether it uses that syntax or not. So a note gets
 * only the extensions whose trigger characters it contains, and bare URLs
 * are linked by a cheap pass over text nodes after the parse (the mdast
 * half of GFM autolink literals) instead of by the tokenizer.
 *
 * Faster still: most notes go through markdown-it (`fast-parse.ts`), whose
 * tokens are converted to the very tree micromark gives, minus the
 * positions of inline nodes. micromark stays the reference, used for every
 * note the fast path declines and whenever exact inline positions are
 * needed (`parseMarkdownWithPositions`).
 */
import type { Root } from 'mdast';
import { fromMarkdown, type Extension as MdastExtension } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { Extension as SyntaxExtension } from 'micromark-util-types';
import { parseFast } from './fast-parse.ts';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';

interface Feature {
  /** A cheap test on the raw text: could the note use this syntax at all? */
  present(text: string): boolean;
  syntax: SyntaxExtension;
  tree: MdastExtension;
}

const table: Feature = { present: (text) => text.includes('|') && /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$/m.test(text), syntax: gfmTable(), tree: gfmTableFromMarkdown() };
const features: readonly Feature[] = [
  table,
  { present: (text) => text.includes('~'), syntax: gfmStrikethrough(), tree: gfmStrikethroughFromMarkdown() },
  { present: (text) => text.includes('[^'), syntax: gfmFootnote(), tree: gfmFootnoteFromMarkdown() },
  { present: (text) => /^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]/m.test(text), syntax: gfmTaskListItem(), tree: gfmTaskListItemFromMarkdown() },
];

const autolinkLiterals = gfmAutolinkLiteralFromMarkdown();

/** A parsed body, and whether its inline nodes carry positions (block nodes always do). */
export interface ParsedMarkdown {
  tree: Root;
  inlinePositions: boolean;
}

/** Parses by the fast path when it takes the note, else by micromark. */
export function parseMarkdownDetailed(text: string): ParsedMarkdown {
  const fast = parseFast(text, table.present(text));
  if (!fast) return { tree: parseMarkdownWithPositions(text), inlinePositions: true };
  for (const transform of autolinkLiterals.transforms ?? []) transform(fast);
  return { tree: fast, inlinePositions: false };
}

/** The tree of a Markdown text; inline nodes may lack positions (see `parseMarkdownDetailed`). */
export function parseMarkdown(text: string): Root {
  return parseMarkdownDetailed(text).tree;
}

/** The reference parse, by micromark: every node carries its position. */
export function parseMarkdownWithPositions(text: string): Root {
  const used = features.filter((feature) => feature.present(text));
  return fromMarkdown(text, {
    extensions: used.map((feature) => feature.syntax),
    mdastExtensions: [...used.map((feature) => feature.tree), autolinkLiterals],
  });
}
