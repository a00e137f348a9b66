/**
 * Where prose that is not one column a character (CJK, emoji, combining
 * marks) may break across lines. Words break at spaces, as in ASCII prose.
 * CJK text has no spaces, so it also breaks between its characters, where
 * Unicode's line breaking algorithm (UAX #14, by css-line-break, strict as
 * Japanese kinsoku shori wants it) allows: never before closing punctuation
 * (`。`, `、`, `」`, `）`), small kana or `ー`, never after opening
 * punctuation (`「`, `（`). A break UAX #14 would take between two narrow
 * characters (after the `/` of a URL, the `-` of `libvirt-bin`) is not
 * taken, so a Latin word stays whole, as in ASCII prose. Korean, which
 * has spaces, breaks at them only, unless a word is wider than the line.
 */
import { LineBreaker } from 'css-line-break';
import { columnsOf } from './columns.ts';

/** A piece of a line that no break falls within; `spaced` when a space stood before it (dropped at a line break). */
export interface LinePiece {
  text: string;
  spaced: boolean;
}

/**
 * `text` cut at its break opportunities for lines `width` columns wide;
 * whitespace runs collapse to one space, none kept at either end. A Korean
 * word stays whole (`keepKoreanWords`).
 */
export function linePieces(text: string, width: number): LinePiece[] {
  const spaced = text.split(/\s+/).filter((word) => word !== '').join(' ');
  const pieces: LinePiece[] = [];
  let start = 0;
  for (const end of [...breakPositions(spaced), spaced.length]) {
    if (end > start) pieces.push({ text: spaced.slice(start, end).trimEnd(), spaced: spaced.charCodeAt(start - 1) === 0x20 });
    start = end;
  }
  return keepKoreanWords(pieces, width);
}

/**
 * Korean is written with spaces between words and breaks only there (CSS
 * `word-break: keep-all` for Hangul): the pieces a break inside a word
 * next to a Hangul letter separates become one piece again, unless
 * together they are wider than a line, when the word breaks between its
 * characters as Japanese and Chinese do.
 */
function keepKoreanWords(pieces: readonly LinePiece[], width: number): LinePiece[] {
  const kept: LinePiece[] = [];
  const word: LinePiece[] = [];
  const endWord = () => {
    const text = word.length > 1 ? word.map((piece) => piece.text).join('') : '';
    if (text !== '' && columnsOf(text) <= width) kept.push({ text, spaced: word[0]!.spaced });
    else kept.push(...word);
    word.length = 0;
  };
  for (const piece of pieces) {
    const previous = word.at(-1);
    if (previous && (piece.spaced || !(isHangul(codePointBefore(previous.text, previous.text.length)) || isHangul(piece.text.codePointAt(0)!)))) endWord();
    word.push(piece);
  }
  endWord();
  return kept;
}

const hangul = /\p{Script=Hangul}/u;

/** A Hangul syllable or jamo. */
function isHangul(codePoint: number): boolean {
  return codePoint >= 0x1100 && hangul.test(String.fromCodePoint(codePoint));
}

/** Where in `text` a line may start (UTF-16 offsets, ascending, neither 0 nor the end). */
export function breakPositions(text: string): number[] {
  const allowed = breaksAllowed(text);
  const positions: number[] = [];
  for (let position = 1; position < text.length; position++) {
    if (takesBreak(text, position, allowed.has(position))) positions.push(position);
  }
  return positions;
}

/** The positions (UTF-16 offsets) before which UAX #14 allows a line to start. */
function breaksAllowed(text: string): Set<number> {
  const positions = new Set<number>();
  const breaker = LineBreaker(text, { lineBreak: 'strict', wordBreak: 'normal' });
  let position = 0;
  for (let next = breaker.next(); !next.done; next = breaker.next()) {
    position += next.value.slice().length;
    positions.add(position);
  }
  return positions;
}

/**
 * Whether a line may start at `position`. After spaces it may, as in
 * ASCII prose, unless UAX #14 forbids it next to a wide character (`foo
 * 」`); elsewhere only where UAX #14 allows and a wide character is on
 * either side.
 */
function takesBreak(text: string, position: number, allowed: boolean): boolean {
  const afterSpace = isSpace(text[position - 1]!);
  if (afterSpace && isSpace(text[position]!)) return false;
  const nextToWide = isWide(text.codePointAt(position)!) || isWide(codePointBefore(text, afterSpace ? position - 1 : position));
  return afterSpace ? allowed || !nextToWide : allowed && nextToWide;
}

/** JavaScript's `\s`: what separates words. */
function isSpace(char: string): boolean {
  return /\s/.test(char);
}

/** The code point that ends just before `position`. */
function codePointBefore(text: string, position: number): number {
  const code = text.charCodeAt(position - 1);
  return code >= 0xdc00 && code <= 0xdfff && position >= 2 ? text.codePointAt(position - 2)! : code;
}

/** Shows two columns wide: a CJK character, fullwidth punctuation, an emoji. */
function isWide(codePoint: number): boolean {
  return codePoint > 0x7f && columnsOf(String.fromCodePoint(codePoint)) >= 2;
}
