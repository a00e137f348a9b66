/**
 * `herald export ansible`: a playbook with one task per verify entry that
 * checks it on every host of an inventory, and a last task that fails the
 * host unless every check passed.
 *
 * Each task runs herald's shell checks (the same functions as the shell
 * export, so the verdicts agree with `herald check`), except that Debian
 * and RPM versions are compared by the host's own `dpkg --compare-versions`
 * or rpm: never by Ansible's `version` test, which gets `1.0~rc1 < 1.0`
 * wrong. Every string from the checklist reaches the host as an environment
 * value tagged `!unsafe`: Ansible neither templates `{{ … }}` written in a
 * note nor expands `$VAR` in it (as it does in command arguments), and no
 * shell parses it except the verify command itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { advisoryLines, summaryLine } from '../check/report.ts';
import { packageRoot } from '../package-root.ts';
import type { Checklist, ChecklistVerify, CommandVerify, FileVerify } from '../render/checklists/schema.ts';
import { commandPath, defaultTimeoutSeconds, headerLines, skippedUnderRoot, type ExportOptions } from './common.ts';
import { commentText, jsonString } from './quote.ts';
import { toPosixPattern, unitsArgument, type PosixPattern } from './regex.ts';
import { shellChecks } from './sh.ts';

function asset(name: string): string {
  return readFileSync(path.join(packageRoot, 'src/export/ansible', name), 'utf8');
}

/** The program each check task runs: herald's shell checks, then one check chosen by its arguments. */
const program = [
  'set -u',
  'LC_ALL=C; export LC_ALL',
  `PATH=${commandPath}; export PATH`,
  `herald_rpm_compare='%{lua:\n${asset('rpm-compare.lua').trim()}\n}'`,
  shellChecks.trim(),
  asset('dispatch.sh').replace('__SKIPPED__', () => skippedUnderRoot).trim(),
  '',
].join('\n');

/** A YAML scalar Ansible will not template. JSON strings are valid YAML double-quoted scalars. */
function unsafe(text: string): string {
  return `!unsafe ${jsonString(text)}`;
}

/** A YAML block scalar (`|-`) of literal text, indented under its key. */
function block(text: string, spaces: number): string {
  return `!unsafe |-\n${text.split('\n').map((line) => (line === '' ? '' : ' '.repeat(spaces) + line)).join('\n')}`;
}

/** `program` as the value of `herald_program` in the play's vars: the same in every playbook, so indented once. */
const programValue = block(program, 6);

/** A check whose pattern grep cannot express: recorded as an error, never guessed. */
function notPortable(entry: ChecklistVerify): string[] {
  return [
    `- name: ${unsafe(`${entry.id}: ${entry.title}`)}`,
    '  ansible.builtin.set_fact:',
    `    herald_results: "{{ herald_results | combine({'${entry.id}': 'ERROR  ${entry.id}  the pattern uses features POSIX grep lacks; use herald check'}) }}"`,
  ];
}

/** The units parameter, only when grep reads rewritten lines. */
const units = (posix: PosixPattern) => (posix.units === undefined ? [] : [unitsArgument(posix)]);

/** The checker's parameters, or `undefined` when grep cannot express the pattern. */
function checkParameters(entry: ChecklistVerify): string[] | undefined {
  if ('file' in entry) {
    const file = entry as FileVerify;
    const posix = toPosixPattern(file.expect.pattern);
    return posix === undefined ? undefined : ['file', file.id, file.expect.kind, file.file, posix.ere, file.expect.pattern, ...units(posix)];
  }
  const command = entry as CommandVerify;
  const { expect } = command;
  const head = ['command', command.id, command.run];
  if (expect.kind === 'exit') return [...head, 'exit', String(expect.code)];
  if (expect.kind === 'version') {
    const query = command.package;
    const absent = query?.not_installed ? [query.manager, query.name, query.not_installed] : [];
    return [...head, 'version', expect.scheme, expect.operator, expect.version, ...absent];
  }
  const posix = toPosixPattern(expect.pattern);
  return posix === undefined ? undefined : [...head, 'stdout', posix.ere, expect.pattern, ...units(posix)];
}

const parameterNames = ['HERALD_CHECK', 'HERALD_ID', 'HERALD_ARG1', 'HERALD_ARG2', 'HERALD_ARG3', 'HERALD_ARG4', 'HERALD_ARG5', 'HERALD_ARG6', 'HERALD_ARG7', 'HERALD_ARG8'];

function entryTasks(entry: ChecklistVerify, n: number): string[] {
  const comment = `# ${commentText(`${entry.id}: ${entry.description}`)}`;
  const parameters = checkParameters(entry);
  if (parameters === undefined) return [comment, ...notPortable(entry)];
  const register = `herald_check_${n}`;
  return [
    comment,
    `- name: ${unsafe(`${entry.id}: ${entry.title}`)}`,
    '  ansible.builtin.command:',
    '    argv: [/bin/sh, -s]',
    '    stdin: "{{ herald_program }}"',
    '  environment:',
    '    HERALD_TIMEOUT: "{{ herald_timeout }}"',
    '    HERALD_ROOT: "{{ herald_root }}"',
    ...parameters.map((value, index) => `    ${parameterNames[index]}: ${unsafe(value)}`),
    `  register: ${register}`,
    // The command and the pattern's match have a timeout each; this one only stops a hung host.
    // From herald_timeout as run (-e herald_timeout=N), or a longer limit there killed the play.
    '  timeout: "{{ herald_timeout | int * 2 + 60 }}"',
    '  changed_when: false',
    '  failed_when: false',
    '  check_mode: false',
    `- name: ${unsafe(`${entry.id}: record the result`)}`,
    '  ansible.builtin.set_fact:',
    // The last line by "\n" only: stdout_lines also splits at NEL, LS and PS, which a quoted line may hold (its result was then a fragment).
    `    herald_results: "{{ herald_results | combine({'${entry.id}': (${register}.stdout.split('\\\\n') | last | default('ERROR  ${entry.id}  the check printed nothing', true))}) }}"`,
  ];
}

/** The Ansible playbook for a checklist. Pure and deterministic. */
export function exportAnsiblePlaybook(checklist: Checklist, options: ExportOptions = {}): string {
  const timeoutSeconds = options.timeoutSeconds ?? defaultTimeoutSeconds;
  const { advisory } = checklist;
  const header = [
    ...headerLines(checklist, 'Ansible'),
    `Runs the same checks as \`herald check ${advisory.id}\` on every host of the inventory:`,
    `  ansible-playbook -i INVENTORY ${advisory.id}.yml [-e herald_root=DIR] [-e herald_timeout=SECONDS]`,
    'herald_root reads config files under DIR (an image or container); command checks are then skipped.',
    'herald_results maps each check to its line (PASS, FAIL, ERROR or SKIP, id, detail), as herald check prints it;',
    'the last task fails a host unless every check passed there.',
  ];
  const tasks = [
    '- name: Start with no results',
    '  ansible.builtin.set_fact:',
    '    herald_results: {}',
    // What herald check says under the advisory's line: a private preview, a withdrawal and its reason.
    ...advisoryLines(checklist).slice(1).flatMap((line) => [`- name: ${unsafe(line)}`, '  ansible.builtin.debug:', `    msg: ${unsafe(line)}`]),
    ...checklist.verify.flatMap((entry, index) => entryTasks(entry, index + 1)),
    '- name: Report the results',
    '  ansible.builtin.debug:',
    '    var: herald_results',
    '- name: Every check passes',
    '  ansible.builtin.assert:',
    "    that: herald_results.values() | reject('match', 'PASS ') | list | length == 0",
    `    fail_msg: "{{ herald_results.values() | reject('match', 'PASS ') | list }}"`,
    `    success_msg: ${jsonString(summaryLine({ total: checklist.verify.length, pass: checklist.verify.length, fail: 0, error: 0, skipped: 0 }))}`,
  ];
  return [
    '---',
    ...header.map((line) => `# ${commentText(line)}`),
    `- name: ${unsafe(`${advisory.id}: ${advisory.title}`)}`,
    '  hosts: all',
    '  gather_facts: false',
    '  vars:',
    '    herald_root: /',
    `    herald_timeout: ${timeoutSeconds}`,
    `    herald_program: ${programValue}`,
    '  tasks:',
    ...tasks.map((line) => (line === '' ? line : `    ${line}`)),
    '',
  ].join('\n');
}
