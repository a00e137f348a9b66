/**
 * The reader of `shell-syntax.ts` against dash, `/bin/sh` on Debian: on
 * commands made at random (seeded, so the same each run), a command the
 * reader says is never closed is one `dash -n` refuses too; and the reading
 * of a `${…}` it lends `bash-only-syntax.ts` says a bash `${…}` where dash,
 * running the command, stops with "Bad substitution", and where bash runs it.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bashOnlyConstructs } from '../../src/lint/bash-only-syntax.ts';
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

/**
 * `x=abc; echo ${x OP WORD}…`, in double quotes or not, with an operator
 * that expands its word when x is set (dash stops on a bad substitution only
 * where it expands it). The words hold `${…}` that POSIX defines, that bash
 * alone has, and that neither reads (a `$` right after the name), nested in
 * one another and in quotes, with single quotes and `}` among them.
 */
const expanded = (word: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom(':+', '+', '#', '%'), word, fc.boolean()).map(([operator, inner, quoted]) => (quoted ? `"\${x${operator}${inner}}"` : `\${x${operator}${inner}}`));
const { word: parameterWord } = fc.letrec<{ word: string }>((tie) => ({
  word: fc.oneof(
    { maxDepth: 3, depthSize: 'xsmall' },
    { weight: 3, arbitrary: fc.constantFrom('a', '$x', '}', "'", '"', '\\}', '${x}', '${#x}', '${x:0:1}', '${!x}', '${x$x}', '$(echo })', "'${x:0:1}'", "'}'") },
    tie('word').map((word) => `"${word}"`),
    expanded(tie('word')),
    fc.tuple(tie('word'), tie('word')).map(([a, b]) => a + b),
  ),
}));
const parameterCommand = fc.array(expanded(parameterWord), { minLength: 1, maxLength: 2 }).map((words) => `x=abc; echo ${words.join(' ')}`);

describe("the reading of ${…} the bash-only check shares, against dash and bash", () => {
  it('says a bash ${…} where dash stops with "Bad substitution" and bash runs the command, and only where dash stops, on commands made at random', () => {
    const commands = [...new Set(fc.sample(parameterCommand, { numRuns: 400, seed: 7 }))].filter((command) => unclosedShellConstruct(command) === undefined);
    // One shell runs them all (they only echo), and prints for each: - where dash refuses it, 1 where it stops with "Bad substitution", else 0; then 1 where bash fails, else 0.
    const script = 'for c in "$@"; do d=$(dash -c "$c" 2>&1 >/dev/null); case $d in *"Syntax error"*) d=-;; *"Bad substitution"*) d=1;; *) d=0;; esac; bash -c "$c" >/dev/null 2>&1 && echo "${d}0" || echo "${d}1"; done';
    const verdicts = spawnSync('/bin/sh', ['-c', script, 'sh', ...commands], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(verdicts).toHaveLength(commands.length);
    const saysBadSubstitution = (command: string) => bashOnlyConstructs(command).some((construct) => construct.problem.includes('Bad substitution'));
    const stoppedBashRuns = commands.filter((_, index) => verdicts[index] === '10');
    const dashRuns = commands.filter((_, index) => verdicts[index]!.startsWith('0'));
    // Enough of each for the comparison to mean something.
    expect(stoppedBashRuns.length).toBeGreaterThan(50);
    expect(dashRuns.length).toBeGreaterThan(50);
    expect(stoppedBashRuns.filter((command) => !saysBadSubstitution(command))).toEqual([]);
    expect(dashRuns.filter(saysBadSubstitution)).toEqual([]);
  });
});
