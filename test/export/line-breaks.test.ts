/**
 * Text from a note stays data in every export, whatever line break it
 * holds: YAML 1.1 readers (Ansible's) take NEL (U+0085), LS (U+2028) and
 * PS (U+2029) as line breaks, so in a comment or a quoted string they
 * would start a line of playbook of the note's choosing.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportAnsiblePlaybook } from '../../src/export/ansible.ts';
import { jsonString } from '../../src/export/quote.ts';
import { exportShellScript } from '../../src/export/sh.ts';
import { agreementChecklist } from '../check/fixture.ts';

const breaks = ['\u0085', '\u2028', '\u2029', '\r', '\n', '\u008d'];

function hostile() {
  const checklist = agreementChecklist();
  const payload = (b: string) => `x${b}- hosts: all${b}  tasks:${b}  - shell: touch /tmp/pwned${b}#`;
  return {
    ...checklist,
    advisory: { ...checklist.advisory, id: `OSSN-0999${payload('\u0085')}`, title: `A title${payload('\u2028')}`, status: 'withdrawn' as const, withdrawnReason: `Superseded.${payload('\u2029')}` },
    verify: checklist.verify.map((entry, index) => ({ ...entry, title: `${entry.title}${payload(breaks[index % breaks.length]!)}`, description: `${entry.description}${payload(breaks[(index + 1) % breaks.length]!)}` })),
  };
}

describe('line breaks of every kind in note text', () => {
  it('stay inside comments and strings of the Ansible playbook and the shell script', () => {
    const checklist = hostile();
    const playbook = exportAnsiblePlaybook(checklist);
    expect(playbook).not.toMatch(/[\u0085\u2028\u2029\u008d]/);
    expect(playbook.split('\n').filter((line) => /^\s*- (shell|hosts)/.test(line))).toEqual([]);
    // In the script, inside single quotes they are data to sh; in its comments, spaces.
    const script = exportShellScript(checklist);
    expect(script.split('\n').filter((line) => line.startsWith('#') && /[\u0085\u2028\u2029\u008d]/.test(line))).toEqual([]);
    expect(script.split('\n').filter((line) => /^\s*(- |touch)/.test(line))).toEqual([]);
    // The playbook is still the one play herald writes.
    const plays = parse(exportAnsiblePlaybook(checklist), { customTags: [{ tag: '!unsafe', resolve: (value: string) => value }] }) as { hosts: string }[];
    expect(plays.map((play) => play.hosts)).toEqual(['all']);
  });

  it('are escaped in the strings the playbook quotes, and read back as written', () => {
    const text = 'echo 0\u0085\u0085touch /tmp/pwned\u2028\u2029';
    const written = jsonString(text);
    expect(written).toBe('"echo 0\\u0085\\u0085touch /tmp/pwned\\u2028\\u2029"');
    expect(JSON.parse(written)).toBe(text);
    expect(parse(written)).toBe(text);
  });
});

describe('a pattern with a line break', () => {
  it('is an error of lint, and no grep alternative in the exports: an unfixed host never passes', async () => {
    const { toPosixPattern } = await import('../../src/export/regex.ts');
    expect(toPosixPattern('^PermitRootLogin no$\n^P')).toBeUndefined();
    expect(toPosixPattern('^PermitRootLogin no$')).toEqual({ ere: '^PermitRootLogin no$' });
    const { parseNote } = await import('../../src/model/load.ts');
    const { lintNote } = await import('../../src/lint/run.ts');
    const { defaultConfig } = await import('../../src/config/load.ts');
    const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
    const now = new Date('2024-02-01T00:00:00Z');
    const text = ['---', 'id: OSSN-0001', 'title: T', 'date: 2024-01-01', 'status: draft', 'verify:', '  - { id: ssh, title: SSH, file: /etc/ssh/sshd_config, expect: { present: "^PermitRootLogin no$\\n^P" } }', '---', '', '## Summary', '', 'Text.', ''].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now).filter((m) => m.ruleId === 'verify-invalid-regex');
    expect(found.map(({ line, message }) => ({ line, message }))).toEqual([{ line: 7, message: 'Pattern of "ssh" holds a line break: each line of output or of the file is matched on its own, so a pattern is one line' }]);
  });
});
