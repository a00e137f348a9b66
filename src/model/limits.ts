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

/**
 * Finds a line whose block-quote or list nesting is too deep, before parsing:
 * `>` and list markers opened on one line (`> > >`, `1. 1. 1.`, `* - + 1)`,
 * mixed), or a line indented deeper than nested lists allow. A few thousand
 * markers on one line would otherwise overflow the Markdown parser's stack.
 */
export function checkNesting(body: string, bodyLine: number): { line: number; column: number; text: string } | undefined {
  let index = 0;
  // One scan of each line's start, without splitting: this runs on every note.
  for (let start = 0; start <= body.length; index++) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    const { quotes, lists, indent } = lineDepth(body, start, end);
    if (quotes + lists > maxNestingDepth) {
      const text = lists === 0
        ? `Block quotes are nested ${quotes} levels deep; the limit is ${maxNestingDepth}`
        : `This line opens ${quotes + lists} nested ${quotes === 0 ? 'lists' : 'lists and block quotes'} (${lists} list marker${lists === 1 ? '' : 's'} such as \`1. \` or \`* \`${quotes === 0 ? '' : `, ${quotes} \`>\``}); the limit is ${maxNestingDepth}`;
      return { line: bodyLine + index, column: 1, text };
    }
    if (indent / 2 > maxNestingDepth * 2) {
      return { line: bodyLine + index, column: 1, text: `Line is indented ${indent} columns, deeper than ${maxNestingDepth} levels of nested lists allow` };
    }
    start = end + 1;
  }
  return undefined;
}

/**
 * What a line opens before its text, as CommonMark reads a line's start:
 * the `>` of block quotes and the list markers (`-`, `*`, `+`, or 1 to 9
 * digits and `.` or `)`, each followed by a space, a tab or the line's end)
 * among spaces and tabs, and the width of the leading spaces and tabs (a tab
 * counted as four columns). Markers that end the line as a thematic break
 * (`- - -`, `* * *`: three or more of one character and blanks) open no list.
 * Scans only the line's start; stops at its first other character.
 */
function lineDepth(text: string, start: number, end: number): { quotes: number; lists: number; indent: number } {
  let quotes = 0;
  let lists = 0;
  let indent = 0;
  let leading = true;
  // Still among the markers that open containers.
  let open = true;
  // A run of one thematic-break character (`-`, `*`, `_`) that may reach the line's end.
  let rule = 0;
  let ruleCount = 0;
  let ruleLists = 0;
  const blankAt = (i: number) => i >= end || text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (leading) indent += c === 9 ? 4 : 1;
      continue;
    }
    leading = false;
    if (c === 45 /* - */ || c === 42 /* * */ || c === 95 /* _ */) {
      if (c !== rule) {
        if (!open) break;
        rule = c;
        ruleCount = 0;
        ruleLists = 0;
      }
      ruleCount++;
      if (open) {
        if (c !== 95 && blankAt(i + 1)) {
          lists++;
          ruleLists++;
        } else open = false;
      }
      continue;
    }
    rule = 0;
    if (!open) break;
    if (c === 62 /* > */) {
      quotes++;
      continue;
    }
    if (c === 43 /* + */ && blankAt(i + 1)) {
      lists++;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < end && j - i < 10 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const delimiter = text.charCodeAt(j);
      if (j - i <= 9 && j < end && (delimiter === 46 /* . */ || delimiter === 41 /* ) */) && blankAt(j + 1)) {
        lists++;
        i = j;
        continue;
      }
    }
    break;
  }
  if (i >= end && rule !== 0 && ruleCount >= 3) lists -= ruleLists;
  return { quotes, lists, indent };
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
