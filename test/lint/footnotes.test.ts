/**
 * A footnote no reference names is dropped from the page and the mail: lint
 * says so, at the footnote. A bracketed number in a note with footnotes reads
 * like one of their marks in the mail and the wiki: lint says so, at the number.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const note = (body: string) => `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\n---\n\n## Summary\n\n${body}\n`;

function footnoteMessages(body: string, ruleId = 'footnote-unused') {
  const config = defaultConfig();
  const now = new Date('2024-02-01T00:00:00Z');
  return lintNote(parseNote('notes/OSSN-0001.md', note(body), { config, now }), config, now).filter((m) => m.ruleId === ruleId);
}

describe('footnote-unused', () => {
  it('points at a footnote no reference names', () => {
    expect(footnoteMessages('A claim[^1].\n\n[^1]: Cited.\n[^Later]: Never cited.\n')).toEqual([
      expect.objectContaining({ line: 13, column: 1, severity: 'warning', message: 'Footnote [^Later] is never referenced: the page and the mail leave it out', hint: 'Refer to it as [^Later] where it belongs in the text, or remove it.' }),
    ]);
  });

  it('says nothing when every footnote is referenced, by any spelling of its label, even from another footnote', () => {
    expect(footnoteMessages('A claim[^NOTE] and [^two].\n\n[^note]: Cited, see [^three].\n[^two]: Cited.\n[^three]: Cited by a footnote.\n')).toEqual([]);
  });
});

describe('footnote-lookalike', () => {
  const lookalikes = (body: string) => footnoteMessages(body, 'footnote-lookalike');

  it('points at each bracketed number in the text of a note with footnotes', () => {
    expect(lookalikes('As the vendor says [2], see *also [3] and [3]* here[^src].\n\n[^src]: The vendor, [4].\n')).toEqual([
      expect.objectContaining({ line: 10, column: 20, severity: 'warning', message: '"[2]" reads like footnote 2 in the mail and the wiki, which mark this note\'s footnotes as [1], [2]', hint: 'Make it a footnote ([^2] and its definition), or reword it, e.g. "source 2".' }),
      expect.objectContaining({ line: 10, column: 35 }),
      expect.objectContaining({ line: 10, column: 43 }),
      expect.objectContaining({ line: 12, column: 21 }),
    ]);
  });

  it('finds the number on its own line of a paragraph, after an escape, and after a bare URL', () => {
    expect(lookalikes('A claim[^1].\nSecond \\* line [7].\n\n[^1]: Cited.\n')).toEqual([expect.objectContaining({ line: 11, column: 16 })]);
    expect(lookalikes('Cited[^1] at https://example.org/list [2].\n\n[^1]: Cited.\n')).toEqual([expect.objectContaining({ line: 10, column: 39 })]);
  });

  it('says nothing without footnotes, in code, or for links and footnote references', () => {
    expect(lookalikes('Listed as [2] by the vendor.\n')).toEqual([]);
    expect(lookalikes('Run `echo [2]` once[^1], then see [the list][2].\n\n[^1]: Cited.\n\n[2]: https://example.org/\n\n```sh\necho [3]\n```\n')).toEqual([]);
  });
});
