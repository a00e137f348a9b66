/**
 * Bash-only syntax in a verify command, which dash (`/bin/sh` on Debian and
 * Ubuntu) refuses or reads otherwise: said only where dash itself shows it,
 * never of a command dash reads as bash does. `checkbashisms` (devscripts)
 * judges too where installed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { bashOnlyConstructs } from '../../src/lint/bash-only-syntax.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';
import { missingShared, missingTools, sharedDir } from '../support/system.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');
const folder = temporaryFolders();

/** Commands that do nothing harmful when run, each with the construct said and where it starts. */
const bashOnly: [string, string, number][] = [
  ['[[ -n "$HOME" ]] && echo yes', '[[', 0],
  ['if [[ $(uname -s) == Linux ]]; then echo l; else echo o; fi', '[[', 3],
  ['[ "$(uname -s)" == Linux ] && echo l', '==', 16],
  ['test 1 == 1 && echo same', '==', 7],
  ['echo "$(test a == a && echo same)"', '==', 15],
  ['function f { echo hi; }; f', 'function', 0],
  ['cat <(echo a) | wc -l', '<(', 4],
  ['echo hi > >(cat)', '>(', 10],
  ["printf '%s' $'a\\tb'", "$'", 12],
  ['a=(one two); echo "$a"', 'a=(', 0],
  ['x=abcdef; echo "${x:0:3}"', '${x:0:3}', 16],
  ['x=a-b; echo "${x//-/_}"', '${x//-/_}', 13],
  ['x=HOME; echo "${!x}"', '${!x}', 14],
  ['x=abc; echo "${x^^}"', '${x^^}', 13],
  ['echo hi &> /dev/null', '&>', 8],
  ['cat <<< hi', '<<<', 4],
  ['echo hi |& cat', '|&', 8],
  ['echo `[[ -n x ]] && echo y`', '[[', 6],
  ['case "$(uname -s)" in Linux) [[ -d /proc ]] && echo l;; *) echo o;; esac', '[[', 29],
  ['ls -d /etc{,/} 2>/dev/null', '{,/}', 10],
  ['for i in {1..3}; do echo $i; done', '{1..3}', 9],
  ["echo a{b,'c d'}e", "{b,'c d'}", 6],
  ["echo -e 'a\\tb'", 'echo -e', 5],
  ['echo "$(echo -E a)"', 'echo -E', 13],
  ['source /dev/null && echo ok', 'source', 0],
  ['let x=1+2; echo $x', 'let', 0],
  ['declare x=1; echo $x', 'declare', 0],
  ['typeset x=1; echo $x', 'typeset', 0],
  // dash reads `((1 == 1))` as two subshells running the command `1`, which is not found.
  ['((1 == 1)) && echo y', '((', 0],
  ['if ((1 + 1 == 2)); then echo y; fi', '((', 3],
  ['x=$( ((1)) && echo y); echo "$x"', '((', 5],
  // dash has no C-style for: "Syntax error: Bad for loop variable".
  ['for (( i=0; i<3; i++ )); do echo $i; done', 'for ((', 0],
  ['if true; then for((i=0;i<3;i++)); do echo $i; done; fi', 'for ((', 14],
  // dash prints `$[1+1]` as written.
  ['echo $[1+1]', '$[', 5],
  ['echo "$[1+1]"', '$[', 6],
  // dash has no RANDOM: it prints an empty line.
  ['echo $RANDOM', '$RANDOM', 5],
  ['echo "${RANDOM}"', '${RANDOM}', 6],
  // In $((…)) dash reads RANDOM as an unset variable, 0 (bash, seeded with 1, gives 16807).
  ['RANDOM=1; echo $(( RANDOM ))', 'RANDOM', 19],
  ['RANDOM=1; echo "$((1 + $RANDOM))"', '$RANDOM', 23],
  ['RANDOM=1; echo $((${RANDOM}))', '${RANDOM}', 18],
  // In a ${…} in double quotes, dash takes a single quote as text (bash as a quote), and so reads what is between.
  ["echo \"${TOKEN:-'$RANDOM'}\"", '$RANDOM', 16],
  ["x=abc; echo \"${y:-'${x:0:1}'}\"", '${x:0:1}', 19],
  // dash opens the file named "/etc/hostname{,}"; bash stops with "ambiguous redirect".
  ['wc -c < /etc/hostname{,}', '{,}', 21],
];

/** POSIX commands dash reads and runs as bash does, with the characters the rule looks for where they mean something else (they are run: nothing in them writes a file). */
const posix = [
  '[ "$(uname -s)" = Linux ] && echo l',
  '[ a = "==" ] || echo n',
  '[ -n == ] && echo y',
  'test "$HOME" != / || echo root',
  'f() { echo hi; }; f',
  "grep -c '[[:space:]]$' /etc/hostname; tr -d '[[:space:]]' </etc/hostname",
  "awk '$1 == \"guest\"' /etc/hostname | wc -l",
  'echo "${HOME:-/}" "${HOME#/}" "${#HOME}" "${HOME%%/*}" ${1-} "$@" ${10} ${!}',
  'ls / >/dev/null 2>&1 && echo ok',
  'case "$(uname -s)" in (Linux) echo l;; *) echo o;; esac',
  '(cd /etc && ls) | wc -l',
  'for f in /etc/*.conf; do [ -r "$f" ] && echo "$f"; done | wc -l',
  'echo $((1 + 2)) "$(( 3 * (1 + 1) ))"',
  "x=$(printf 'a\\tb') && echo \"$x\"",
  "echo 'function f { }' '[[ a ]]' \"<(x) $'y\" a\\&\\> b",
  "find /etc -maxdepth 1 -name '*.conf' -exec grep -l x {} + 2>/dev/null | wc -l",
  'echo x | { read -r line; echo "$line"; }',
  "cat <<EOF\n[[ it's ]]\nEOF",
  // Braces bash leaves as they are: quoted, escaped, a parameter's, without a comma or a sequence, in an assignment.
  "echo '{a,b}' \"{a,b}\" \\{a,b} {a\\,b} ${HOME}x {} {a} a{b}c x{1..} '{1..3}'",
  "find /etc -maxdepth 0 -exec echo {} \\; && awk '{print $1, $2}' /etc/hostname",
  'x={a,b}; echo "$x"',
  'f() { local x=1; echo "$x"; }; f',
  'echo -n a; echo x -e; echo "-"',
  // Nested subshells, as bash reads them too; `$((…))`; `((`, `$[`, `$RANDOM` and braces as text: quoted, escaped, in a comment.
  '( (echo a) ) && echo "$(( (1) + 1 ))" $((2))',
  '((echo b); (echo c)) | wc -l',
  "echo '((1))' \"((1))\" '$[1]' '$RANDOM' '${RANDOM}' $RANDOMX # ((1)) $[1] $RANDOM",
  'echo \\$RANDOM \\$[1] $$RANDOM | tr -d 0-9',
  // Names that only start like RANDOM, and RANDOM in $((…)) as text: quoted, escaped.
  "echo $(( RANDOM_SEED + 1 )) $((x_RANDOM)) $(( ${RANDOM_SEED:-2} )) '$(( RANDOM ))' \"\\$(( RANDOM ))\"",
  'cat <"/etc/hostname{a,b}" || cat <\\{a,b} || echo none # >x{a,b}',
];

/** Every `run` of the bundled notes, and the console commands of the shared OSSN corpus. */
function commandsNotesAreWrittenWith(): string[] {
  const notes = path.resolve(import.meta.dirname, '../../notes');
  const runs = readdirSync(notes)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => parseNote(`notes/${name}`, readFileSync(path.join(notes, name), 'utf8'), { config, now }).advisory?.verify.map((entry) => entry.run) ?? [])
    .filter((run): run is string => run !== undefined);
  expect(runs.length).toBeGreaterThan(10);
  if (missingShared()) return runs;
  const corpus = path.join(sharedDir, 'corpus', 'ossn');
  const consoleLines = readdirSync(corpus).flatMap((name) => [...readFileSync(path.join(corpus, name), 'utf8').matchAll(/^\s*\$ (.+)$/gm)].map((match) => match[1]!));
  return [...runs, ...consoleLines];
}

/** How a shell reads and runs the command: its syntax check, or its output and status. */
function outcome(shell: string, command: string): string {
  const check = spawnSync(shell, ['-n', '-c', command], { encoding: 'utf8' });
  if (check.status !== 0) return `refused: ${check.status}`;
  const run = spawnSync(shell, ['-c', command], { encoding: 'utf8', timeout: 10_000 });
  return `${run.status} ${run.stdout}`;
}

describe('bash-only syntax', () => {
  it('is found where it starts, in commands dash refuses or runs otherwise than bash', () => {
    for (const [command, construct, index] of bashOnly) {
      expect(bashOnlyConstructs(command).map((found) => [found.construct, found.index]), command).toEqual([[construct, index]]);
      expect(outcome('dash', command), command).not.toBe(outcome('bash', command));
    }
  });

  it('is never said of a POSIX command, nor of one the notes are written with', () => {
    for (const command of [...posix, ...commandsNotesAreWrittenWith()]) {
      expect(bashOnlyConstructs(command), command).toEqual([]);
      expect(spawnSync('dash', ['-n', '-c', command]).status, command).toBe(0);
    }
  });

  it('is never said of a command dash runs as bash does', () => {
    for (const command of posix) expect(outcome('dash', command), command).toBe(outcome('bash', command));
  });

  const reason = missingTools('checkbashisms');
  it.skipIf(!!reason)(`agrees with checkbashisms${reason ? ` (${reason})` : ''}`, async () => {
    const dir = await folder('herald-bashisms-');
    // checkbashisms misses an array's assignment, `==` and `echo -E` in "$(…)", RANDOM as a name in $((…)), and what single quotes
    // hold in a "${…}", which dash shows (above).
    const said = bashOnly
      .map(([command]) => command)
      .filter((command) => !command.startsWith('a=(') && !command.startsWith('echo "$(') && !command.includes('$(( RANDOM') && !command.includes(":-'$"));
    // It takes the text "==" that `[ -n == ]` tests for bash's `==`, braces in an assignment for an expansion, nested subshells written `((…); (…))`
    // for an arithmetic command, and an escaped `\$RANDOM` and `\$[`, and `$$RANDOM`, for the bash ones; dash reads all of them as bash does (above).
    const misread = new Set(['[ -n == ] && echo y', 'x={a,b}; echo "$x"', '((echo b); (echo c)) | wc -l', 'echo \\$RANDOM \\$[1] $$RANDOM | tr -d 0-9']);
    const clean = [...posix, ...commandsNotesAreWrittenWith()].filter((command) => !misread.has(command));
    const files = [...said, ...clean].map((_, index) => path.join(dir, `${index}.sh`));
    await Promise.all([...said, ...clean].map((command, index) => writeFile(files[index]!, `#!/bin/sh\n${command}\n`)));
    const report = spawnSync('checkbashisms', files, { encoding: 'utf8' }).stderr;
    const flagged = (file: string) => report.includes(`in ${file} line`);
    expect(said.filter((_, index) => !flagged(files[index]!))).toEqual([]);
    expect(clean.filter((_, index) => flagged(files[said.length + index]!))).toEqual([]);
  });
});

describe('lint', () => {
  const note = (verify: string[]) =>
    ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'verify:', ...verify, '---', '', '## Summary', '', 'Text.', ''].join('\n');
  const found = (verify: string[]) =>
    lintNote(parseNote('notes/OSSN-0001.md', note(verify), { config, now }), config, now)
      .filter((m) => m.ruleId.startsWith('verify-command'))
      .map(({ ruleId, line, column, severity, message, hint }) => ({ ruleId, at: `${line}:${column}`, severity, message, hint }));

  it('points at each construct, says what dash does with it and what to write instead', () => {
    expect(found(['  - id: conf-present', '    run: if [[ -f /etc/nova/nova.conf ]]; then echo yes; fi &> /dev/null', '    expect: { exit: 0 }'])).toEqual([
      {
        ruleId: 'verify-command-bashism',
        at: '9:13',
        severity: 'error',
        message:
          'The command of "conf-present" uses [[ at character 4 ("if [[ -f /etc/nova/nova…"), which only bash has: dash, /bin/sh on Debian and Ubuntu, has no [[ ]]: it runs a command named "[[", which is not found (exit status 127)',
        hint: 'Write it for POSIX sh: write [ ... ] with = (not ==), and join two tests with && or || between [ ] ([ A ] && [ B ]); match a pattern with case.',
      },
      {
        ruleId: 'verify-command-bashism',
        at: '9:61',
        severity: 'error',
        message:
          "The command of \"conf-present\" uses &> at character 52 (\"…; then echo yes; fi &> /dev/null\"), which only bash has: dash, /bin/sh on Debian and Ubuntu, runs the command before it in the background and only empties the file: the output is not redirected, and the exit status is 0 whatever the command's",
        hint: 'Write it for POSIX sh: write >FILE 2>&1 instead.',
      },
    ]);
  });

  it('says what dash does with a brace expansion and a command it has not, and what to write instead', () => {
    expect(found(['  - id: backup', '    run: source /etc/default/nova && cp /etc/nova/nova.conf /etc/nova/nova.conf{,.bak}', '    expect: { exit: 0 }']).map(({ at, message, hint }) => ({ at, message, hint }))).toEqual([
      {
        at: '9:10',
        message: 'The command of "backup" uses source at character 1 ("source /etc/default/…"), which only bash has: dash, /bin/sh on Debian and Ubuntu, has no source: it stops that command with "source: not found" (exit status 127)',
        hint: 'Write it for POSIX sh: write . FILE instead.',
      },
      {
        at: '9:80',
        message:
          'The command of "backup" uses {,.bak} at character 71 ("… /etc/nova/nova.conf{,.bak}"), which only bash has: dash, /bin/sh on Debian and Ubuntu, does no brace expansion: it passes the word as written, braces and all ("/etc/nova/nova.conf{,.bak}")',
        hint: 'Write it for POSIX sh: write each word out (cp FILE FILE.bak), or list them in a for loop; count with seq or a while loop.',
      },
    ]);
  });

  it('says what dash does with (( )), $RANDOM, braces in a file name and $[ ], and what to write instead', () => {
    const said = found(['  - id: token', '    run: ((1)) && echo "$RANDOM" > /tmp/token.{a,b} && echo $[1+1]', '    expect: { exit: 0 }']);
    expect(said.map(({ at, message, hint }) => ({ at, message: message.replace(/^.*, which only bash has: dash, \/bin\/sh on Debian and Ubuntu, /, ''), hint }))).toEqual([
      {
        at: '9:10',
        message: 'has no (( )) arithmetic: it runs what is inside as a command, in two subshells',
        hint: 'Write it for POSIX sh: test the value with [ "$((EXPRESSION))" -ne 0 ], and assign it with NAME=$((EXPRESSION)).',
      },
      {
        at: '9:25',
        message: 'has no $RANDOM: it is empty, so every run gets the same value',
        hint: "Write it for POSIX sh: make a number with awk 'BEGIN { srand(); print int(rand() * 32768) }', or read one from /dev/urandom with od -An -N2 -tu2 /dev/urandom.",
      },
      {
        at: '9:47',
        message: 'does no brace expansion: it opens the file named as written, braces and all ("/tmp/token.{a,b}"), where bash stops with "ambiguous redirect"',
        hint: 'Write it for POSIX sh: name the one file; to write to two, pipe through tee: COMMAND | tee FILE1 > FILE2.',
      },
      { at: '9:61', message: 'has no $[…] arithmetic: it passes the text as written ("$[1+1]")', hint: 'Write it for POSIX sh: write $((EXPRESSION)).' },
    ]);
    expect(said[1]!.message).toBe(
      'The command of "token" uses $RANDOM at character 16 ("((1)) && echo "$RANDOM" > /tmp/toke…"), which only bash has: dash, /bin/sh on Debian and Ubuntu, has no $RANDOM: it is empty, so every run gets the same value',
    );
  });

  it('says what a C-style for loop is, that dash has not, and the while loop to write instead', () => {
    expect(found(['  - id: count', '    run: for (( i=0; i<3; i++ )); do echo "$i"; done', '    expect: { exit: 0 }']).map(({ at, message, hint }) => ({ at, message, hint }))).toEqual([
      {
        at: '9:10',
        message:
          'The command of "count" uses for (( at character 1 ("for (( i=0; i<3; i++…"), which only bash has: dash, /bin/sh on Debian and Ubuntu, has no C-style for loop (for (( START; TEST; STEP ))): it stops with a syntax error ("Bad for loop variable")',
        hint: 'Write it for POSIX sh: count with a while loop and $((…)): i=0; while [ "$i" -lt 3 ]; do …; i=$((i+1)); done.',
      },
    ]);
  });

  it('says RANDOM in $((…)) where the name is, as $RANDOM elsewhere, and not a name that only starts like it', () => {
    const said = found(['  - id: dice', '    run: echo $(( RANDOM % 6 )) $(( RANDOM_SEED + $RANDOM ))', '    expect: { exit: 0 }']);
    expect(said.map(({ ruleId, at, message }) => ({ ruleId, at, message: message.replace(/^.*, which only bash has: dash, \/bin\/sh on Debian and Ubuntu, /, '') }))).toEqual([
      { ruleId: 'verify-command-bashism', at: '9:19', message: 'has no RANDOM: in $((…)) it is an unset variable, 0, so every run gets the same value' },
      { ruleId: 'verify-command-bashism', at: '9:51', message: 'has no $RANDOM: it is empty, so every run gets the same value' },
    ]);
    expect(said[0]!.message).toContain('The command of "dice" uses RANDOM at character 10 ("echo $(( RANDOM % 6 )) $(( RA…"), which only bash has');
  });

  it('says only that a command is never closed when it is, and nothing of a POSIX command', () => {
    expect(found(['  - id: motd', "    run: '[[ -f /etc/motd ]] && echo \"$(cat /etc/motd'", '    expect: { exit: 0 }']).map(({ ruleId }) => ruleId)).toEqual(['verify-command-syntax']);
    expect(found(['  - id: motd', "    run: '[ -f /etc/motd ] && [ \"$(wc -l </etc/motd)\" = 0 ]'", '    expect: { exit: 0 }'])).toEqual([]);
  });
});
