/** Forms a note gets wrong: one value where a list is wanted, an image the site cannot serve. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

describe('one value where a list is wanted', () => {
  it('shows the same value written as a list', () => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'cve: CVE-2014-0160', 'aliases: "GHSA: x"', '---', '', '## Summary', ''].join('\n');
    const found = parseNote('notes/OSSN-0001.md', text, { config, now }).messages.map(({ line, hint }) => ({ line, hint }));
    expect(found).toEqual([
      { line: 6, hint: 'Write it as a list, even of one: cve: [CVE-2014-0160].' },
      { line: 7, hint: 'Write it as a list, even of one: aliases: ["GHSA: x"].' },
    ]);
  });
});

describe('images', () => {
  it('warns about a relative image (Markdown or raw HTML) and refuses one over http, at their places', () => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', '', '## Summary', '', 'See ![the flow](flow.png), <img src="x.svg" alt="raw">, ![ok](https://example.org/a.png) and ![old](http://example.org/b.png).', ''].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now)
      .filter((m) => m.ruleId === 'image-relative' || m.ruleId === 'url-not-https')
      .map(({ ruleId, message, line, column }) => ({ ruleId, message, line, column }));
    expect(found).toEqual([
      { ruleId: 'image-relative', message: 'Image "flow.png" is relative: herald publishes no file beside a note, so the page and the wiki would show it broken (the mail shows its alt text)', line: 11, column: 5 },
      { ruleId: 'image-relative', message: 'Image "x.svg" is relative: herald publishes no file beside a note, so the page and the wiki would show it broken (the mail shows its alt text)', line: 11, column: 28 },
      { ruleId: 'url-not-https', message: 'Link "http://example.org/b.png" is not https', line: 11, column: 94 },
    ]);
  });
});
