/**
 * Unicode bidirectional controls (the embeddings, overrides and isolates,
 * U+202A–U+202E and U+2066–U+2069) make text display in another order than
 * it is stored: a command an operator copies from the site or the mail can
 * show one thing and run another ("Trojan Source", CVE-2021-42574). A note
 * has no use for them: right-to-left text displays correctly without them.
 */
import type { NoteRule } from '../rule.ts';
import { codePoint } from '../../errors/code-point.ts';

const bidiControl = /[\u202a-\u202e\u2066-\u2069]/g;

const names: Record<string, string> = {
  '\u202a': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202b': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202c': 'POP DIRECTIONAL FORMATTING',
  '\u202d': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202e': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
};

/** Line and column (1-based) of each match of the global `pattern` in `text`. */
export function* placesOf(text: string, pattern: RegExp): Generator<{ char: string; line: number; column: number }> {
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  // (matchAll starts where a `test` left the pattern)
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) {
    for (let at = text.indexOf('\n', scanned); at !== -1 && at < match.index; at = text.indexOf('\n', at + 1)) {
      line++;
      lineStart = at + 1;
    }
    scanned = match.index;
    yield { char: match[0], line, column: match.index - lineStart + 1 };
  }
}

export const noBidiControls: NoteRule = ({ advisory, report }) => {
  const text = advisory.source.text;
  bidiControl.lastIndex = 0;
  if (!bidiControl.test(text)) return;
  for (const { char, line, column } of placesOf(text, bidiControl)) {
    report('bidi-control', `Invisible bidirectional control ${codePoint(char)} (${names[char]}): the text around it displays in another order than it reads and runs`, { line, column });
  }
};
