/**
 * `herald export sh`: a POSIX shell script that runs a checklist's checks
 * on a host with nothing but a POSIX shell, awk and grep, prints the same
 * lines as `herald check`, and exits the same way (0 when every check
 * passes, 1 otherwise, 2 on a usage error). Versions are compared by awk
 * ports of herald's own comparators; patterns run through `grep -E`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { advisoryLines, noChecks } from '../check/report.ts';
import { packageRoot } from '../package-root.ts';
import type { Checklist, ChecklistVerify, CommandVerify, FileVerify } from '../render/checklists/schema.ts';
import { awkVersionProgram } from './awk/versions.ts';
import { commandPath, defaultTimeoutSeconds, headerLines, skippedUnderRoot, type ExportOptions } from './common.ts';
import { commentText, shellQuote } from './quote.ts';
import { toPosixPattern, unitsArgument, type PosixPattern } from './regex.ts';

function asset(name: string): string {
  return readFileSync(path.join(packageRoot, 'src/export/sh', name), 'utf8');
}

/**
 * The functions every check is made of (reporting, running a command,
 * one function per kind of check); shared with the Ansible export.
 */
export const shellChecks = asset('checks.sh')
  .replace('__AWK__', () => awkVersionProgram.trim())
  .replace('__RESOLVE__', () => asset('resolve.sh').trim());

/** The script's option parsing: --root, --timeout, --help. */
const shellOptions = asset('options.sh').replace('__PATH__', () => commandPath);

const summary = String.raw`
herald_total=$((herald_passed + herald_failed + herald_errors + herald_skipped))
herald_noun=checks
if [ "$herald_total" -eq 1 ]; then herald_noun=check; fi
if [ "$herald_total" -eq 0 ]; then printf '%s\n' '__NO_CHECKS__'
else printf '%s %s: %s pass, %s fail, %s error, %s skipped\n' "$herald_total" "$herald_noun" "$herald_passed" "$herald_failed" "$herald_errors" "$herald_skipped"
fi
[ "$herald_passed" -eq "$herald_total" ]
`.replace('__NO_CHECKS__', () => noChecks);

/** Everything before a script's own checks: option parsing, then the check functions. */
function scriptBody(timeoutSeconds: number): string {
  return shellOptions.replace('__TIMEOUT__', () => String(timeoutSeconds)) + '\n' + shellChecks;
}

/** Nearly every script has the default timeout, so its long body is made once. */
const defaultScriptBody = scriptBody(defaultTimeoutSeconds);

/** The units argument, only when grep reads rewritten lines (src/export/regex.ts). */
const units = (posix: PosixPattern) => (posix.units === undefined ? [] : [shellQuote(unitsArgument(posix))]);

const notPortable = (pattern: string) => `pattern /${pattern}/ uses features POSIX grep lacks; use herald check`;

function commandCheck(entry: CommandVerify): string {
  const id = shellQuote(entry.id);
  const expect = entry.expect;
  let evaluate: string;
  if (expect.kind === 'exit') {
    evaluate = `herald_check_exit ${id} ${expect.code}`;
  } else if (expect.kind === 'version') {
    evaluate = `herald_check_version ${id} ${expect.scheme} ${shellQuote(expect.operator)} ${shellQuote(expect.version)}`;
    const query = entry.package;
    if (query?.not_installed) evaluate = `herald_check_not_installed ${id} ${query.manager} ${shellQuote(query.name)} ${query.not_installed} || ${evaluate}`;
  } else {
    const posix = toPosixPattern(expect.pattern);
    if (posix === undefined) return `herald_result error ${id} ${shellQuote(notPortable(expect.pattern))}`;
    evaluate = `herald_check_stdout ${[id, shellQuote(posix.ere), shellQuote(expect.pattern), ...units(posix)].join(' ')}`;
  }
  return [
    `if [ -z "$herald_prefix" ]; then`,
    `  herald_run ${shellQuote(entry.run)}`,
    `  ${evaluate}`,
    `else`,
    `  herald_result skipped ${id} ${shellQuote(skippedUnderRoot)}`,
    `fi`,
  ].join('\n');
}

function fileCheck(entry: FileVerify): string {
  const posix = toPosixPattern(entry.expect.pattern);
  if (posix === undefined) return `herald_result error ${shellQuote(entry.id)} ${shellQuote(notPortable(entry.expect.pattern))}`;
  return `herald_check_file ${[entry.id, entry.expect.kind, entry.file, posix.ere, entry.expect.pattern].map(shellQuote).concat(units(posix)).join(' ')}`;
}

function check(entry: ChecklistVerify): string {
  const comment = `# ${commentText(`${entry.id}: ${entry.title} (${entry.description})`)}`;
  return `${comment}\n${'run' in entry ? commandCheck(entry as CommandVerify) : fileCheck(entry as FileVerify)}`;
}

/** The POSIX shell script for a checklist. Pure and deterministic. */
export function exportShellScript(checklist: Checklist, options: ExportOptions = {}): string {
  const header = [
    ...headerLines(checklist, 'POSIX sh'),
    `Runs the same checks as \`herald check ${checklist.advisory.id}\` and prints the same lines.`,
    'Exit status: 0 when every check passes, 1 otherwise, 2 on a usage error.',
    `Usage: sh ${checklist.advisory.id}.sh [--root DIR] [--timeout SECONDS]`,
    '  --root DIR  read config files under DIR (an image or container); command checks are skipped',
  ];
  const timeoutSeconds = options.timeoutSeconds ?? defaultTimeoutSeconds;
  const body = timeoutSeconds === defaultTimeoutSeconds ? defaultScriptBody : scriptBody(timeoutSeconds);
  return [
    '#!/bin/sh',
    ...header.map((line) => `# ${commentText(line)}`),
    '',
    body,
    `printf '%s\\n' ${advisoryLines(checklist).map(shellQuote).join(' ')}`,
    '',
    ...checklist.verify.map(check),
    summary,
  ].join('\n');
}
