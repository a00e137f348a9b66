/**
 * A `#fragment` link must name a heading of the note (as GitHub's preview
 * names it) or an id its page always has: lint warns at the link, with the
 * heading it most likely meant.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const note = (body: string, frontMatter = '') =>
  `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\n${frontMatter}---\n\n## Summary\n\n${body}\n\n## Discussion\n\nText.\n\n## Discussion\n\n### Nova's \`api-paste.ini\`\n`;

function anchorMessages(body: string, frontMatter = '') {
  const config = defaultConfig();
  const now = new Date('2024-02-01T00:00:00Z');
  return lintNote(parseNote('notes/OSSN-0001.md', note(body, frontMatter), { config, now }), config, now).filter((m) => m.ruleId === 'link-anchor-unknown');
}

describe('link-anchor-unknown', () => {
  it('points at a link to no heading, with the one it likely meant', () => {
    expect(anchorMessages('See [the discussion](#discusion) and [the other][o].\n\n[o]: #Discussion-1')).toEqual([
      expect.objectContaining({
        line: 10,
        column: 5,
        severity: 'warning',
        message: 'Link to "#discusion" leads nowhere: no heading of this note, nor the page around it, has that anchor; did you mean #discussion (the heading "Discussion")?',
        hint: expect.stringMatching(/^The note's headings are #summary, #discussion, #discussion-1, #novas-api-pasteini\. A heading's anchor is its text in lower case/),
      }),
      expect.objectContaining({ line: 12, column: 1, message: expect.stringContaining('"#Discussion-1" leads nowhere') }),
    ]);
  });

  it('says nothing of links to headings, repeated ones too, or to the page\u2019s own ids', () => {
    expect(anchorMessages('[a](#discussion) [b](#discussion-1) [c](#novas-api-pasteini) [d](#summary) [e](#details-heading) [f](#top) [g](#original)')).toEqual([]);
    expect(anchorMessages('[the update](#update-1)', 'revisions:\n  - date: 2024-01-10\n    summary: Fixed.\n')).toEqual([]);
    expect(anchorMessages('[the second update](#update-2)', 'revisions:\n  - date: 2024-01-10\n    summary: Fixed.\n')).toHaveLength(1);
  });

  it('says nothing of a heading linked by the id herald gives it on the page, and suggests that form for a typo in it', () => {
    expect(anchorMessages('[a](#section-discussion) [b](#section-discussion-1) [c](#section-novas-api-pasteini)')).toEqual([]);
    expect(anchorMessages('[a](#section-discusion)')).toEqual([
      expect.objectContaining({ line: 10, column: 1, message: 'Link to "#section-discusion" leads nowhere: no heading of this note, nor the page around it, has that anchor; did you mean #section-discussion (the heading "Discussion")?' }),
    ]);
  });

  it('says nothing of footnotes and of ids raw HTML gives', () => {
    expect(anchorMessages('A claim[^1], [its note](#fn-1), <a id="here"></a>[here](#here), <a href="#here">raw</a>.\n\n[^1]: Cited.')).toEqual([]);
  });

  it('checks raw HTML\u2019s links as Markdown\u2019s, which lead to a heading all the same', () => {
    expect(anchorMessages('<p><a href="#discussion">fine</a></p>\n\nSee <a href="#discusion">raw</a>.')).toEqual([
      expect.objectContaining({ line: 12, column: 5, message: expect.stringContaining('Link to "#discusion" leads nowhere: no heading of this note, nor the page around it, has that anchor; did you mean #discussion') }),
    ]);
  });
});
