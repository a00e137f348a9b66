/**
 * The ids a step's Verify line names: the mail follows each with its
 * check's title, the page links each to its check; nothing else changes.
 */
import type { Paragraph, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { parseMarkdownWithPositions } from '../../src/markdown/parse.ts';
import { presentedBody } from '../../src/model/file-labels.ts';
import { markVerifyIds, type MarkId } from '../../src/model/verify-ids.ts';
import { bodyHtml } from '../../src/render/site/body.ts';
import { fixtureAdvisory, testConfig } from '../mail/support/notes.ts';

const titles = new Map([
  ['tls', 'libvirt accepts only TLS'],
  ['tls-dn', 'only known names connect'],
  ['a.b', 'a dotted id'],
]);
const ids = new Set(titles.keys());
const withTitle: MarkId = (id, written) => [written, { type: 'text', value: ` (${titles.get(id)})` }];

const body = (markdown: string) => presentedBody(parseMarkdownWithPositions(`## Recommended Actions\n\n${markdown}`));

/** The lines of the paragraphs, as the mail reads them. */
function lines(root: Root): string[] {
  const texts: string[] = [];
  const walk = (node: RootContent) => {
    if (node.type === 'paragraph') texts.push(...paragraphLines(node));
    else if ('children' in node) (node.children as RootContent[]).forEach(walk);
  };
  root.children.forEach(walk);
  return texts;
}

const paragraphLines = (paragraph: Paragraph) => paragraph.children.map((child) => (child.type === 'break' ? '\n' : toString(child))).join('').split('\n');

const step = '1. **Do it.** Check tls by hand first.\n\n   Role: all nodes\n   Verify: `tls`, tls-dn, a.b, unknown\n   Rollback: undo tls.';

describe('the ids on Verify lines', () => {
  it('are each followed by the title in a mail, in backticks or not, on the Verify line only', () => {
    expect(lines(markVerifyIds(body(step), ids, withTitle))).toEqual([
      'Do it. Check tls by hand first.',
      'Role: all nodes',
      'Verify: tls (libvirt accepts only TLS), tls-dn (only known names connect), a.b (a dotted id), unknown',
      'Rollback: undo tls.',
    ]);
  });

  it('link to their checks in the page, and nothing else does', () => {
    const advisory = { ...fixtureAdvisory('OSSN-0100.md'), body: parseMarkdownWithPositions(`## Summary\n\nVerify: \`tls\` here is prose.\n\n## Recommended Actions\n\n${step}\n`) };
    advisory.verify = [...titles].map(([id, title]) => ({ id, title, run: 'true', expect: { kind: 'exit', code: 0 } }));
    const html = bodyHtml(advisory, testConfig());
    expect(html).toContain('Verify: <a href="#check-tls"><code>tls</code></a>, <a href="#check-tls-dn">tls-dn</a>, <a href="#check-a.b">a.b</a>, unknown<br>');
    expect(html).toContain('<p>Verify: <code>tls</code> here is prose.</p>');
    expect(html).toContain('Check tls by hand first.');
    expect(html).toContain('Rollback: undo tls.');
  });

  it('leave a note without checks, and a paragraph without a Verify line, as they were', () => {
    const root = body('Verify the tls setting.\n');
    expect(markVerifyIds(root, ids, withTitle)).toBe(root);
    expect(markVerifyIds(root, new Set(), withTitle)).toBe(root);
  });
});
