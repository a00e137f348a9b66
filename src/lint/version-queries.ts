/**
 * The package-manager queries in a verify command that print a version:
 * `dpkg-query -W -f='${Version}\n' PKG` and `rpm -q --qf '%{EVR}\n' PKG`,
 * in any simple command of it (pipelines, `||`, `$(…)`), with their format
 * and where it is written. Read by the rules on version checks
 * (`rules/verify-query-newline.ts`, `rules/verify-query-scheme.ts`).
 */
import { simpleCommands, type Word } from './bash-only-syntax.ts';

interface Query {
  /** The package manager asked, whose version scheme the output is in. */
  manager: 'dpkg' | 'rpm';
  /** The options that take the format, each also written `OPTION=FORMAT`. */
  options: readonly string[];
  /** The short option that also takes the format joined to it (`-fFORMAT`). */
  joined?: string;
  /** A field of the format that prints a version. */
  versionField: RegExp;
}

const queries = new Map<string, Query>([
  ['dpkg-query', { manager: 'dpkg', options: ['-f', '--showformat'], joined: '-f', versionField: /\$\{(?:source:)?version\}/i }],
  ['rpm', { manager: 'rpm', options: ['--qf', '--queryformat'], versionField: /%\{(?:epoch|epochnum|version|release|evr|nvr|nevr|nvra|nevra)\}/i }],
]);

/** A format as sh passes it, and where it is written in the command (quotes included). */
export type Format = Word;

/** A query of a version: its package manager and its format. */
export interface VersionQuery {
  /** The program asked, as the table names it (`dpkg-query`, `rpm`). */
  program: string;
  manager: 'dpkg' | 'rpm';
  format: Format;
}

/** The option and `=` (or `-f` alone) that `word` starts with, when it holds the format too. */
function formatPrefix(query: Query, word: string): string | undefined {
  const long = query.options.find((option) => word.startsWith(`${option}=`));
  if (long) return `${long}=`;
  // dpkg-query reads `-f=FORMAT` as `-fFORMAT`.
  if (query.joined && word.startsWith(query.joined) && word.length > query.joined.length) return word[query.joined.length] === '=' ? `${query.joined}=` : query.joined;
  return undefined;
}

/** The query of a simple command that asks dpkg-query or rpm for a version. */
function versionQuery(command: string, [name, ...args]: Word[]): VersionQuery | undefined {
  const program = name!.value.split('/').at(-1)!;
  const query = queries.get(program);
  if (!query) return undefined;
  for (const [k, word] of args.entries()) {
    const prefix = formatPrefix(query, word.value);
    const format = query.options.includes(word.value)
      ? args[k + 1]
      : prefix && { value: word.value.slice(prefix.length), index: word.index + (command.startsWith(prefix, word.index) ? prefix.length : 0), end: word.end };
    if (format) return query.versionField.test(format.value) ? { program, manager: query.manager, format } : undefined;
  }
  return undefined;
}

/** Every query of a version in `command`, in the order written. */
export function versionQueries(command: string): VersionQuery[] {
  return simpleCommands(command).flatMap((words) => versionQuery(command, words) ?? []);
}
