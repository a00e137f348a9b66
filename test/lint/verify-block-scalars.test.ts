/**
 * A verify command written as a YAML block scalar (`run: |`, `run: >`, with
 * an indentation indicator and chomping or not): lint points at the line and
 * column of the construct inside the block, on an LF file as on a CRLF one.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

/** A note whose `verify:` holds one entry with the block `run` given (line 9 is its `run:` line). */
const note = (run: string[], eol = '\n') =>
  ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'verify:', '  - id: motd', ...run, '    expect: { exit: 0 }', '---', '', '## Summary', '', 'Text.', ''].join(eol);

/** Where lint places each verify-command message, and what the command reads as. */
const places = (run: string[], eol?: string) => {
  const parsed = parseNote('notes/OSSN-0001.md', note(run, eol), { config, now });
  const messages = lintNote(parsed, config, now).filter((m) => m.ruleId.startsWith('verify-command'));
  return { command: parsed.advisory?.verify[0]?.run, at: messages.map((m) => `${m.ruleId} ${m.line}:${m.column}`) };
};

describe('a verify command in a block scalar', () => {
  it.each([
    ['literal', ['    run: |', '      test -f /etc/motd', '      [[ -s /etc/motd ]] && echo x'], 'test -f /etc/motd\n[[ -s /etc/motd ]] && echo x\n', 'verify-command-bashism 11:7'],
    ['literal, stripped, with an empty line and a comment', ['    run: |- # two steps', '      test -f /etc/motd', '', '      echo hi &> /dev/null'], 'test -f /etc/motd\n\necho hi &> /dev/null', 'verify-command-bashism 12:15'],
    ['literal, kept, with an indentation indicator', ['    run: |2+', '        echo a', '      [[ -n x ]]'], '  echo a\n[[ -n x ]]\n', 'verify-command-bashism 11:7'],
    ['folded', ['    run: >', '      test -f /etc/motd &&', '      [[ -s /etc/motd ]]'], 'test -f /etc/motd && [[ -s /etc/motd ]]\n', 'verify-command-bashism 11:7'],
    ['folded, stripped, with an empty line and a more-indented line', ['    run: >-', '      echo a', '', '      echo b', '        [[ -n x ]]'], 'echo a\necho b\n  [[ -n x ]]', 'verify-command-bashism 13:9'],
    ['folded, with an indentation indicator and chomping', ['    run: >2-', '        echo a', '      echo b;', '      [[ -n x ]] && echo y'], '  echo a\necho b; [[ -n x ]] && echo y', 'verify-command-bashism 12:7'],
    ['folded, never closed', ['    run: >-', "      grep -c 'don't'", '      /etc/motd'], "grep -c 'don't' /etc/motd", 'verify-command-syntax 10:21'],
  ])('%s: at the line and column of the construct', (_, run, command, at) => {
    expect(places(run)).toEqual({ command, at: [at] });
    expect(places(run, '\r\n'), 'CRLF').toEqual({ command, at: [at] });
  });

  it('is placed at the start of its value where the command is not a block (a quoted text over two lines)', () => {
    expect(places(['    run: "test -f /etc/motd &&', '      [[ -s /etc/motd ]]"'])).toEqual({ command: 'test -f /etc/motd && [[ -s /etc/motd ]]', at: ['verify-command-bashism 9:10'] });
  });
});
