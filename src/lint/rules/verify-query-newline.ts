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
import { versionQueries, type Format } from '../version-queries.ts';
import type { NoteRule } from '../rule.ts';
import { placeInCommand } from './verify-commands.ts';

/** The formats of `command`'s queries that print a version without a final `\n`. */
function formatsWithoutNewline(command: string): Format[] {
  // `\n` as the query reads it, or a newline itself (YAML's double quotes turn `\n` into one).
  return versionQueries(command).flatMap(({ format }) => (/(?:\\n|\n)$/.test(format.value) ? [] : [format]));
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
