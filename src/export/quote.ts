/** Quoting for the generated files: every string from a note is data, never code. */
import { oneLine } from '../model/control-chars.ts';

/** One POSIX shell word that stands for `text` exactly, with no expansion. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// What JSON.stringify escapes in a string, surrogates (it escapes lone ones),
// and what it leaves that YAML 1.1 readers (Ansible's) take as line breaks:
// NEL (U+0085, among the C1 controls), LS (U+2028), PS (U+2029).
const jsonEscaped = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;
const yamlBreaks = /[\u007f-\u009f\u2028\u2029]/g;

/** `JSON.stringify(text)`, C1 controls and Unicode line breaks escaped too, so the string is one line in YAML as well; without its cost for the usual text that needs no escape. */
export function jsonString(text: string): string {
  if (!jsonEscaped.test(text)) return `"${text}"`;
  return JSON.stringify(text).replace(yamlBreaks, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for a `#` comment line: line breaks (Unicode's too: NEL, LS, PS) and control characters become spaces. */
export const commentText = oneLine;

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
