/**
 * GFM task lists into mdast, with micromark's misplaced checks put back.
 *
 * micromark-extension-gfm-task-list-item takes `[x]` as a check at the start
 * of the first text after an empty list item, even when that text is not in
 * the item (`-` then `[x] a` on the next line: a paragraph after the list).
 * mdast-util-gfm-task-list-item then marks whatever node is above the
 * paragraph as checked (the root, a block quote, an outer item) and the
 * `[x]` is gone from the text. GitHub shows it as written.
 *
 * So a check counts only in the first paragraph of a list item; anywhere
 * else it is literal text again, at its place.
 */
import type { ListItem, Nodes, Paragraph, Text } from 'mdast';
import type { CompileContext, Extension, Token } from 'mdast-util-from-markdown';
import type { Point } from 'unist';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';

/** The list item a check belongs to: the paragraph's parent when it is that item's first child. */
function itemOfCheck(context: CompileContext): ListItem | undefined {
  const paragraph = context.stack.at(-1) as Nodes | undefined;
  const parent = context.stack.at(-2) as Nodes | undefined;
  if (paragraph?.type !== 'paragraph' || parent?.type !== 'listItem') return undefined;
  return parent.children[0] === paragraph ? parent : undefined;
}

const point = ({ line, column, offset }: Point): Point => ({ line, column, offset });

function exitCheckValue(this: CompileContext, token: Token): void {
  const item = itemOfCheck(this);
  if (item) item.checked = token.type === 'taskListCheckValueChecked';
}

/** A check outside an item's first paragraph becomes the text it was; the text after it joins it. */
function exitCheck(this: CompileContext, token: Token): void {
  if (itemOfCheck(this)) return;
  const paragraph = this.stack.at(-1) as Paragraph;
  const text: Text = { type: 'text', value: this.sliceSerialize(token), position: { start: point(token.start), end: point(token.end) } };
  paragraph.children.push(text);
}

const upstream = gfmTaskListItemFromMarkdown();

export const taskListItemFromMarkdown: Extension = {
  ...upstream,
  exit: { ...upstream.exit, taskListCheck: exitCheck, taskListCheckValueChecked: exitCheckValue, taskListCheckValueUnchecked: exitCheckValue },
};
