/** Quoting for the generated files: every string from a note is data, never code. */

/** One POSIX shell word that stands for `text` exactly, with no expansion. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Text for a `#` comment line: line breaks and control characters become spaces. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** Text for XML character data and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
