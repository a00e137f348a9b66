/** A step's Verify line in the mail names each check with its title; nothing else changes. */
import type { Paragraph, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { parseMarkdownWithPositions } from '../../src/markdown/parse.ts';
import { presentedBody } from '../../src/model/file-labels.ts';
import { withCheckTitles } from '../../src/render/mail/check-titles.ts';

const titles = new Map([
  ['tls', 'libvirt accepts only TLS'],
  ['tls-dn', 'only known names connect'],
  ['a.b', 'a dotted id'],
]);

/** The lines of the Recommended Actions paragraphs, as the mail reads them. */
function lines(markdown: string): string[] {
  const body = presentedBody(parseMarkdownWithPositions(`## Recommended Actions\n\n${markdown}`));
  const nodes = withCheckTitles(body.children.slice(1), titles);
  const texts: string[] = [];
  const walk = (node: RootContent) => {
    if (node.type === 'paragraph') texts.push(...paragraphLines(node));
    else if ('children' in node) (node.children as RootContent[]).forEach(walk);
  };
  nodes.forEach(walk);
  return texts;
}

const paragraphLines = (paragraph: Paragraph) => paragraph.children.map((child) => (child.type === 'break' ? '\n' : toString(child))).join('').split('\n');

describe('check titles on Verify lines', () => {
  it('follow each id, in backticks or not, on the Verify line only', () => {
    expect(lines('1. **Do it.** Check tls by hand first.\n\n   Role: all nodes\n   Verify: `tls`, tls-dn, a.b, unknown\n   Rollback: undo tls.')).toEqual([
      'Do it. Check tls by hand first.',
      'Role: all nodes',
      'Verify: tls (libvirt accepts only TLS), tls-dn (only known names connect), a.b (a dotted id), unknown',
      'Rollback: undo tls.',
    ]);
  });

  it('leave a note without checks, and a paragraph without a Verify line, as they were', () => {
    const body = presentedBody(parseMarkdownWithPositions('## Recommended Actions\n\nVerify the tls setting.\n'));
    expect(withCheckTitles(body.children, titles)).toBe(body.children);
    expect(withCheckTitles(body.children, new Map())).toBe(body.children);
  });
});
