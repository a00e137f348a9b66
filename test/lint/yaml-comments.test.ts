/**
 * An unquoted ` #` starts a YAML comment: `title: Heap overflow in libfoo #2
 * fix` is the title "Heap overflow in libfoo". Lint warns where a comment
 * follows a plain value after one space, at the `#`; a comment meant as one
 * (on its own line, after a quoted value, two spaces or more after the
 * value) is left alone.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';
import { valuesCutByComments } from '../../src/model/yaml-comments.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

/** The note with these front-matter lines after its id (line 2), and its yaml-comment-in-value findings. */
function cuts(lines: string[]) {
  const text = ['---', 'id: OSSN-0001', ...lines, '---', '', '## Summary', '', 'Text.', ''].join('\n');
  const note = parseNote('notes/OSSN-0001.md', text, { config, now });
  const found = lintNote(note, config, now).filter((m) => m.ruleId === 'yaml-comment-in-value');
  return { note, found: found.map(({ line, column, endLine, endColumn, severity, message, hint }) => ({ line, column, endLine, endColumn, severity, message, hint })) };
}

const rest = ['date: 2024-01-01', 'status: draft', 'lists: [announce]'];

describe('yaml-comment-in-value', () => {
  it('warns at the "#" of a title cut short, says what was read and dropped, and shows the value quoted', () => {
    const { note, found } = cuts(['title: Heap overflow in libfoo #2 fix', ...rest]);
    expect(note.advisory?.title).toBe('Heap overflow in libfoo');
    expect(found).toEqual([
      {
        line: 3,
        column: 32,
        endLine: 3,
        endColumn: 38,
        severity: 'warning',
        message: '"title" is read as "Heap overflow in libfoo": the "#2 fix" after it is a YAML comment (a "#" after a space starts one), and was dropped',
        hint: 'Quote the value if the "#" belongs to it: title: "Heap overflow in libfoo #2 fix". If it is a comment, put it on a line of its own (or two spaces after the value).',
      },
    ]);
  });

  it('names a list item and a nested field, each at its "#"', () => {
    const { found } = cuts(['title: An example', ...rest, 'tags:', '  - libfoo #2', 'affects:', '  - product: Foo #bar', '    ecosystem: generic']);
    expect(found.map(({ line, column, message, hint }) => ({ line, column, message, hint }))).toEqual([
      { line: 8, column: 12, message: expect.stringMatching(/^"tags\[0\]" is read as "libfoo": the "#2" after it/), hint: expect.stringContaining('belongs to it: - "libfoo #2".') },
      { line: 10, column: 18, message: expect.stringMatching(/^"affects\[0\]\.product" is read as "Foo": the "#bar"/), hint: expect.stringContaining('belongs to it: product: "Foo #bar".') },
    ]);
  });

  it('warns at the last line of a value on several lines, without a quoted line to copy', () => {
    const { found } = cuts(['title: A title written', '  on two lines #2', ...rest]);
    expect(found).toMatchObject([{ line: 4, column: 16, message: expect.stringContaining('"title" is read as "A title written on two lines"'), hint: 'Quote the value if the "#" belongs to it. If it is a comment, put it on a line of its own (or two spaces after the value).' }]);
  });

  it('says nothing of a comment on a line of its own, after a quoted value, after two spaces or a tab, or after no value', () => {
    const { note, found } = cuts([
      '# A comment on its own line.',
      'title: "Heap overflow in libfoo" #2 fix',
      "date: '2024-01-01' # quoted",
      'status: draft  # two spaces: a comment meant as one',
      'lists:\t# a tab',
      '  - announce\t# a tab',
      'tags: [a, b] # a flow list',
      'aliases:',
      '  # on its own line, indented',
      '  - OSSN-0000',
    ]);
    expect(note.advisory?.title).toBe('Heap overflow in libfoo');
    expect(found).toEqual([]);
    // No value, a "#" with no space before it, a block scalar's header: nothing was cut.
    expect(valuesCutByComments('\ncredits: # none yet\nseverity: high#x\nrun: | #c\n  text #d\n')).toEqual([]);
  });

  it('reads the YAML as written and does not run it: the comment is found in the concrete syntax tree, not in quoted text', () => {
    expect(valuesCutByComments('\ntitle: "a #b"\nbody: \'c #d\'\n')).toEqual([]);
    expect(valuesCutByComments('\n"quoted key": e #f\n')).toEqual([{ field: 'quoted key', read: 'e', comment: '#f', meant: 'e #f', at: { line: 2, column: 17, endLine: 2, endColumn: 19 } }]);
  });
});
