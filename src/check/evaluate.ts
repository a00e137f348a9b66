/**
 * Verdicts, as pure functions of what was observed: a command's outcome or
 * a file's text. Patterns are ECMAScript regular expressions tried on one
 * line at a time (as grep does); only `exit` checks look at the exit status.
 */
import { createContext, runInContext, type Context } from 'node:vm';
import type { CommandVerify, FileVerify } from '../render/checklists/schema.ts';
import { isValidVersion, satisfies } from '../versions/index.ts';
import type { CommandOutcome } from './run-command.ts';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

/** One verify entry's verdict: exactly what `herald check --json` prints per entry. */
export interface CheckResult {
  id: string;
  status: CheckStatus;
  detail: string;
  /**
   * What the command wrote to stderr, blank lines at its start and end
   * removed; absent when it wrote nothing, and for file checks. A check can
   * pass and still warn there (`dpkg-query: warning: …`).
   */
  stderr?: string;
}

const maxShown = 120;

/** A size for a detail: "64 KiB", "16 MiB", "512 bytes". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** A value quoted for a detail, shortened so one result stays one line. */
function shown(text: string): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return JSON.stringify(oneLine.length > maxShown ? `${oneLine.slice(0, maxShown)}…` : oneLine);
}

function compile(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern);
  } catch (error) {
    return `pattern /${pattern}/ is not a valid regular expression: ${(error as Error).message}`;
  }
}

let matching: Context | undefined;

/**
 * Index of the first line `regex` matches, or -1; or 'timeout' when the
 * match runs past `timeoutMs`. A pattern can backtrack for ever on one
 * line (`^(\\w+\\s?)*=`): it is stopped as a command would be.
 */
function firstMatch(lines: string[], regex: RegExp, timeoutMs: number): number | 'timeout' {
  matching ??= createContext();
  matching.lines = lines;
  matching.regex = regex;
  try {
    return runInContext('lines.findIndex((line) => regex.test(line))', matching, { timeout: timeoutMs }) as number;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw error;
  } finally {
    matching.lines = matching.regex = undefined;
  }
}

const tooSlow = (pattern: string, timeoutMs: number) => `matching /${pattern}/ took longer than ${timeoutMs / 1000} s: the pattern backtracks without end on some line; make it simpler (no quantifier inside a repeated group)`;

/** Lines of a file: a final newline ends the last line rather than starting an empty one. */
export function fileLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** Lines of a command's output, trailing newlines removed as `$(…)` does; empty output is one empty line. */
export function outputLines(stdout: string): string[] {
  return stdout.replace(/\n+$/, '').split('\n');
}

function exitNote(outcome: { kind: 'exited'; code: number; stderr: string } | { kind: 'signalled'; signal: string; stderr: string }): string {
  const status = outcome.kind === 'exited' ? `exit status ${outcome.code}` : `killed by ${outcome.signal}`;
  // The last line: where a Python traceback or a shell script's chain of
  // messages says what went wrong; a one-line message is its own last line.
  const lastError = outcome.stderr.trim().split('\n').at(-1)!.trim();
  return lastError ? `${status}: ${shown(lastError)}` : status;
}

/** A command's stderr as a result keeps it: without the blank lines around it. */
function keptStderr(stderr: string): string {
  return stderr.replace(/^(?:[ \t\r\f\v]*\n)+/, '').trimEnd();
}

/** The verdict of a command check from what the command did. */
export function evaluateCommand(entry: CommandVerify, outcome: CommandOutcome, limits: { timeoutMs: number; maxOutputBytes: number }): CheckResult {
  const stderr = 'stderr' in outcome ? keptStderr(outcome.stderr) : '';
  const result = (status: CheckStatus, detail: string): CheckResult => ({ id: entry.id, status, detail, ...(stderr ? { stderr } : {}) });
  switch (outcome.kind) {
    case 'spawn-failed':
      return result('error', `command could not start: ${outcome.message}`);
    case 'timed-out':
      return result('error', `timed out after ${limits.timeoutMs / 1000} s`);
    case 'output-too-large':
      return result('error', `output exceeded ${formatSize(limits.maxOutputBytes)}`);
    case 'signalled':
      return result('error', `command was ${exitNote(outcome)}`);
  }
  const { expect } = entry;
  if (expect.kind === 'exit') {
    return outcome.code === expect.code
      ? result('pass', `exit status ${outcome.code}`)
      : result('fail', `exit status ${outcome.code}, expected ${expect.code}${outcome.stderr.trim() ? ` (${exitNote(outcome)})` : ''}`);
  }
  if (expect.kind === 'stdout') {
    const regex = compile(expect.pattern);
    if (typeof regex === 'string') return result('error', regex);
    const lines = outputLines(outcome.stdout);
    const index = firstMatch(lines, regex, limits.timeoutMs);
    if (index === 'timeout') return result('error', tooSlow(expect.pattern, limits.timeoutMs));
    if (index >= 0) return result('pass', `output line ${index + 1} matches /${expect.pattern}/: ${shown(lines[index]!)}`);
    return result('fail', `no output line matches /${expect.pattern}/; output ${shown(outcome.stdout.replace(/\n+$/, ''))} (${exitNote(outcome)})`);
  }
  const absent = notInstalledResult(entry, outcome);
  if (absent) return result(absent.status, absent.detail);
  const versions = outputVersions(outcome.stdout);
  if (versions.length === 0) return result('error', `command printed no version (${exitNote(outcome)})`);
  // Which output line a detail speaks of, when there are several versions.
  const where = (line: number) => (versions.length > 1 ? ` line ${line}` : '');
  const invalid = versions.find(({ version }) => !isValidVersion(expect.scheme, version));
  if (invalid) return result('error', `output${where(invalid.line)} ${shown(invalid.version)} is not a valid ${expect.scheme} version (${exitNote(outcome)})`);
  if (!isValidVersion(expect.scheme, expect.version)) return result('error', `${shown(expect.version)} is not a valid ${expect.scheme} version`);
  const failing = versions.find(({ version }) => !satisfies(expect.scheme, version, expect.operator, expect.version));
  return failing
    ? result('fail', `${versions.length > 1 ? `output${where(failing.line)}: ` : ''}${failing.version} is not ${expect.operator} ${expect.version} (${expect.scheme})`)
    : result('pass', `${versions.map(({ version }) => version).join(', ')} ${expect.operator} ${expect.version} (${expect.scheme})`);
}

/**
 * The versions a command printed, one a line, each trimmed, with the number
 * of its line; blank lines are left out. A package installed more than once
 * (for two architectures, or several kernels) gives one line each: every
 * one must satisfy the expectation.
 */
function outputVersions(stdout: string): { version: string; line: number }[] {
  return outputLines(stdout).flatMap((text, index) => (text.trim() === '' ? [] : [{ version: text.trim(), line: index + 1 }]));
}

/**
 * For a package query whose note says what a host without the package
 * counts as (`package.not_installed`), that verdict when the query found
 * no installed package: dpkg-query printed no version (exit status 1, "no
 * packages found matching"; 0 for a package dpkg knows but has not
 * installed), or rpm said "package NAME is not installed" (exit status 1);
 * or the package manager itself is not on the host (exit status 127, no
 * output): no Debian package is installed on a Red Hat host, and the
 * other way round, so one note's checks serve a mixed fleet.
 */
function notInstalledResult(entry: CommandVerify, outcome: { code: number; stdout: string }): { status: 'pass' | 'fail'; detail: string } | undefined {
  const query = entry.package;
  if (!query?.not_installed) return undefined;
  const noOutput = outcome.stdout.trim() === '';
  const absent =
    (outcome.code === 127 && noOutput) ||
    (query.manager === 'dpkg' ? outcome.code <= 1 && noOutput : outcome.code === 1 && outputLines(outcome.stdout).includes(`package ${query.name} is not installed`));
  // Word for word as herald_check_not_installed (export/sh/checks.sh) prints it.
  return absent ? { status: query.not_installed, detail: `package ${query.name} is not installed (not_installed: ${query.not_installed})` } : undefined;
}

/** The verdict of a file check from the file's text, or `undefined` text when the file does not exist. */
export function evaluateFile(entry: FileVerify, text: string | undefined, limits: { timeoutMs: number } = { timeoutMs: 30_000 }): CheckResult {
  const { expect, file } = entry;
  const result = (status: CheckStatus, detail: string): CheckResult => ({ id: entry.id, status, detail });
  const regex = compile(expect.pattern);
  if (typeof regex === 'string') return result('error', regex);
  if (text === undefined) {
    // A file that is not there has no line that matches: what an operator
    // checking "this setting is not enabled" expects. `present` needs the line.
    return expect.kind === 'absent'
      ? result('pass', `${file} does not exist, so no line matches /${expect.pattern}/`)
      : result('fail', `${file} does not exist`);
  }
  const lines = fileLines(text);
  const index = firstMatch(lines, regex, limits.timeoutMs);
  if (index === 'timeout') return result('error', tooSlow(expect.pattern, limits.timeoutMs));
  if (index < 0) return result(expect.kind === 'absent' ? 'pass' : 'fail', `${file}: no line matches /${expect.pattern}/`);
  return result(expect.kind === 'absent' ? 'fail' : 'pass', `${file}: line ${index + 1} matches /${expect.pattern}/: ${shown(lines[index]!)}`);
}
