/** How messages name characters, above all those that look like others. */

/** `U+041D`: a character as a message names it. */
export function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * For a value that looks right and is not: `; it holds U+041D, which is not
 * ASCII` when `text` holds a character outside printable ASCII (a Cyrillic
 * Н for an H, a no-break space), else nothing.
 */
export function nonAsciiNote(text: string): string {
  const found = /[^\x20-\x7e]/u.exec(text);
  return found ? `; it holds ${codePoint(found[0])}, which is not ASCII` : '';
}
