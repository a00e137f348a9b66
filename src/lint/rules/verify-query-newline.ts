/**
 * A version check whose command asks dpkg-query or rpm for a version with a
 * format that does not end with `\n` (`-f='${Version}'`, `--qf '%{EVR}'`):
 * where the package is installed more than once (for amd64 and i386 with
 * Debian's multiarch, or several kernels), the query prints every version
 * with nothing between them (`2.36-9+deb12u72.36-9+deb12u7`), which compares
 * as one version that is none of them and can pass a host that still has a
 * vulnerable copy. With `\n` each version is a line, and every line is
 * compared. Said only of a `version` expectation, which compares the output.
 */
import type { VerifyEntry } from '../../model/types.ts';
import { simpleCommands, type Word } from '../bash-only-syntax.ts';
import type { NoteRule } from '../rule.ts';
import { placeInCommand } from './verify-commands.ts';

interface Query {
  /** The options that take the format, each also written `OPTION=FORMAT`. */
  options: readonly string[];
  /** The short option that also takes the format joined to it (`-fFORMAT`). */
  joined?: string;
  /** A field of the format that prints a version. */
  versionField: RegExp;
}

const queries = new Map<string, Query>([
  ['dpkg-query', { options: ['-f', '--showformat'], joined: '-f', versionField: /\$\{(?:source:)?version\}/i }],
  ['rpm', { options: ['--qf', '--queryformat'], versionField: /%\{(?:epoch|epochnum|version|release|evr|nvr|nevr|nvra|nevra)\}/i }],
]);

/** A format as sh passes it, and where it is written in the command (quotes included). */
type Format = Word;

/** The option and `=` (or `-f` alone) that `word` starts with, when it holds the format too. */
function formatPrefix(query: Query, word: string): string | undefined {
  const long = query.options.find((option) => word.startsWith(`${option}=`));
  if (long) return `${long}=`;
  // dpkg-query reads `-f=FORMAT` as `-fFORMAT`.
  if (query.joined && word.startsWith(query.joined) && word.length > query.joined.length) return word[query.joined.length] === '=' ? `${query.joined}=` : query.joined;
  return undefined;
}

/** The format of a simple command that is a query this rule knows and that prints a version. */
function versionFormat(command: string, [name, ...args]: Word[]): Format | undefined {
  const query = queries.get(name!.value.split('/').at(-1)!);
  if (!query) return undefined;
  for (const [k, word] of args.entries()) {
    const prefix = formatPrefix(query, word.value);
    const format = query.options.includes(word.value)
      ? args[k + 1]
      : prefix && { value: word.value.slice(prefix.length), index: word.index + (command.startsWith(prefix, word.index) ? prefix.length : 0), end: word.end };
    if (format) return query.versionField.test(format.value) ? format : undefined;
  }
  return undefined;
}

/** The formats of `command`'s queries that print a version without a final `\n`. */
function formatsWithoutNewline(command: string): Format[] {
  return simpleCommands(command).flatMap((words) => {
    const format = versionFormat(command, words);
    // `\n` as the query reads it, or a newline itself (YAML's double quotes turn `\n` into one).
    return format && !/(?:\\n|\n)$/.test(format.value) ? [format] : [];
  });
}

/** `command` with `\n` at the end of each format: inside its closing quote, or quoted after it. */
function withNewlines(command: string, formats: readonly Format[]): string {
  return formats.reduceRight((text, { end }) => {
    const quoted = `'"`.includes(text[end - 1]!);
    return quoted ? `${text.slice(0, end - 1)}\\n${text.slice(end - 1)}` : `${text.slice(0, end)}'\\n'${text.slice(end)}`;
  }, command);
}

export const verifyQueryNewline: NoteRule = (context) => {
  for (const entry of context.advisory.verify) {
    if (entry.run === undefined || entry.expect.kind !== 'version') continue;
    const formats = formatsWithoutNewline(entry.run);
    if (formats.length === 0) continue;
    const corrected = withNewlines(entry.run, formats);
    for (const format of formats) {
      context.report(
        'verify-query-newline',
        `The command of "${entry.id}" asks for the version with the format '${format.value}', which does not end with \\n: where the package is installed more than once (for two architectures, or several kernels), the versions are printed joined on one line, which compares as one version that is none of them and can pass a host that still has a vulnerable copy`,
        placeInCommand(context, entry as VerifyEntry & { run: string }, format.index),
        `End the format with \\n, so that each version is a line of its own and every one is compared: ${corrected}`,
      );
    }
  }
};
