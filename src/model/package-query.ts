/**
 * Recognizes a verify command that only asks the package manager for an
 * installed version, once, as the loader builds the verify entry (its
 * `package`): `not_installed` needs one, and exports use the fleet tool's
 * own package inventory (OVAL dpkginfo/rpminfo) instead of running a command. Anything
 * beyond a plain query (pipes, expansions, other options) is not recognized:
 * the entry then stays a command check, which is always correct.
 */
import type { PackageQuery, VersionScheme } from './types.ts';

/** The version scheme of what a package manager's query prints. */
export const schemeOfManager: Record<PackageQuery['manager'], VersionScheme> = { dpkg: 'deb', rpm: 'rpm' };

/** A run of characters that are plain word characters to `sh`. */
const plainRun = /[A-Za-z0-9_.,:=+\/@%^-]+/y;

/**
 * Splits a command into words as `sh` would, or returns `undefined` when it
 * uses anything but plain words and quotes (operators, expansions, globs),
 * because then its meaning depends on the shell.
 */
export function splitSimpleCommand(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < command.length) {
    const c = command[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let value = '';
      i += 1;
      while (i < command.length && command[i] !== '"') {
        if ('$`'.includes(command[i]!)) return undefined;
        if (command[i] === '\\' && '"\\'.includes(command[i + 1] ?? '')) i += 1;
        value += command[i];
        i += 1;
      }
      if (i >= command.length) return undefined;
      word = (word ?? '') + value;
      i += 1;
    } else {
      plainRun.lastIndex = i;
      const run = plainRun.exec(command);
      if (!run) return undefined;
      word = (word ?? '') + run[0];
      i = plainRun.lastIndex;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

const packageName = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/;

const dpkgFlags = new Set(['-W', '--show']);
const dpkgFormatOptions = new Set(['-f', '--showformat']);
const rpmFlags = new Set(['-q', '--query']);
const rpmFormatOptions = new Set(['--qf', '--queryformat']);

/** Query formats whose output is exactly the full installed version, epoch included. */
const dpkgFormats = new Set(['${Version}', '${Version}\\n']);
const rpmFormats = new Set(['%{EVR}', '%{EVR}\\n', '%{EPOCHNUM}:%{VERSION}-%{RELEASE}', '%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n']);

/**
 * Reads `options` of a query command: returns the format and the single
 * package name, or `undefined` when an option is not one of `flags` or the
 * format option, or there is not exactly one name.
 */
function readQuery(words: string[], flags: ReadonlySet<string>, formatOptions: ReadonlySet<string>): { format: string; name: string } | undefined {
  let format: string | undefined;
  const names: string[] = [];
  let flagSeen = false;
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!;
    const equals = word.indexOf('=');
    if (formatOptions.has(word)) {
      format = words[i + 1];
      i += 1;
    } else if (word.startsWith('--') && equals > 0 && formatOptions.has(word.slice(0, equals))) {
      format = word.slice(equals + 1);
    } else if (word.startsWith('-f') && formatOptions.has('-f') && word.length > 2) {
      // dpkg-query reads `-f=FORMAT` like `-fFORMAT`.
      format = word.slice(word[2] === '=' ? 3 : 2);
    } else if (flags.has(word)) {
      flagSeen = true;
    } else if (word.startsWith('-')) {
      return undefined;
    } else {
      names.push(word);
    }
  }
  const name = names[0];
  if (!flagSeen || format === undefined || names.length !== 1 || !name || !packageName.test(name)) return undefined;
  return { format, name };
}

/** The package whose version `command` prints, when the command is a plain dpkg or rpm query. */
export function recognizePackageQuery(command: string): PackageQuery | undefined {
  const words = splitSimpleCommand(command.trim());
  if (!words || words.length === 0) return undefined;
  if (words[0] === 'dpkg-query') {
    const query = readQuery(words, dpkgFlags, dpkgFormatOptions);
    if (query && dpkgFormats.has(query.format)) return { manager: 'dpkg', name: query.name };
  }
  if (words[0] === 'rpm') {
    const query = readQuery(words, rpmFlags, rpmFormatOptions);
    if (query && rpmFormats.has(query.format)) return { manager: 'rpm', name: query.name };
  }
  return undefined;
}
