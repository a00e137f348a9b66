/**
 * A task list check counts only at the start of a list item's first
 * paragraph; anywhere micromark misplaces one (after an empty item), it is
 * the literal text it was, and no node but a list item is ever checked.
 */
import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { parseMarkdownWithPositions } from '../../src/markdown/parse.ts';

/** Every node's `checked`, in document order, with the item's text. */
function checks(node: Nodes, found: string[] = []): string[] {
  if ('checked' in node && node.checked != null) found.push(`${node.type}:${node.checked}:${toString(node)}`);
  if ('children' in node) for (const child of node.children) checks(child, found);
  return found;
}

describe('task list checks', () => {
  it('check the items that start with one', () => {
    const tree = parseMarkdownWithPositions('- [x] done\n- [ ] open\n1. [X] numbered\n');
    expect(checks(tree)).toEqual(['listItem:true:done', 'listItem:false:open', 'listItem:true:numbered']);
  });

  it.each([
    ['-\n[x] a', '[x] a'],
    ['1.\n[ ] a', '[ ] a'],
    ['> -\n> [x] a', '[x] a'],
    ['- -\n  [x] a', '[x] a'],
    ['-\n[x]\na', '[x]\na'],
  ])('after an empty item, %j keeps its text and checks nothing', (text, kept) => {
    const tree = parseMarkdownWithPositions(text);
    expect(checks(tree)).toEqual([]);
    expect(toString(tree)).toBe(kept);
  });

  it('the restored text has its place in the file', () => {
    const paragraph = parseMarkdownWithPositions('-\n[x] *em*').children[1];
    expect(paragraph?.type).toBe('paragraph');
    if (paragraph?.type !== 'paragraph') return;
    const [text] = paragraph.children;
    expect(text).toMatchObject({ type: 'text', value: '[x] ', position: { start: { line: 2, column: 1, offset: 2 }, end: { line: 2, column: 5, offset: 6 } } });
  });
});
