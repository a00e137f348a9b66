/**
 * The text body lays out plain Markdown directly (mdast-text.ts) and
 * everything else through sanitized HTML (hast-text.ts). The direct path
 * must give exactly the lines the sanitizing path gives, for every tree it
 * accepts: notes, generated benchmark notes, and random Markdown from a
 * grammar of constructs that set layouts apart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { generateNote } from '../../bench/generate.ts';
import { parseMarkdown, parseMarkdownWithPositions } from '../../src/markdown/parse.ts';
import { splitFrontMatter } from '../../src/model/frontmatter.ts';
import { canLayOutDirectly, mdastToLines } from '../../src/render/mail/text/mdast-text.ts';
import { sanitizedLines, splitSections } from '../../src/render/mail/text/sections.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const legacyDir = path.resolve(repoRoot, '../shared/corpus/ossn');

const bodyOf = (text: string) => {
  const split = splitFrontMatter(text);
  return split.ok ? split.value.body : text;
};

/** Compares the two paths on the whole body and on each section, at two widths; answers whether any part went direct. */
function expectSameLines(tree: Root): boolean {
  let direct = false;
  for (const nodes of [tree.children, ...splitSections(tree).map((section) => section.nodes)]) {
    if (!canLayOutDirectly(nodes)) continue;
    direct = true;
    for (const width of [72, 30]) expect(mdastToLines(nodes, width)).toEqual(sanitizedLines(nodes, width));
  }
  return direct;
}

/** Both parsers: the fast one (markdown-it) and micromark, whose trees the loader also hands over. */
function expectSameLinesFor(markdown: string): boolean {
  const fast = expectSameLines(parseMarkdown(markdown));
  const reference = expectSameLines(parseMarkdownWithPositions(markdown));
  return fast || reference;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join(dir, file));
}

describe('direct Markdown layout equals the sanitized-HTML layout', () => {
  it("herald's own notes and test fixtures", () => {
    const files = [...markdownFiles(path.join(repoRoot, 'notes')), ...markdownFiles(path.join(repoRoot, 'test'))];
    let direct = 0;
    for (const file of files) if (expectSameLinesFor(bodyOf(readFileSync(file, 'utf8')))) direct++;
    expect(direct).toBeGreaterThan(20);
  });

  const legacy = existsSync(legacyDir) ? readdirSync(legacyDir).sort() : [];
  it.skipIf(legacy.length === 0)('every legacy OSSN under ../shared/corpus/ossn', () => {
    for (const file of legacy) expectSameLinesFor(readFileSync(path.join(legacyDir, file), 'utf8'));
  });

  it('100 benchmark notes, every section direct', () => {
    for (let index = 1; index <= 100; index++) {
      const tree = parseMarkdown(bodyOf(generateNote(index, 100).text));
      expect(canLayOutDirectly(tree.children)).toBe(true);
      expectSameLines(tree);
    }
  });

  const cases = [
    '| Distribution | Package | Fixed version in this release |\n| --- | --- | --- |\n| Debian 12 | `nova` |\n| a | b | c | d |\n',
    '- [x] done\n- [ ] open\n\n- [x] loose\n\n  more\n- [ ]\n- [x] ```\n  code\n  ```\n',
    '- a\n  ```\n  code\n  ```\n  b\n- c\n  > q\n  d\n',
    '[c](/a:b) [q](?x:y) [h](#a:b) [p](a/b:c) [m](mailto:x@y) [t](tel:1) [x](xmpp:a@b)\n',
    'line one\\\n  line two  \n**bold**\\\n`code`\n',
    '3. three\n4. four\n\n0. zero\n1. one\n\n10. ten\n',
    '> # quoted heading\n> - item\n>\n>   para\n',
  ];
  it.each(cases)('%j', (markdown) => {
    expect(expectSameLinesFor(markdown)).toBe(true);
  });

  // Containers, loose and tight lists, task items, tables with missing
  // cells, breaks, links the sanitizer keeps or drops, and what the direct
  // path declines (raw HTML, references, footnotes, URLs needing encoding).
  const inline = [
    'word', 'two words', '*em*', '**strong**', '~~gone~~', '`code`', '`a\nb`', '[link](http://a.b/c "t")', '[mail](mailto:a@b.c)',
    '[a@b.c](mailto:a@b.c)', '[frag](#x)', '[rel](/a/b)', '[js](javascript:alert(1))', '[HTTPS](HTTPS://a.b)', '[irc](irc://x)',
    '[empty]()', '[](http://a.b)', '[colon](/a:b)', '[query](?a:b)', '[sp](<a b>)', '[pct](http://a/%41%zz)', '[uni](http://a/é)', '<http://a.b/c>', '<a@b.c>',
    'https://example.com/x.', 'foo@bar.baz', '![alt](http://a/i.png)', '![](u)', '![ *a* ](u)', '[![img](u)](http://a.b)',
    '<b>raw</b>', '<br>', '[x][y]', '[^1]', '\\', '  ', '&amp; &copy;', '\u00a0nbsp\u00a0', '\u2003em space', '\u2028',
    'a\tb', 'ünïcödé', 'averyveryveryveryveryverylongwordthatcannotbreakanywhere',
  ];
  const prefixes = ['', '', '', '', '# ', '## ', '### ', '#### ', '- ', '* ', '1. ', '3. ', '0. ', '2) ', '> ', '> - ', '1. > ', '- [ ] ', '- [x] ', '  - ', '    - ', '   ', '    ', '- - '];
  const wholeLines = ['', '', '', '', '---', '***', '```', '```sh', '```ini file=/etc/x', 'code\tline  ', '| a | b |', '| --- | :-: |', '| c |', '| d | e | f |', '|---|', '[y]: http://y.z', '[^1]: note', '<div>', '</div>', '<!-- c -->', 'Title', '==='];
  const line = fc.oneof(
    fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...wholeLines)).map(([prefix, rest]) => prefix + rest),
    fc
      .tuple(fc.constantFrom(...prefixes), fc.array(fc.tuple(fc.constantFrom('', ' ', '  \n', '\n', '\\\n'), fc.constantFrom(...inline)), { minLength: 1, maxLength: 6 }))
      .map(([prefix, parts]) => prefix + parts.map(([gap, part]) => gap + part).join('')),
  );
  const document = fc.array(line, { minLength: 1, maxLength: 12 }).map((lines) => `${lines.join('\n')}\n`);

  it('random Markdown from a grammar of constructs', () => {
    let direct = 0;
    fc.assert(
      fc.property(document, (markdown) => {
        if (expectSameLinesFor(markdown)) direct++;
      }),
      { numRuns: 1500 },
    );
    // The property proves nothing if the direct path declines everything.
    expect(direct).toBeGreaterThan(500);
  });
});
