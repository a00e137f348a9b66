/**
 * Footnotes in every body renderer: on a page each reference and each
 * "back" link reaches its target (the sanitizer prefixes ids once, and the
 * links follow); in a mail a reference reads [1]; on a wiki page, where raw
 * HTML sends the body through the sanitizer and back, a reference is still
 * a footnote reference and no link points into the page itself. A
 * summary (listings, feeds) leaves footnotes out.
 */
import { fromHtml } from 'hast-util-from-html';
import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { mdastToSafeHtml } from '../../src/markdown/html.ts';
import { parseMarkdownWithPositions } from '../../src/markdown/parse.ts';
import { sanitizedLines } from '../../src/render/mail/text/sections.ts';
import { mdastToWikitext } from '../../src/render/wiki/compile.ts';
import { summaryHtml, summaryText } from '../../src/render/site/body.ts';
import { composeAnnouncement } from '../../src/render/mail/compose.ts';
import { renderWikiPage } from '../../src/render/wiki/page.ts';
import { fixtureAdvisory, testConfig, testNow } from '../mail/support/notes.ts';

const note = 'A flag[^1] and a second[^why].\n\n[^1]: The first.\n[^why]: The second, cited twice[^1].\n';
const withRawHtml = `${note}\n<b>bold</b> <a id="here">anchor</a> [to the anchor](#here) [to the page's top](#top)\n`;

function anchors(html: string): { ids: Set<string>; fragments: string[] } {
  const ids = new Set<string>();
  const fragments: string[] = [];
  visit(fromHtml(html, { fragment: true }), 'element', (node: Element) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
    if (node.tagName === 'a' && typeof node.properties.href === 'string' && node.properties.href.startsWith('#')) fragments.push(node.properties.href.slice(1));
  });
  return { ids, fragments };
}

describe('footnotes', () => {
  it.each([
    ['plain Markdown', note],
    ['raw HTML beside them', withRawHtml],
  ])('on a page, with %s, every link into the note reaches an id prefixed once', (_, text) => {
    const html = mdastToSafeHtml(parseMarkdownWithPositions(text));
    const { ids, fragments } = anchors(html);
    expect(ids.size).toBeGreaterThan(4);
    for (const id of ids) expect(id).toMatch(/^user-content-(?!user-content-)/);
    const inNote = fragments.filter((fragment) => fragment !== 'top');
    expect(inNote.length).toBeGreaterThanOrEqual(6);
    for (const fragment of inNote) expect(ids, fragment).toContain(fragment);
  });

  it("leaves a link to an id outside the note as written (the page's own)", () => {
    expect(mdastToSafeHtml(parseMarkdownWithPositions(withRawHtml))).toContain('<a href="#top">');
  });

  it('reads [1] in a mail, without the link back', () => {
    const text = sanitizedLines(parseMarkdownWithPositions(note).children, 72).join('\n');
    expect(text).toContain('A flag[1] and a second[2].');
    expect(text).toContain('The second, cited twice[1].');
    expect(text).not.toContain('\u21a9');
  });

  it('are listed once at the end of a mail, numbered across its sections, each section quoting [n]', () => {
    const body = [
      '## Summary\n\nA flag[^a] in the summary.\n',
      '## Discussion\n\nThe flag again[^a], then a second[^b].\n\n[^a]: The first, written in the Discussion.\n[^unused]: Cited nowhere.\n',
      '## Recommended Actions\n\n1. **Do it.** Now.\n',
      '## Contacts / References\n\n- <https://example.org/>\n\n[^b]: The second, written last, citing the first[^a].\n',
    ].join('\n');
    const config = testConfig({ html_alternative: true });
    const advisory = { ...fixtureAdvisory('OSSN-0100.md', config), body: parseMarkdownWithPositions(body) };
    const { text, html } = composeAnnouncement(advisory, config, { date: testNow, preview: false });
    expect(text).toContain('A flag[1] in the summary.');
    expect(text).toContain('The flag again[1], then a second[2].');
    expect(text.match(/### Footnotes ###/g)).toHaveLength(1);
    const footnotes = text.slice(text.indexOf('### Footnotes ###'));
    expect(text.indexOf('### Footnotes ###')).toBeGreaterThan(text.indexOf('### Contacts / References ###'));
    expect(footnotes).toContain('1. The first, written in the Discussion.\n2. The second, written last, citing the first[1].');
    expect(text).not.toContain('Cited nowhere');
    expect(html).toContain('A flag[1] in the summary.');
    expect(html).not.toMatch(/data-footnote|user-content-fn/);
    expect(html!.match(/<h2>Footnotes<\/h2>/g)).toHaveLength(1);
  });

  it.each([
    ['plain Markdown', ''],
    ['raw HTML beside them', '<b>bold</b>\n'],
  ])('are listed once after the body of a wiki page, numbered, each reference a superscript, with %s', (_, html) => {
    const body = `## Summary\n\nA flag[^z] here.\n\n${html}\n## Discussion\n\nAnother[^a].\n\n[^a]: Second.\n[^z]: First.\n\n## Contacts / References\n\n- x\n`;
    const config = testConfig();
    const advisory = { ...fixtureAdvisory('OSSN-0100.md', config), body: parseMarkdownWithPositions(body) };
    const page = renderWikiPage(advisory, { config, now: testNow, preview: false, all: [] });
    expect(page).toContain('A flag<sup>&#91;1&#93;</sup> here.');
    expect(page).toContain('Another<sup>&#91;2&#93;</sup>.');
    const footnotes = page.indexOf('== Footnotes ==\n\n# First.\n# Second.');
    expect(footnotes).toBeGreaterThan(page.indexOf('== Contacts / References =='));
    expect(footnotes).toBeLessThan(page.indexOf('== Remediation checklist =='));
    expect(page).not.toMatch(/user-content|\u21a9/);
  });

  it('stays a footnote on a wiki page when raw HTML sends the body through the sanitizer', () => {
    const wiki = mdastToWikitext(parseMarkdownWithPositions(withRawHtml), { code: 'pre', baseUrl: 'https://security.example.org/advisories/OSSN-0001/' });
    expect(wiki).toContain('A flag<sup>&#91;1&#93;</sup> and a second<sup>&#91;2&#93;</sup>.');
    expect(wiki).not.toMatch(/user-content-fn|\u21a9/);
  });

  it('are left out of a summary, for listings and feeds', () => {
    const advisory = { ...fixtureAdvisory('OSSN-0100.md'), body: parseMarkdownWithPositions(`## Summary\n\n${note}\n## Discussion\n\nMore.\n`) };
    expect(summaryText(advisory)).toBe('A flag and a second.');
    expect(summaryHtml(advisory)).toBe('<p>A flag and a second.</p>');
  });
});
