/** A footnote no reference names is dropped from the page and the mail: lint says so, at the footnote. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const note = (body: string) => `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\n---\n\n## Summary\n\n${body}\n`;

function footnoteMessages(body: string) {
  const config = defaultConfig();
  const now = new Date('2024-02-01T00:00:00Z');
  return lintNote(parseNote('notes/OSSN-0001.md', note(body), { config, now }), config, now).filter((m) => m.ruleId === 'footnote-unused');
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
