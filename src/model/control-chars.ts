/**
 * Control characters and Unicode's own line breaks have no place in a
 * note: a tab and the line ends (LF, CRLF) are all its text needs. The
 * rest show as nothing, or as one line where some readers see several:
 * YAML 1.1 readers (Ansible's) break lines at NEL (U+0085), LS (U+2028) and
 * PS (U+2029), terminals act on escape sequences, a lone CR rewrites the
 * line it ends on a screen, and a note's text reaches all of them
 * (checklists run by Ansible, `herald check` on an operator's terminal).
 * Lint finds them in the body (`lint/rules/controls.ts`); the loader finds
 * them in front-matter values, where YAML escapes (`"\N"`, `"\e"`) write
 * them without showing them.
 */
import { codePoint } from '../errors/code-point.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { Located } from './frontmatter.ts';
import { message, pathLabel } from './validate.ts';

/** Any control character (C0, DEL, C1) or Unicode line break (LS, PS): none belongs in one line of text. */
export const lineBreakOrControl = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `text` as one line: each run of control characters and line breaks a space (for a comment line, a terminal). */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/** C0 but TAB and LF, a CR not before LF, DEL, C1 (NEL among them), LS, PS. */
export const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]|\r(?!\n)/g;

const names: Record<string, string> = {
  '\u0000': 'NULL',
  '\u0007': 'BELL',
  '\u0008': 'BACKSPACE',
  '\u000b': 'LINE TABULATION',
  '\u000c': 'FORM FEED',
  '\r': 'CARRIAGE RETURN, alone',
  '\u001b': 'ESCAPE',
  '\u007f': 'DELETE',
  '\u0085': 'NEXT LINE',
  '\u2028': 'LINE SEPARATOR',
  '\u2029': 'PARAGRAPH SEPARATOR',
};

/** How a message names a control character: `U+0085 (NEXT LINE)`. */
export function controlName(char: string): string {
  return `${codePoint(char)} (${names[char] ?? 'a control character'})`;
}

export const controlEffect = 'an invisible character that some readers take as a line break or a command (Ansible\u2019s YAML, a terminal), so the text does not mean what it shows';

/**
 * `control-char` for each front-matter string value that holds one, at its
 * field. The title, the authors' names and the lists have rules of their
 * own (`title-control-char`, `header-control-char`: they go into mail
 * headers), and are left to them.
 */
export function controlCharsInValues(file: string, data: Record<string, unknown>, at: (fieldPath: readonly PropertyKey[]) => Located): HeraldMessage[] {
  const out: HeraldMessage[] = [];
  const ownRule = (fieldPath: readonly PropertyKey[]) => fieldPath[0] === 'title' || fieldPath[0] === 'lists' || (fieldPath[0] === 'authors' && fieldPath[2] === 'name');
  const visit = (value: unknown, fieldPath: PropertyKey[]): void => {
    if (typeof value === 'string') {
      if (ownRule(fieldPath)) return;
      controlChars.lastIndex = 0;
      const found = controlChars.exec(value);
      if (found) out.push(message(file, 'control-char', `"${pathLabel(fieldPath)}" holds ${controlName(found[0])}: ${controlEffect}`, at(fieldPath)));
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...fieldPath, index]));
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...fieldPath, key]);
    }
  };
  for (const [key, value] of Object.entries(data)) visit(value, [key]);
  return out;
}
