/** Quoting for the generated files: every string from a note is data, never code. */

/** One POSIX shell word that stands for `text` exactly, with no expansion. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// What JSON.stringify escapes in a string, and surrogates (it escapes lone ones).
const jsonEscaped = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, without its cost for the usual text that needs no escape. */
export function jsonString(text: string): string {
  return jsonEscaped.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Text for a `#` comment line: line breaks and control characters become spaces. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

// Characters xmlEscape changes: most text has none, and one test lets it through.
const xmlSpecial = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff&<>"]/;

/** Text for XML character data and attribute values. */
export function xmlEscape(text: string): string {
  if (!xmlSpecial.test(text)) return text;
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
