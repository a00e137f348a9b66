/** Control characters and Unicode line breaks in a note's body (those in its front matter are the loader's: `model/control-chars.ts`). */
import { controlChars, controlEffect, controlName } from '../../model/control-chars.ts';
import type { NoteRule } from '../rule.ts';
import { placesOf } from './bidi.ts';

export const noControlCharacters: NoteRule = ({ advisory, report }) => {
  const { text, bodyLine } = advisory.source;
  controlChars.lastIndex = 0;
  if (!controlChars.test(text)) return;
  for (const { char, line, column } of placesOf(text, controlChars)) {
    if (line >= bodyLine) report('control-char', `${controlName(char)}: ${controlEffect}`, { line, column });
  }
};
