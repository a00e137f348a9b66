/** The `credits` field, and what a note hears about a mistake inside an entry that may be a name or a mapping. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';

const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
const now = new Date('2026-01-15T12:00:00Z');
const template = readFileSync(path.resolve(import.meta.dirname, '../../notes/OSSN-0002.md'), 'utf8');

function load(credits: string) {
  const text = template.replace(/^severity: .*$/m, (line) => `${line}\ncredits:\n${credits}`);
  const first = text.split('\n').indexOf('credits:') + 2;
  const note = parseNote('notes/OSSN-0002.md', text, { config, now });
  return { advisory: note.advisory, messages: note.messages.map((m) => [m.line - first, m.column, m.ruleId, m.message]) };
}

it('reads a name, or a name with affiliation and type', () => {
  const { advisory, messages } = load('  - Bo Example\n  - { name: Jane Doe, affiliation: Example Labs, type: reporter }');
  expect(messages).toEqual([]);
  expect(advisory?.credits).toEqual([{ name: 'Bo Example' }, { name: 'Jane Doe', affiliation: 'Example Labs', type: 'reporter' }]);
});

it('says what is wrong inside a mapping, not only that its shape is unexpected, and a misspelt required key once', () => {
  // (This config has no mailing lists: the note's `lists` are said to be unknown too, after these.)
  expect(load('  - { name: Jane Doe, type: reported }\n  - { nmae: John }\n  - 5').messages.filter(([, , ruleId]) => ruleId !== 'list-unknown')).toEqual([
    [0, 29, 'schema-type', expect.stringMatching(/^"credits\[0\]\.type" must be one of "finder", "reporter", .* or "other" \(received string "reported"\); did you mean "reporter"\?$/)],
    [1, 7, 'schema-unknown-key', 'Unknown field "nmae" in credits[1]; did you mean "name"?'],
    [2, 5, 'schema-type', '"credits[2]" must be a string or a mapping of fields (received number 5)'],
  ]);
});
