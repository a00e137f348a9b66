/**
 * A text file's bytes as herald reads every note and its config: UTF-8
 * only, a byte order mark dropped, line ends as LF; or the error that says
 * why the file is not such text.
 */
import type { HeraldMessage } from '../errors/message.ts';
import { maxNoteBytes } from './limits.ts';
import { message } from './validate.ts';

/** Without `stream`, each `decode` starts afresh, so one decoder serves every note. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * A file's bytes as text (UTF-8, a byte order mark dropped, line ends as
 * LF), or the error that says why it is not: too large, UTF-16, binary
 * (`what` says what it should have been), or not UTF-8 (at the line and
 * column of the first bad byte).
 */
export function decodeText(file: string, bytes: Uint8Array, what = 'a Markdown note'): { text?: string; error?: HeraldMessage } {
  if (bytes.byteLength > maxNoteBytes) {
    return { error: message(file, 'file-too-large', `File is ${Math.round(bytes.byteLength / 1024)} KiB; the limit is ${maxNoteBytes / 1024} KiB`, { line: 1, column: 1 }) };
  }
  const utf16 = utf16Form(bytes);
  if (utf16) {
    return { error: message(file, 'file-encoding', `File is UTF-16 (${utf16}), not UTF-8`, { line: 1, column: 1 }, 'Re-save the file as UTF-8 (in Notepad: Save As, Encoding "UTF-8"), or convert it: iconv -f UTF-16 -t UTF-8.') };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { error: message(file, 'file-binary', `File contains a NUL byte at offset ${nul}: it is binary, not ${what}`, { line: 1, column: 1 }) };
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const prefix = bytes.subarray(0, findInvalidUtf8(bytes));
    const before = new TextDecoder().decode(prefix);
    const lines = before.split('\n');
    return { error: message(file, 'file-encoding', 'File is not valid UTF-8', { line: lines.length, column: lines.at(-1)!.length + 1 }) };
  }
  // CRLF (a Windows checkout) and lone CR end lines as LF does: read as LF, no `\r` reaches a
  // value, a command or a code block, and lines and columns stay those an editor shows.
  return { text: text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text };
}

/** How a UTF-16 file (as Windows editors save "Unicode") shows itself: a byte order mark, or ASCII with every other byte zero. */
function utf16Form(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe) return 'little-endian, with a byte order mark';
  if (a === 0xfe && b === 0xff) return 'big-endian, with a byte order mark';
  if (bytes.length < 4) return undefined;
  if (a !== 0 && b === 0 && c !== 0 && d === 0) return 'little-endian';
  if (a === 0 && b !== 0 && c === 0 && d !== 0) return 'big-endian';
  return undefined;
}

/** Byte offset of the first invalid UTF-8 sequence (overlongs and surrogates included). */
function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return i;
}
