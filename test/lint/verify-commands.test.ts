/** A verify command /bin/sh would refuse before running it: said by lint, where the quote is, as /bin/sh itself judges it. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { unclosedShellConstruct } from '../../src/lint/shell-syntax.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

/** Whether /bin/sh reads the command without a syntax error (`-n`: read, never run). */
const shellReads = (command: string) => spawnSync('/bin/sh', ['-n', '-c', command]).status === 0;

describe('a command never closed', () => {
  it('is found as /bin/sh finds it, in the commands notes are written with', () => {
    const valid = [
      "dpkg-query -W -f='${Version}\\n' nova-novncproxy",
      "rpm -q --qf '%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n' qemu-kvm",
      "ss -ltn 'sport = :6080' | awk 'NR>1 {print $4}'",
      'echo "$(stat -c "%a %U" /etc/nova/nova.conf)"',
      'test "${HOME:-"/root"}" = /root # it\'s a comment',
      'for f in /etc/*.conf; do grep -c "it\'s" "$f"; done',
      'echo `uname -r` $((1 + 2)) ${#PATH} a\\\'b',
      "grep -c 'don'\\''t' /etc/motd",
      "cat <<EOF\nit's\nEOF",
      // Read to their end whatever lies between, as dash reads them.
      'echo "$((1 + (2 * 3)))" "${x:-it\'s}" `echo # it\'s`',
      // Backquotes hold a command read again once `\\`, `\``, `\$` lose their backslash.
      "echo `echo \\\\'` `echo \"it's\"`",
      // Parentheses: subshells, and the `)` of a case pattern that no `(` opened.
      '(cd /etc && ls) | wc -l',
      'case "$(uname -s)" in (Linux) echo l;; *) echo "$( (uname -m) )";; esac',
      // A `${` whose name is a character that starts none, or a name followed by a character that is no operator: dash takes that
      // character and reads the word after it to the `}` (and stops with "Bad substitution" when it runs it). In double quotes a
      // single quote is text, but in the pattern of `#` or `%`.
      'echo ${"a} ${$(} ${a"b} ${`x} ${:`}`} ${-$`}`} ${#"} "${\'"}"}" "${x:-\'}"',
      // Found by comparing with dash on random commands (shell-syntax-against-dash.property.test.ts).
      // Between backquotes dash reads no further than a `;;`, or a `(` after a command's arguments.
      'echo `echo a;; (` `;; "` `echo a b(` `a=1 (`',
      // `$$` is a parameter; a `#` after an escaped character or a substitution is in the word.
      'echo $${x',
      '(echo $(uname)#x $((1))#x \\(#x)',
      // `case` after a substitution is an argument.
      '($(true) case in)',
      // Between backquotes in double quotes, `\"` loses its backslash too.
      'echo "`echo \\\\\\"`"',
    ];
    for (const command of valid) {
      expect(shellReads(command), command).toBe(true);
      expect(unclosedShellConstruct(command), command).toBeUndefined();
    }
    const unclosed: [string, string, number][] = [
      ["systemctl is-active --quiet nova-novncproxy'", "'", 43],
      ["grep -c 'don't' /etc/motd", "'", 14],
      ['echo "$(date)', '"', 5],
      ['echo $(uname -r', '$(', 5],
      ['echo ${HOME', '${', 5],
      ['echo `uname', '`', 5],
      ['echo "a\\"', '"', 5],
      ["echo `echo 'a`", "'", 11],
      ['x=`echo "$(date)`', '"', 8],
      ['(cd /etc; ls', '(', 0],
      ['echo $( (uname -r )', '$(', 5],
      ['if (test -f /etc/x; then echo y; fi', '(', 3],
      ['echo ${x:-"a}', '"', 10],
      ['echo "`echo \\"`"', '"', 13],
      ['echo `f (`', '(', 8],
      ['echo ${:"}', '"', 8],
      ['echo ${a"b"}', '"', 10],
      ['echo ${#a"}', '"', 9],
      ['echo "${x#\'}\'"', '"', 13],
    ];
    for (const [command, opener, index] of unclosed) {
      expect(shellReads(command), command).toBe(false);
      expect(unclosedShellConstruct(command), command).toEqual({ opener, index });
    }
  });

  it("is not hidden by a case pattern's `)`, which closes no `$(` nor `(` (as dash -n and bash -n read it)", () => {
    const reads = (shell: string, command: string) => spawnSync(shell, ['-n', '-c', command]).status === 0;
    const valid = [
      'x=$(case a in a) echo a;; esac)',
      'echo "$(case $x in (a|b) echo ab;; *) echo o;; esac)"',
      'x=$(case a in a) y=$(case b in b) echo;; esac);; esac)',
      'x=$(case a in a|b) (echo x);; esac)',
      'x=$(if true; then case a in a) echo;; esac; fi)',
      'x=$(echo case a in a)',
      'x=`case a in a) echo;; esac`',
    ];
    for (const command of valid) {
      expect([reads('dash', command), reads('bash', command)], command).toEqual([true, true]);
      expect(unclosedShellConstruct(command), command).toBeUndefined();
    }
    const unclosed: [string, string, number][] = [
      ['x=$(case a in a) echo ;; esac', '$(', 2],
      ['x=$(case a in\na) echo\n;;\nesac', '$(', 2],
      ['x=$(if true; then case a in a) echo;; esac; fi', '$(', 2],
      ['x=$(case a in a) echo "b ;; esac)', '"', 22],
      ['x=$(case a in a) echo;; esac); (cd /', '(', 31],
      ['x=$(case a in a) echo;; esac) $(case b in esac', '$(', 30],
    ];
    for (const [command, opener, index] of unclosed) {
      expect([reads('dash', command), reads('bash', command)], command).toEqual([false, false]);
      expect(unclosedShellConstruct(command), command).toEqual({ opener, index });
    }
    // Between backquotes bash reads the quote as closed by the backquote; dash, /bin/sh on Debian, does not.
    const quoted = 'x=`case a in a) echo "x;; esac`';
    expect(reads('dash', quoted)).toBe(false);
    expect(unclosedShellConstruct(quoted)).toEqual({ opener: '"', index: 21 });
  });
});

describe('lint', () => {
  const note = (verify: string[]) =>
    ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'verify:', ...verify, '---', '', '## Summary', '', 'Text.', ''].join('\n');
  const found = (verify: string[]) =>
    lintNote(parseNote('notes/OSSN-0001.md', note(verify), { config, now }), config, now)
      .filter((m) => m.ruleId === 'verify-command-syntax')
      .map(({ line, column, severity, message, hint }) => ({ at: `${line}:${column}`, severity, message, hint }));

  it('points at the quote never closed, and says how an apostrophe is written in single quotes', () => {
    expect(found(['  - id: proxy-running', "    run: systemctl is-active --quiet nova-novncproxy'", '    expect: { exit: 0 }'])).toEqual([
      {
        at: '9:53',
        severity: 'error',
        message: 'The command of "proxy-running" cannot run: its quote \' at character 44 ("…uiet nova-novncproxy\'") is never closed, so /bin/sh stops with a syntax error',
        hint: "Add the closing ' where it ends. An apostrophe inside single quotes is written '\\'' (or put that text in double quotes).",
      },
    ]);
  });

  it('points into a folded command, and says nothing of a command that parses', () => {
    expect(found(['  - id: motd', '    run: >-', "      grep -c 'don't'", '      /etc/motd', '    expect: { stdout: "^0$" }']).map(({ at, message }) => ({ at, message }))).toEqual([
      { at: '10:21', message: 'The command of "motd" cannot run: its quote \' at character 15 ("grep -c \'don\'t\' /etc/motd") is never closed, so /bin/sh stops with a syntax error' },
    ]);
    expect(found(['  - id: motd', "    run: grep -c 'don'\\''t' /etc/motd", '    expect: { stdout: "^0$" }'])).toEqual([]);
  });
});
