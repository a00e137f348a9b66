/** A relative link in raw HTML: herald does not lead it to a note's page as it does a Markdown link, and a mail cannot follow it. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

describe('raw HTML links', () => {
  it('warns link-relative at a relative href, with the Markdown link to write; a fragment or a full URL is no such link', () => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', '', '## Summary', '', 'Text <a href="OSSN-0002.md">other</a>, <a href="#summary">here</a> and <a href="https://example.org/x">there</a>.', ''].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now).filter((m) => m.ruleId === 'link-relative');
    expect(found.map(({ line, column, message, hint }) => ({ at: `${line}:${column}`, message, hint }))).toEqual([
      {
        at: '11:6',
        message: 'Link "OSSN-0002.md" in raw HTML is relative: an email cannot follow it, and herald does not lead it to a note\'s page as it does a Markdown link',
        hint: "Write it as a Markdown link, [text](OSSN-0002.md) (herald leads a link to another note's file to that note's page), or write its full URL.",
      },
    ]);
  });
});
