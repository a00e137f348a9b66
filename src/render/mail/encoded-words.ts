/**
 * Text too long for one RFC 2047 encoded word, as several. Each ends where
 * a line of the text could (`text/line-breaks.ts`: after a space, between
 * CJK characters, never inside a Latin word) when a whole piece fits, else
 * between grapheme clusters, never inside a UTF-8 sequence (RFC 2047 §5
 * wants whole characters in each word). A reader that decodes the words
 * side by side gives back exactly the text: the space between encoded
 * words is not part of it. Split words are base64 when that is shorter
 * (CJK text: a character is three bytes, nine characters as `=E6=97=A5`),
 * else quoted-printable, as text that fits in one word always is.
 */
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { breakPositions } from './text/line-breaks.ts';

/** RFC 2047's longest encoded word, `=?UTF-8?Q?…?=` included. */
export const encodedWordLimit = 75;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` as encoded words of at most `limit` (75) characters, one space apart. */
export function splitEncodedWords(text: string, limit = encodedWordLimit): string {
  const whole = encodeWord(text, 'Q', 0);
  if (whole.length <= limit) return whole;
  const encoding = encodeWord(text, 'B', 0).length < whole.length ? 'B' : 'Q';
  const fits = (chunk: string) => encodeWord(chunk, encoding, 0).length <= limit;
  const words: string[] = [];
  let chunk = '';
  for (const unit of units(text, fits)) {
    if (chunk !== '' && !fits(chunk + unit)) {
      words.push(encodeWord(chunk, encoding, 0));
      chunk = '';
    }
    chunk += unit;
  }
  if (chunk !== '') words.push(encodeWord(chunk, encoding, 0));
  return words.join(' ');
}

/**
 * `text` with each run of space-separated words that `plain` refuses as
 * encoded words (`splitEncodedWords`), the plain words between them as
 * they are. The spaces between runs stay outside the encoded words, so a
 * reader shows them; within a run they are encoded, since RFC 2047 readers
 * drop the space between two encoded words.
 */
export function encodeRuns(text: string, plain: (word: string) => boolean, limit = encodedWordLimit): string {
  const runs: { plain: boolean; words: string[] }[] = [];
  for (const word of text.split(' ')) {
    const isPlain = plain(word);
    const last = runs.at(-1);
    if (last?.plain === isPlain) last.words.push(word);
    else runs.push({ plain: isPlain, words: [word] });
  }
  return runs.map(({ plain: isPlain, words }) => (isPlain ? words.join(' ') : splitEncodedWords(words.join(' '), limit))).join(' ');
}

/**
 * `text` in pieces that no encoded word splits: the pieces between its
 * line breaks, a piece too long for a word of its own by its grapheme
 * clusters, and a cluster still too long (stacked combining marks) by its
 * code points.
 */
function* units(text: string, fits: (chunk: string) => boolean): Generator<string> {
  let start = 0;
  for (const end of [...breakPositions(text), text.length]) {
    const piece = text.slice(start, end);
    start = end;
    if (fits(piece)) yield piece;
    else for (const { segment } of graphemes.segment(piece)) yield* fits(segment) ? [segment] : segment;
  }
}
