/**
 * The reader of `shell-syntax.ts` against dash, `/bin/sh` on Debian: on
 * commands made at random (seeded, so the same each run), a command the
 * reader says is never closed is one `dash -n` refuses too.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unclosedShellConstruct } from '../../src/lint/shell-syntax.ts';

/** Pieces of shell joined at random: mostly commands sh refuses, with every opener and closer the reader follows. */
const pieces = fc
  .array(fc.constantFrom("'", '"', '`', '$(', '${', ')', '}', '(', '\\', '#', ' ', ';', '\n', 'echo', 'a', '$x', '$$', "'\\''", 'case a in ', ';;', ' esac'), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Commands sh reads (lists, subshells, groups, `case`, `if`, quotes, `$(…)`, backquotes, `${x:-…}`, `$((…))`, comments), then up to two edits: a character taken out, or an opener or closer put in. */
const { list } = fc.letrec<{ list: string; command: string; word: string; part: string }>((tie) => ({
  list: fc
    .array(fc.tuple(tie('command'), fc.constantFrom('; ', ' && ', ' || ', ' | ', ' & ', '\n')), { minLength: 1, maxLength: 3 })
    .map((commands) => commands.map(([command, separator], k) => (k < commands.length - 1 ? command + separator : command)).join('')),
  command: fc.oneof(
    { maxDepth: 2, depthSize: 'xsmall' },
    { weight: 5, arbitrary: fc.array(tie('word'), { maxLength: 3 }).map((words) => ['echo', ...words].join(' ')) },
    tie('list').map((inner) => `(${inner})`),
    tie('list').map((inner) => `{ ${inner}; }`),
    fc.tuple(tie('word'), tie('list'), tie('list')).map(([subject, a, b]) => `case ${subject} in a) ${a};; (b|c) ${b};; esac`),
    fc.tuple(tie('list'), tie('list')).map(([test, body]) => `if ${test}; then ${body}; fi`),
    tie('list').map((test) => `while ${test}; do :; done`),
    tie('word').map((word) => `echo ${word} # it's ( $( "\n:`),
  ),
  word: fc.array(tie('part'), { minLength: 1, maxLength: 2 }).map((parts) => parts.join('')),
  part: fc.oneof(
    { maxDepth: 2, depthSize: 'xsmall' },
    { weight: 4, arbitrary: fc.constantFrom('a', 'echo', 'x=1', '$x', '$$', '$#', '${x}', '$?', "\\'", '\\"', '\\(', '{', '}', 'in', 'esac', 'fi', 'a#') },
    fc.constantFrom("'it'", "'a\"b'", "'$('", "'`'", "'\\'"),
    tie('part').map((part) => `"${part.replace(/"/g, '\\"')}"`),
    tie('list').map((inner) => `$(${inner})`),
    tie('list').map((inner) => `\`${inner.replace(/[\\`$]/g, (char) => `\\${char}`)}\``),
    tie('word').map((word) => `\${x:-${word}}`),
    fc.constantFrom('$((1 + 2))', '$(( (1) * 2 ))'),
  ),
}));
const edited = fc
  .tuple(list, fc.array(fc.tuple(fc.nat(), fc.constantFrom('', "'", '"', '`', '(', ')', '$(', '${', '}', ';;', '\\', '#', ' ', 'case a in ', ' esac', '$$', '\n')), { maxLength: 2 }))
  .map(([command, edits]) =>
    edits.reduce((text, [at, insert]) => {
      const k = at % (text.length + 1);
      return text.slice(0, k) + insert + text.slice(insert === '' ? k + 1 : k);
    }, command),
  );

describe('the reader of a command never closed, against dash', () => {
  it('refuses only commands dash -n refuses, on commands made at random', () => {
    const commands = [...new Set([...fc.sample(pieces, { numRuns: 250, seed: 7 }), ...fc.sample(edited, { numRuns: 350, seed: 7 })])].filter((command) => command.length < 400);
    // One shell judges them all: dash -n for each, in a loop, prints 0 where it reads the command.
    const verdicts = spawnSync('/bin/sh', ['-c', 'for c in "$@"; do if dash -n -c "$c" 2>/dev/null; then echo 0; else echo 1; fi; done', 'sh', ...commands], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    expect(verdicts).toHaveLength(commands.length);
    const refused = commands.filter((command) => unclosedShellConstruct(command) !== undefined);
    const readByDash = commands.filter((_, index) => verdicts[index] === '0');
    // Enough of each for the comparison to mean something.
    expect(refused.length).toBeGreaterThan(100);
    expect(readByDash.length).toBeGreaterThan(100);
    expect(readByDash.filter((command) => unclosedShellConstruct(command) !== undefined)).toEqual([]);
  });
});
