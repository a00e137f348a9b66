/** A verify command `/bin/sh` would refuse before running it, or that dash (`/bin/sh` on Debian) refuses or misreads. */
import type { Position, VerifyEntry } from '../../model/types.ts';
import { bashOnlyConstructs } from '../bash-only-syntax.ts';
import { placeInBlockScalar } from '../block-scalar.ts';
import { placeInFlowScalar } from '../flow-scalar.ts';
import type { FieldRef, NoteRule, RuleContext } from '../rule.ts';
import { unclosedShellConstruct } from '../shell-syntax.ts';

const names: Record<string, string> = { "'": 'quote', '"': 'double quote', '`': 'backquote', '$(': '$(', '${': '${', '(': 'parenthesis' };
const closers: Record<string, string> = { '$(': ')', '${': '}', '(': ')' };

/** Where character `index` of the entry's command is in the file, or its `run` field when that cannot be told. */
export function placeInCommand({ verifyField, place, frontMatterText }: RuleContext, entry: VerifyEntry & { run: string }, index: number): Position | FieldRef {
  const field = verifyField(entry, 'run');
  const at = place(field);
  return placeInFlowScalar(frontMatterText, at, entry.run, index) ?? placeInFrontMatter(frontMatterText, entry.run, index) ?? placeInBlockScalar(frontMatterText, at, entry.run, index) ?? field;
}

export const verifyCommandsParse: NoteRule = (context) => {
  const { advisory, report } = context;
  for (const entry of advisory.verify) {
    if (entry.run === undefined) continue;
    const at = (index: number) => placeInCommand(context, entry as VerifyEntry & { run: string }, index);
    const open = unclosedShellConstruct(entry.run);
    if (open) {
      const closer = closers[open.opener] ?? open.opener;
      report(
        'verify-command-syntax',
        `The command of "${entry.id}" cannot run: its ${names[open.opener]} ${open.opener} at character ${open.index + 1} ("${excerpt(entry.run, open.index)}") is never closed, so /bin/sh stops with a syntax error`,
        at(open.index),
        `Add the closing ${closer} where it ends${open.opener === "'" ? ". An apostrophe inside single quotes is written '\\'' (or put that text in double quotes)" : ''}.`,
      );
      continue;
    }
    for (const construct of bashOnlyConstructs(entry.run)) {
      report(
        'verify-command-bashism',
        `The command of "${entry.id}" uses ${construct.construct} at character ${construct.index + 1} ("${excerpt(entry.run, construct.index)}"), which only bash has: dash, /bin/sh on Debian and Ubuntu, ${construct.problem}`,
        at(construct.index),
        `Write it for POSIX sh: ${construct.fix}.`,
      );
    }
  }
};

/** The command around character `index`, on one line, at most 20 characters each side. */
function excerpt(command: string, index: number): string {
  const before = command.slice(Math.max(0, index - 20), index);
  return `${index > 20 ? '…' : ''}${before}${command.slice(index, index + 20)}${index + 20 < command.length ? '…' : ''}`.split('\n').join(' ');
}

/** Where character `index` of a one-line command written as it reads (a plain or single-line quoted value) is in the file. */
function placeInFrontMatter(text: string, command: string, index: number): Position | undefined {
  if (command.includes('\n')) return undefined;
  const at = text.indexOf(command);
  if (at === -1 || text.indexOf(command, at + 1) !== -1) return undefined;
  const before = text.slice(0, at + index);
  const line = before.split('\n').length;
  return { line, column: at + index - before.lastIndexOf('\n') };
}
