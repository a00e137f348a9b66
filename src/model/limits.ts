/**
 * Limits that keep one hostile or broken note from stalling every build:
 * size, and the nesting depth of block quotes and lists (5,000 nested `>`
 * would otherwise overflow the stack of every tree walker downstream).
 */
import type { Root } from 'mdast';

export const maxNoteBytes = 256 * 1024;
export const maxNestingDepth = 32;
/** The longest slug of a blog post, which names its folder and files. */
export const maxSlugLength = 100;

/** Finds a line whose block-quote or list-indent nesting is too deep, before parsing. */
export function checkNesting(body: string, bodyLine: number): { line: number; column: number; text: string } | undefined {
  let index = 0;
  // One scan of each line's start, without splitting: this runs on every note.
  for (let start = 0; start <= body.length; index++) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    const { quotes, indent } = lineDepth(body, start, end);
    if (quotes > maxNestingDepth) {
      return { line: bodyLine + index, column: 1, text: `Block quotes are nested ${quotes} levels deep; the limit is ${maxNestingDepth}` };
    }
    if (indent / 2 > maxNestingDepth * 2) {
      return { line: bodyLine + index, column: 1, text: `Line is indented ${indent} columns, deeper than ${maxNestingDepth} levels of nested lists allow` };
    }
    start = end + 1;
  }
  return undefined;
}

/**
 * The `>` among the spaces, tabs and `>` that start a line, and the width
 * of its leading spaces and tabs (a tab counted as four columns).
 */
function lineDepth(text: string, start: number, end: number): { quotes: number; indent: number } {
  let quotes = 0;
  let indent = 0;
  let leading = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 62 /* > */) {
      quotes++;
      leading = false;
    } else if (c === 32 || c === 9) {
      if (leading) indent += c === 9 ? 4 : 1;
    } else break;
  }
  return { quotes, indent };
}

/** True when the tree is deeper than `limit` block containers; iterative, never recursive. */
export function treeDepthExceeds(root: Root, limit: number): boolean {
  const stack: { node: { type: string; children?: unknown[] }; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const next = node.type === 'blockquote' || node.type === 'list' ? depth + 1 : depth;
    if (next > limit) return true;
    for (const child of (node.children ?? []) as { type: string; children?: unknown[] }[]) stack.push({ node: child, depth: next });
  }
  return false;
}
