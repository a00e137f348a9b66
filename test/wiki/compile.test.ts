/**
 * The mdast → wikitext compiler, node type by node type, and its escaping:
 * text from a note never becomes wiki structure.
 */
import fc from 'fast-check';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/parse.ts';
import { presentedBody } from '../../src/model/file-labels.ts';
import { mdastToWikitext, UnknownNodeError, type WikitextOptions } from '../../src/render/wiki/compile.ts';
import { escapeLineStart, escapeText, escapeUrl } from '../../src/render/wiki/escape.ts';
import { headingIds } from '../../src/markdown/heading-ids.ts';

const options: WikitextOptions = { code: 'syntaxhighlight', baseUrl: 'https://security.example.org/advisories/OSSN-0001/' };
const wiki = (markdown: string, overrides: Partial<WikitextOptions> = {}) => mdastToWikitext(parseMarkdown(markdown), { ...options, ...overrides });

/** What the wiki shows for escaped text: numeric and named references decoded. */
function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('handlers', () => {
  it.each([
    ['heading', '## Summary', '== Summary =='],
    ['deep heading', '#### Detail', '==== Detail ===='],
    ['paragraph with soft break', 'one\ntwo', 'one two'],
    ['emphasis and strong', '*a* **b** ***c***', "''a'' '''b''' ''<nowiki/>'''c'''<nowiki/>''"],
    ['strikethrough', '~~gone~~', '<s>gone</s>'],
    ['inline code', '`nova-manage db sync`', '<code>nova-manage db sync</code>'],
    ['inline code needing nowiki', "`a | b ~~~~ </nowiki>`", '<code><nowiki>a | b ~~~~ &lt;/nowiki></nowiki></code>'],
    ['hard break', 'a  \nb', 'a<br />b'],
    ['thematic break', 'a\n\n---\n\nb', 'a\n\n----\n\nb'],
    ['link', '[the guide](https://docs.openstack.org/)', '[https://docs.openstack.org/ the guide]'],
    ['relative link resolves against the site page', '[other](../OSSN-0002/)', '[https://security.example.org/advisories/OSSN-0002/ other]'],
    ['autolink literal', 'see https://example.org/x', 'see [https://example.org/x https://example.org/x]'],
    ['mailto link', '<security@example.org>', '[mailto:security@example.org security@example.org]'],
    ['javascript link keeps its text only', '[click](javascript:alert(1))', 'click'],
    ['reference link', '[text][ref]\n\n[ref]: https://example.org/r', '[https://example.org/r text]'],
    ['image becomes a link', '![a diagram](https://example.org/d.png)', '[https://example.org/d.png Image: a diagram]'],
    ['image reference', '![alt][img]\n\n[img]: https://example.org/i.png', '[https://example.org/i.png Image: alt]'],
    ['bullet list, nested', '- a\n  - b\n- c', '* a\n** b\n* c'],
    ['ordered list', '1. a\n2. b', '# a\n# b'],
    ['mixed nesting', '1. a\n   - b', '# a\n#* b'],
    ['task list', '- [ ] open\n- [x] done', '* ☐ open\n* ☑ done'],
    ['ordered list not starting at 1', '3. c\n4. d', '<ol start="3">\n<li>c\n</li>\n<li>d\n</li>\n</ol>'],
    ['blockquote', '> quoted\n>\n> more', '<blockquote>\nquoted\n\nmore\n</blockquote>'],
    ['footnote', 'a[^1]\n\n[^1]: note', 'a<sup>&#91;1&#93;</sup>\n\n<sup>&#91;1&#93;</sup>\nnote'],
    ['definition alone prints nothing', '[x]: https://example.org/', ''],
  ])('%s', (_, markdown, expected) => {
    expect(wiki(markdown)).toBe(expected);
  });

  it('writes fenced code as syntaxhighlight with a known language, or text', () => {
    expect(wiki('```sh\necho hi\n```')).toBe('<syntaxhighlight lang="bash">\necho hi\n</syntaxhighlight>');
    expect(wiki('```ini\na = 1\n```')).toBe('<syntaxhighlight lang="ini">\na = 1\n</syntaxhighlight>');
    expect(wiki('```klingon\nx\n```')).toBe('<syntaxhighlight lang="text">\nx\n</syntaxhighlight>');
  });

  it('writes fenced code as <pre> when configured, escaping only what would end it', () => {
    expect(wiki('```sh\necho "a & b" &amp; </pre> <nowiki> ~~~~\n```', { code: 'pre' })).toBe(
      '<pre>\necho "a & b" &amp;amp; &lt;/pre> &lt;nowiki> ~~~~</pre>',
    );
  });

  it('falls back to <pre> for code that would close syntaxhighlight', () => {
    expect(wiki('```\n</syntaxhighlight>{{T}}\n```')).toBe('<pre>\n</syntaxhighlight>{{T}}</pre>');
  });

  it('labels a config snippet with its file, as every body renderer does (presentedBody)', () => {
    expect(wiki('```ini file=/etc/libvirt/libvirtd.conf\nauth_tcp = "sasl"\n```')).toBe('<syntaxhighlight lang="ini">\nauth_tcp = "sasl"\n</syntaxhighlight>');
    expect(mdastToWikitext(presentedBody(parseMarkdown('```ini file=/etc/libvirt/libvirtd.conf\nauth_tcp = "sasl"\n```')), options)).toBe(
      'In <code>/etc/libvirt/libvirtd.conf</code>:\n\n<syntaxhighlight lang="ini">\nauth_tcp = "sasl"\n</syntaxhighlight>',
    );
  });

  it('writes a list whose items hold blocks as an HTML list', () => {
    expect(wiki('1. **Restart.** Now.\n\n   ```sh\n   systemctl restart libvirtd\n   ```\n\n   Role: compute\n2. Done')).toBe(
      "<ol>\n<li>'''Restart.''' Now.\n\n<syntaxhighlight lang=\"bash\">\nsystemctl restart libvirtd\n</syntaxhighlight>\n\nRole: compute\n</li>\n<li>Done\n</li>\n</ol>",
    );
  });

  it('writes a GFM table with alignment, one cell per line', () => {
    expect(wiki('| a | b |\n|:--|--:|\n| -1 | } |')).toBe(
      '{| class="wikitable"\n! style="text-align: left;" | a\n! style="text-align: right;" | b\n|-\n| style="text-align: left;" | -1\n| style="text-align: right;" | &#125;\n|}',
    );
  });

  it('turns raw HTML into wikitext through the sanitizer, never passing it through', () => {
    const out = wiki('<b>UPDATE 1:</b> fixed <script>alert(1)</script><a href="javascript:x()">bad</a>\n\n<ol><li>one</li><li>two</li></ol>');
    expect(out).toBe("'''UPDATE 1:''' fixed bad\n\n# one\n# two");
  });

  it('keeps the file of a config snippet when the note also has raw HTML', () => {
    expect(mdastToWikitext(presentedBody(parseMarkdown('<b>x</b>\n\n```ini file=/etc/x.conf\na = 1\n```')), options)).toContain('In <code>/etc/x.conf</code>:');
  });

  it('separates apostrophes from quote markup', () => {
    expect(wiki("*it'*")).toBe("''it'<nowiki/>''");
    expect(wiki("**'q'**")).toBe("'''<nowiki/>'q'<nowiki/>'''");
    expect(wiki('*a*_b_')).toBe("''a''<nowiki/>''b''");
  });

  it("gives each heading the id it has on the site, and links a heading of the note by it, written as GitHub's fragment or as the id", () => {
    const markdown = '## Discussion\n\n## discussion\n\n### A | B\n\n[a](#discussion) [b][d] [c](#a--b) [d](#nowhere) [e](#section-discussion) [f](#section-nowhere)\n\n[d]: #discussion-1';
    const lines = wiki(markdown, { headingIds: headingIds(parseMarkdown(markdown)) }).split('\n');
    expect(lines.filter((line) => line.startsWith('='))).toEqual(['== <span id="section-discussion"></span>Discussion ==', '== <span id="section-discussion-1"></span>discussion ==', '=== <span id="section-a--b"></span>A &#124; B ===']);
    expect(lines.at(-1)).toBe(
      '[[#section-discussion|a]] [[#section-discussion-1|b]] [[#section-a--b|c]] [https://security.example.org/advisories/OSSN-0001/#nowhere d] [[#section-discussion|e]] [https://security.example.org/advisories/OSSN-0001/#section-nowhere f]',
    );
  });

  it('throws for a node type it does not know', () => {
    const tree = { type: 'root', children: [{ type: 'yaml', value: 'a: 1' }] } as unknown as Root;
    expect(() => mdastToWikitext(tree, options)).toThrow(UnknownNodeError);
    expect(() => mdastToWikitext(tree, options)).toThrow(/"yaml"/);
  });
});

describe('escaping', () => {
  it.each([
    ['[[Category:Pwned]]', '&#91;&#91;Category:Pwned&#93;&#93;'],
    ['{{Template}} {{{p}}}', '&#123;&#123;Template&#125;&#125; &#123;&#123;&#123;p&#125;&#125;&#125;'],
    ['~~~~', '&#126;&#126;&#126;&#126;'],
    ['__NOTOC__', '&#95;_NOTOC&#95;_'],
    ['<nowiki> <!-- c -->', '&lt;nowiki> &lt;!-- c -->'],
    ["it's ''x''", "it's &#39;'x&#39;'"],
    ['a | b !! c', 'a &#124; b &#33;! c'],
    ['&amp; &#91;', '&amp;amp; &amp;#91;'],
  ])('escapes %s', (text, expected) => {
    expect(escapeText(text)).toBe(expected);
  });

  it('escapes = only in headings', () => {
    expect(escapeText('a = b')).toBe('a = b');
    expect(escapeText('a = b', { heading: true })).toBe('a &#61; b');
    expect(wiki('## Ends with =')).toBe('== Ends with &#61; ==');
  });

  it.each([['* x'], ['# x'], [': x'], ['; x'], ['= x'], ['! x'], ['| x'], ['---- x']])('escapes the line start of %s', (line) => {
    const escaped = escapeLineStart(line);
    expect(escaped).toMatch(/^&#\d+;/);
    expect(decodeEntities(escaped)).toBe(line);
  });

  it('percent-encodes what would end or break a link target', () => {
    expect(escapeUrl("https://example.org/a b]c'd~e|f&g")).toBe('https://example.org/a%20b%5Dc%27d%7Ee%7Cf&amp;g');
  });

  const dangerous = fc.constantFrom(...'[]{}|~_\'!=<>&*#:;- \n\t'.split(''), '[[', '{{', '~~~~', '__NOTOC__', '<nowiki>', '</pre>', '&#91;', '\u00a0');
  const hostileText = fc.array(fc.oneof(dangerous, fc.string({ maxLength: 3 })), { maxLength: 30 }).map((parts) => parts.join(''));

  it('property: escaped text contains no wiki markup and shows the same characters', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (text, heading) => {
        const escaped = escapeText(text, { heading });
        expect(escaped).not.toMatch(/\[|\]|\{|\}|\||~|<|''|__|!!|\n/);
        if (heading) expect(escaped).not.toContain('=');
        const shown = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\r\n?|\n|\t/g, ' ');
        expect(decodeEntities(escaped)).toBe(shown);
      }),
    );
  });

  it.each([
    ["'\u0001'", '&#39;\''],
    ['_\u007f\u0001_', '&#95;_'],
    ['a\r\u0001\nb', 'a b'],
    ['a\r\rb\n\nc\td', 'a  b  c d'],
    ['!\n!', '! !'],
  ])('escapes %j as if controls were dropped and line breaks made spaces first', (text, expected) => {
    expect(escapeText(text)).toBe(expected);
  });

  const controlsAndBreaks = fc.constantFrom(...'\u0000\u0001\u000b\u001f\u007f\r\n\t\'_!=&'.split(''), 'a', ' ');

  it('property: escaping judges pairs on the text with controls dropped and line breaks made spaces', () => {
    fc.assert(
      fc.property(fc.array(controlsAndBreaks, { maxLength: 12 }).map((parts) => parts.join('')), fc.boolean(), (text, heading) => {
        const flattened = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\r\n?|\n|\t/g, ' ');
        expect(escapeText(text, { heading })).toBe(escapeText(flattened, { heading }));
      }),
    );
  });

  /** Tags herald writes itself; anything else outside code would be HTML from the note. */
  const ownTags = /^<\/?(code|nowiki|syntaxhighlight|pre|s|sup|br|blockquote|ol|ul|li)\b/;

  it('property: any Markdown compiles without throwing and without raw HTML', () => {
    const markdownPiece = fc.constantFrom('# ', '## ', '- ', '1. ', '> ', '```\n', '`', '*', '**', '_', '~~', '[a](b)', '![i](https://x/y.png)', '<b>', '</b>', '<script>', '| a | b |\n|---|---|\n', '[^1]', '[^1]: f\n', '\n', '\n\n', '    code\n', '<div>', 'text', '[x]: https://e.org\n');
    fc.assert(
      fc.property(fc.array(fc.oneof(markdownPiece, fc.string({ maxLength: 5 })), { maxLength: 40 }), (parts) => {
        const out = wiki(parts.join(''))
          .replace(/<syntaxhighlight[^>]*>[\s\S]*?<\/syntaxhighlight>/g, '')
          .replace(/<pre>[\s\S]*?<\/pre>/g, '')
          .replace(/<nowiki>[\s\S]*?<\/nowiki>/g, '');
        for (const tag of out.match(/<[^>]*>?/g) ?? []) expect(tag).toMatch(ownTags);
      }),
      { numRuns: 300 },
    );
  });
});
