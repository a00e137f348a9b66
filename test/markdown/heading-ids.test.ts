/**
 * A note's headings get GitHub's anchors behind `section-`, and its links
 * to them lead there, whichever HTML path writes the note (the direct
 * writer or the sanitizing pipeline, which raw HTML takes).
 */
import { describe, expect, it } from 'vitest';
import { headingIds, headingSlugs, withHeadingLinks } from '../../src/markdown/heading-ids.ts';
import { mdastToSafeHtml } from '../../src/markdown/html.ts';
import { parseMarkdown, parseMarkdownWithPositions } from '../../src/markdown/parse.ts';

/** The note's HTML by both parsers (the fast one's tree and micromark's), which must agree. */
function html(text: string): string {
  const [fast, reference] = [parseMarkdown(text), parseMarkdownWithPositions(text)].map((tree) => {
    const ids = headingIds(tree);
    return mdastToSafeHtml(withHeadingLinks(tree, ids), ids);
  });
  expect(fast).toBe(reference);
  return reference!;
}

describe('heading ids', () => {
  it('are GitHub slugs: lower case, punctuation dropped, spaces to hyphens, repeats numbered', () => {
    const tree = parseMarkdown('# Heartbleed: the *fix*\n\n## Discussion\n\n## Discussion\n\n> ### Discussion\n\n## Contacts / References\n\n## `nova.conf` and ![a logo](https://x/y.png)\n');
    expect(headingSlugs(tree).map((h) => h.slug)).toEqual(['heartbleed-the-fix', 'discussion', 'discussion-1', 'discussion-2', 'contacts--references', 'novaconf-and-']);
  });

  it('are prefixed, and the note\'s links to its headings (inline or by definition) lead to them', () => {
    expect(html('## Discussion\n\nSee [this section](#discussion) and [that][d].\n\n[d]: #discussion\n')).toBe(
      '<h2 id="section-discussion">Discussion</h2>\n<p>See <a href="#section-discussion">this section</a> and <a href="#section-discussion">that</a>.</p>',
    );
  });

  it('leave other fragments as written: the page\'s ids, and what names no heading', () => {
    expect(html('## Discussion\n\n[top](#details-heading) [gone](#nowhere) [case](#Discussion)\n')).toBe(
      '<h2 id="section-discussion">Discussion</h2>\n<p><a href="#details-heading">top</a> <a href="#nowhere">gone</a> <a href="#Discussion">case</a></p>',
    );
  });

  it('go to Markdown headings only, and raw HTML cannot take one (its ids get the sanitizer\'s prefix)', () => {
    expect(html('<h2 id="section-discussion">Raw</h2>\n\n## Discussion\n\n[here](#discussion)\n')).toBe(
      '<h2 id="user-content-section-discussion">Raw</h2>\n<h2 id="section-discussion">Discussion</h2>\n<p><a href="#section-discussion">here</a></p>',
    );
  });

  it('lead raw HTML\u2019s links to a heading there too (block or inline, quoted either way or not), and leave its other links as written', () => {
    expect(html('## Discussion\n\n<p><a href="#discussion">block</a></p>\n\nSee <a title="x" href=\'#discussion\'>inline</a>, <A HREF=#discussion>bare</A>, <a href="#nowhere">gone</a>, <a href="https://x/#discussion">away</a>.\n')).toBe(
      '<h2 id="section-discussion">Discussion</h2>\n<p><a href="#section-discussion">block</a></p>\n<p>See <a title="x" href="#section-discussion">inline</a>, <a href="#section-discussion">bare</a>, <a href="#nowhere">gone</a>, <a href="https://x/#discussion">away</a>.</p>',
    );
    // Sanitized all the same: a link to a heading keeps nothing the sanitizer drops.
    expect(html('## Discussion\n\n<a href="#discussion" onclick="alert(1)" style="x">here</a>\n')).toBe('<h2 id="section-discussion">Discussion</h2>\n<p><a href="#section-discussion">here</a></p>');
    // An id raw HTML gives keeps its links, as a Markdown link\u2019s: a heading of that anchor comes first.
    expect(html('<a id="here"></a><a href="#here">raw</a>\n\n## Here\n')).toBe('<p><a id="user-content-here"></a><a href="#section-here">raw</a></p>\n<h2 id="section-here">Here</h2>');
  });

  it('leave footnote links to the footnotes', () => {
    const out = html('## Fn 1\n\nText[^1] and [the heading](#fn-1).\n\n[^1]: A note.\n');
    expect(out).toContain('<h2 id="section-fn-1">Fn 1</h2>');
    expect(out).toContain('<a href="#user-content-fn-1" id="user-content-fnref-1"');
    expect(out).toContain('<a href="#section-fn-1">the heading</a>');
  });
});
