/**
 * On the fast path, bare URLs and addresses are linked by running the mdast
 * autolink-literal transform on each paragraph, heading and table cell that
 * holds a hint (`@`, `http://`, `https://`, `www.`), not on the whole tree.
 * The tree must be the one the transform gives when run on the root.
 */
import fc from 'fast-check';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { describe, expect, it } from 'vitest';
import { parseFast } from '../../src/markdown/fast-parse.ts';
import { parseMarkdownDetailed } from '../../src/markdown/parse.ts';

/** The fast tree with the transform run on the root, as parse.ts once did. */
function linkedAtRoot(text: string) {
  const tree = parseFast(text, text.includes('|'));
  if (!tree) return undefined;
  for (const transform of gfmAutolinkLiteralFromMarkdown().transforms ?? []) transform(tree);
  return tree;
}

function expectSameLinks(text: string): boolean {
  const reference = linkedAtRoot(text);
  if (!reference) return false;
  const { tree, inlinePositions } = parseMarkdownDetailed(text);
  expect(inlinePositions).toBe(false);
  expect(JSON.stringify(tree)).toBe(JSON.stringify(reference));
  return true;
}

describe('autolink literals on the fast path', () => {
  it.each([
    'See https://example.org/x. and www.example.com, or mail security@example.org.',
    '# Heading with http://a.b/c and x@y.z\n\ntext without any',
    '| a | b |\n| --- | --- |\n| https://c.d/e | f@g.hi |\n| plain | *www.x.org* |\n',
    '*emphasis https://a.b* and **strong mailto:a@b.cd** and xmpp:a@b.cd/res',
    '[https://inside.link](https://target) then https://after.link)',
    '> quoted https://q.r/s\n\n- item www.list.org\n  - nested u@v.wx\n',
    'HTTP://UPPER.CASE/X and WWW.UPPER.ORG',
    'no hint here: example.org, user at host',
    'a@b.c_ and 1@2.3 and www.-x.org and https://.x',
  ])('%j', (text) => {
    expect(expectSameLinks(text)).toBe(true);
  });

  it('on random text with URLs and addresses in blocks and inline nodes', () => {
    const part = fc.constantFrom('https://a.b/c', 'http://x.y', 'www.e.org', 'u@h.io', 'mailto:m@n.op', 'xmpp:x@y.zz/r', 'word', '*em*', '**st**', '[l](u)', '[https://l.x](v)', '`c`', '.', ',', ')', '(', '_', '@', 'www.', 'http://');
    const prefix = fc.constantFrom('', '# ', '- ', '> ', '1. ', '| ');
    const line = fc.tuple(prefix, fc.array(fc.tuple(fc.boolean(), part), { minLength: 1, maxLength: 5 })).map(([p, parts]) => p + parts.map(([space, s]) => (space ? ` ${s}` : s)).join(''));
    let fast = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        if (expectSameLinks(lines.join('\n\n'))) fast++;
      }),
      { numRuns: 1500 },
    );
    expect(fast).toBeGreaterThan(500);
  });
});
