/** A verify command `/bin/sh` would refuse before running it. */
import type { Position } from '../../model/types.ts';
import type { NoteRule } from '../rule.ts';
import { unclosedShellConstruct } from '../shell-syntax.ts';

const names: Record<string, string> = { "'": 'quote', '"': 'double quote', '`': 'backquote', '$(': '$(', '${': '${' };

export const verifyCommandsParse: NoteRule = ({ advisory, verifyField, report, frontMatterText }) => {
  for (const entry of advisory.verify) {
    if (entry.run === undefined) continue;
    const open = unclosedShellConstruct(entry.run);
    if (!open) continue;
    const closer = open.opener === '$(' ? ')' : open.opener === '${' ? '}' : open.opener;
    const before = entry.run.slice(Math.max(0, open.index - 20), open.index);
    const shown = `${open.index > 20 ? '…' : ''}${before}${entry.run.slice(open.index, open.index + 20)}${open.index + 20 < entry.run.length ? '…' : ''}`.split('\n').join(' ');
    report(
      'verify-command-syntax',
      `The command of "${entry.id}" cannot run: its ${names[open.opener]} ${open.opener} at character ${open.index + 1} ("${shown}") is never closed, so /bin/sh stops with a syntax error`,
      placeInFrontMatter(frontMatterText, entry.run, open.index) ?? verifyField(entry.id, 'run'),
      `Add the closing ${closer} where it ends${open.opener === "'" ? ". An apostrophe inside single quotes is written '\\'' (or put that text in double quotes)" : ''}.`,
    );
  }
};

/** Where character `index` of a one-line command written as it reads (a plain or single-line quoted value) is in the file. */
function placeInFrontMatter(text: string, command: string, index: number): Position | undefined {
  if (command.includes('\n')) return undefined;
  const at = text.indexOf(command);
  if (at === -1 || text.indexOf(command, at + 1) !== -1) return undefined;
  const before = text.slice(0, at + index);
  const line = before.split('\n').length;
  return { line, column: at + index - before.lastIndexOf('\n') };
}
