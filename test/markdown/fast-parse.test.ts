/**
 * The fast path (markdown-it → mdast) must give the very tree micromark
 * gives, block positions included, for every note it accepts. Inline nodes
 * (and table rows and cells) carry no position on the fast path; everything
 * else, key order included, must match.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyOf, markdownFiles } from './corpus.ts';
import { generateNote } from '../../bench/generate.ts';
import { parseMarkdown, parseMarkdownDetailed, parseMarkdownWithPositions } from '../../src/markdown/parse.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const legacyDir = path.resolve(repoRoot, '../shared/corpus/ossn');

const positioned = new Set(['root', 'paragraph', 'heading', 'thematicBreak', 'blockquote', 'list', 'listItem', 'code', 'html', 'table']);
const phrasingParents = new Set(['paragraph', 'heading', 'table']);

/** The reference tree as the fast path claims to give it: positions on block nodes only. */
function blockPositionsOnly(node: Record<string, unknown>, inline = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const unpositioned = inline || !positioned.has(node.type as string);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'position' && (unpositioned || value === undefined)) continue;
    out[key] = key === 'children' ? (value as Record<string, unknown>[]).map((child) => blockPositionsOnly(child, unpositioned || phrasingParents.has(node.type as string))) : value;
  }
  return out;
}

/** Asserts the fast tree equals the reference one; answers whether the fast path took the text. */
function expectSameTree(text: string): boolean {
  const parsed = parseMarkdownDetailed(text);
  const reference = parseMarkdownWithPositions(text);
  if (parsed.inlinePositions) {
    expect(parsed.tree).toEqual(reference);
    return false;
  }
  // JSON also compares key order, which digests and caches see.
  expect(JSON.stringify(parsed.tree)).toBe(JSON.stringify(blockPositionsOnly(reference as unknown as Record<string, unknown>)));
  return true;
}

describe('fast Markdown parse (markdown-it) equals the micromark parse', () => {
  const ownNotes = [...markdownFiles(path.join(repoRoot, 'notes')), ...markdownFiles(path.join(repoRoot, 'test/fixtures'))];
  it.each(ownNotes.map((file) => path.relative(repoRoot, file)))('%s', (file) => {
    expectSameTree(bodyOf(readFileSync(path.join(repoRoot, file), 'utf8')));
  });

  const legacy = existsSync(legacyDir) ? readdirSync(legacyDir).sort() : [];
  it.skipIf(legacy.length === 0 && process.env.CI !== 'true')('every legacy OSSN under ../shared/corpus/ossn', () => {
    expect(legacy.length).toBeGreaterThanOrEqual(55);
    let fast = 0;
    for (const file of legacy) if (expectSameTree(readFileSync(path.join(legacyDir, file), 'utf8'))) fast++;
    // Most take the fast path; the rest (regexes with `[^`, several `~`, indented code after text) go to micromark.
    expect(fast).toBeGreaterThanOrEqual(45);
  });

  it('300 benchmark notes, all on the fast path', () => {
    let fast = 0;
    for (let index = 1; index <= 300; index++) if (expectSameTree(bodyOf(generateNote(index, 300).text))) fast++;
    expect(fast).toBe(300);
  });

  it('a clean note takes the fast path, with exact block positions', () => {
    const { tree, inlinePositions } = parseMarkdownDetailed('# Title\n\n- a\n- b\n\n1. **Do.**\n\n   ```sh file=/etc/x\n   run\n   ```\n');
    expect(inlinePositions).toBe(false);
    expect(tree.children.map((node) => node.position?.start)).toEqual([
      { line: 1, column: 1, offset: 0 },
      { line: 3, column: 1, offset: 9 },
      { line: 6, column: 1, offset: 18 },
    ]);
    expect(parseMarkdown('a ~~gone~~ b\n')).toEqual(parseMarkdownWithPositions('a ~~gone~~ b\n'));
  });

  // Counterexamples the property below found, each kept as a case.
  it.each([
    ['a quote followed by a `>` indented as code', ['>\n        >', '> a\n>\n        >']],
    ['a table delimiter row that markdown-it leaves in a paragraph', ['- - *em*\n| `x` | y |\n     | --- | :-: |\n']],
    ['tables in quotes, and lines that end a table in GFM', ['  | x |\n|---|\n| z |\n>*em*\n> | --- |', '>*em*\n>| - |\n      *em*\n      -\n      *em*', '   | x |\n|---|\n| z |\n  </pre>', '  | x |\n|---|\n| z |\n   <x-tag>']],
    ['indented code of several lines after a list, a line of it indented into the list item', ['1.   *em*\n      \n    - | a |\n      | a |']],
    ['indented code in a quote before a quoted blank line of spaces', ['>     *em*\n>     ']],
    ['a line with a pipe before a pipeless delimiter row in a list item', ['- *em*<!-- x -->\n| e \\| f |\n    ---']],
    ['raw HTML beside a space markdown-it counts and CommonMark does not', ['</span>\u3000\n2) `a``', '<a\u3000href="x">y</a>', 'x <a\u00a0b>', '</span>\u00a0\nx', '</span>\f\nx']],
    ['a byte order mark before the text, which micromark drops', ['\ufeff\n+  ', '\ufeff# x']],
    ['spaces JavaScript counts and CommonMark does not, in blank lines and beside emphasis runs', ['> \u00a0\n\u00a0', '2) \ufeff_\u00e9t\u00e9_', '  - \ufeff__s__\n   \u00a0', '-   \u2028**\u00bfx?**']],
    ['an emoji beside an emphasis run, which micromark sees as two UTF-16 units', ['https://a.b/\ud83d\ude00_u_\n+ https://a.b/\u00e9', 'x \ud83d\ude00_u_', '*\ud83d\ude00*x']],
  ])('%s (found by the property below)', (_, texts) => {
    for (const text of texts) expectSameTree(text);
  });

  // Lines and fragments that have set the two parsers apart: containers,
  // lazy lines, code spans, emphasis runs, raw HTML, tables (in containers
  // too, and the lines that end them), autolinks.
  const inline = ['\u00a0', '\u3000', '<a\u00a0b>', '\ud83d\ude00', 'https://a.b/\u00e9', '*em*', '**strong**', '_u_', '__s__', '***both***', '`code`', '`` a`b ``', '` x `', '`a\nb`', '[link](http://a "t")', '[l](<a b>)', "![img](u 'T')", '![a *b*](u)', '<http://a.b/c>', '<a@b.c>', '<span>', '</span>', '<!-- x -->', '<a href="x">', '&amp; &copy; &#35; &#x41; &bogus;', '\\*', '\\', '  ', 'https://example.com/x.', 'www.example.org', 'foo@bar.baz', 'http://x.y', '[x]', '[x][y]', '*a **b** c*', '**a*', 'a*b*c', '_a_b', '[a`b](c)`', '**[b](c)**', '[https://a.b](https://a.b)', 'word', 'two words', '*', '_', '`', '[', ']', '(', '!', '<', '>', '|', '&', '#', '~', '-', '1.'];
  const prefixes = ['      ', '    - ', '  - ', '- 1. ', '> > ', '>     ', '1.  ', '2.    ', '', '', '', '', '# ', '## ', '###### ', '#', '- ', '* ', '+ ', '1. ', '2) ', '10. ', '> ', '>', '    ', '  ', '   ', '     ', '        ', '- - ', '> - ', '1. > ', '-   ', '- > '];
  const wholeLines = ['| a |', '|a|b|', 'a|b', '| - |', '|:-|', '-|-', ':-:|:-:', '| --- |', '| -- | -- |', '--- | ---', '=', '==', '- - -', '___', '<!-- a\nb -->', '<div>\n</div>', '| x | y |\n| - | - |', '| x |\n|---|\n| z |', '', '', '', '   ', '===', '---', '***', '* * *', '_ _ _', '-', '1.', '```', '```js', '```py file=x y', '````', '  ```', '<div>', '</div>', '<!-- c -->', '<x-tag>', '<pre>', '</pre>', '<?php ?>', '<!DOCTYPE html>', '<script>', '</script>', '| a | b |', '| --- | :-: |', '|---|---:|', 'a | b', '| c |', '| `x` | y |', '| e \\| f |', '    indented', '> ```', '- ```'];
  const line = fc.oneof(
    fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...wholeLines)).map(([prefix, rest]) => prefix + rest),
    fc.tuple(fc.constantFrom(...prefixes), fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...inline)), { minLength: 1, maxLength: 4 })).map(([prefix, parts]) => prefix + parts.map(([space, part]) => (space ? ` ${part}` : part)).join('')),
  );
  const document = fc.tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.boolean()).map(([lines, newline]) => lines.join('\n') + (newline ? '\n' : ''));

  it('random Markdown from a grammar of tricky constructs', () => {
    let fast = 0;
    fc.assert(
      fc.property(document, (text) => {
        if (expectSameTree(text)) fast++;
      }),
      { numRuns: 2500 },
    );
    // The property proves nothing if the fast path declines everything.
    expect(fast).toBeGreaterThan(300);
  });
});
