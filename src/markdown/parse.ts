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
import type { Nodes, Root } from 'mdast';
import { fromMarkdown, type Extension as MdastExtension } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import type { Extension as SyntaxExtension } from 'micromark-util-types';
import { parseFast } from './fast-parse.ts';
import { taskListItemFromMarkdown } from './task-list.ts';
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
  { present: (text) => /^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]/m.test(text), syntax: gfmTaskListItem(), tree: taskListItemFromMarkdown },
];

const autolinkLiterals = gfmAutolinkLiteralFromMarkdown();

/** What every bare URL, `www.` link, e-mail address, `mailto:` and `xmpp:` address contains. */
const literalHint = /@|https?:\/\/|www\./i;
/** The nodes whose children are phrasing content, in a tree from the fast path. */
const phrasingRoots = new Set(['paragraph', 'heading', 'tableCell']);

/**
 * The mdast half of GFM autolink literals, run only where it can find
 * something. It looks at text nodes one by one, outside links, and a match
 * changes only the text node's own parent, so running it once over the
 * paragraphs, headings and table cells that hold a hint (gathered under a
 * stand-in root) gives the tree running it on the whole tree gives, without
 * four walks of every node of every note.
 */
function linkLiterals(tree: Root): void {
  const hinted: Nodes[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (phrasingRoots.has(node.type)) {
      if (holdsHint(node)) hinted.push(node);
    } else if ('children' in node) for (const child of node.children) stack.push(child);
  }
  if (hinted.length === 0) return;
  // The stand-in is never changed: text nodes are never its children.
  const standIn = { type: 'root', children: hinted } as Root;
  for (const transform of autolinkLiterals.transforms ?? []) transform(standIn);
}

/** Whether a text node inside `node`, outside links, holds a literal's hint. */
function holdsHint(node: Nodes): boolean {
  if (node.type === 'text') return literalHint.test(node.value);
  if (node.type === 'link' || node.type === 'linkReference' || !('children' in node)) return false;
  return node.children.some(holdsHint);
}

/** A parsed body, and whether its inline nodes carry positions (block nodes always do). */
export interface ParsedMarkdown {
  tree: Root;
  inlinePositions: boolean;
}

/** Parses by the fast path when it takes the note, else by micromark. */
export function parseMarkdownDetailed(text: string): ParsedMarkdown {
  const fast = parseFast(text, table.present(text));
  if (!fast) return { tree: parseMarkdownWithPositions(text), inlinePositions: true };
  linkLiterals(fast);
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
