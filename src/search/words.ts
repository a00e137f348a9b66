/**
 * What Pagefind indexes for one whitespace-separated word of a page
 * (its `get_indexable_words`): the word with everything but letters, digits
 * and connector punctuation removed, lowercased, stripped of diacritics and
 * stemmed; plus, for a compound word (`kebab-case`, `camelCase`,
 * `dotted.name`, ...), each part of two or more bytes, stemmed; plus any
 * emoji in it. The rules follow Pagefind 1.6 exactly, odd corners
 * included, because the browser only finds what these rules put in.
 */
import { ownString } from './own-string.ts';
import { stemEnglish } from './stem-english.ts';

/** One entry to index for a word. */
export interface IndexableWord {
  /** The key in the index: normalised and stemmed. */
  stemmed: string;
  /** A part of a compound word: it gets a share of the word's weight. */
  compoundPart: boolean;
  /** The lowercased form before diacritics were removed, when that differs. */
  original?: string;
  /** What follows a '.' in the word (Pagefind 1.6 indexes it in the text, not in metadata). */
  dottedTail?: true;
}

/** Pagefind's default `include_characters`: Unicode "Punctuation, Connector". */
export const includeCharacters = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'] as const;
const connector = new Set<string>(includeCharacters);

// Rust's char::is_alphanumeric: Alphabetic or a Numeric general category.
const alphanumeric = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]$/u;
const notAlphanumeric = /[^\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;
const uppercase = /\p{Uppercase}/u;
const asciiPunctuation = /[!-/:-@[-`{-~]/g;
const emoji = /\p{Emoji}/u;
// The v flag (Node 20) knows RGI emoji sequences; built at run time for TypeScript's ES2022 target.
const rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
const combiningMarks = /\p{M}/gu;
const plainAsciiWord = /^[a-z0-9]+$/;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Whether a UTF-16 code is Rust's White_Space, as `str::split_whitespace` splits on (JavaScript's \s differs in two characters). */
function isWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Splits on Rust's whitespace, dropping empty pieces (by character codes: a page's text is split here, 900 words a page). */
export function splitWhitespace(text: string): string[] {
  const pieces: string[] = [];
  const length = text.length;
  let start = -1;
  for (let i = 0; i < length; i++) {
    if (isWhitespace(text.charCodeAt(i))) {
      if (start !== -1) {
        pieces.push(text.slice(start, i));
        start = -1;
      }
    } else if (start === -1) {
      start = i;
    }
  }
  if (start !== -1) pieces.push(start === 0 ? text : text.slice(start));
  return pieces;
}

/** `word` without diacritics, or undefined when it has none (ASCII words never do). */
function withoutDiacritics(word: string): string | undefined {
  if (!/[^\x00-\x7f]/.test(word)) return undefined;
  const bare = word.normalize('NFD').replace(combiningMarks, '');
  return bare === word ? undefined : bare;
}

function graphemeList(text: string): string[] {
  if (!/[^\x00-\x7f]/.test(text)) return text.split('');
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

const isUpperAny = (g: string): boolean => g.toUpperCase() !== g.toLowerCase() && g === g.toUpperCase();
const isLowerAny = (g: string): boolean => g.toUpperCase() !== g.toLowerCase() && g === g.toLowerCase();
const isDigitAny = (g: string): boolean => /^[0-9]+$/.test(g);
// One ASCII character: the same answers from its code, without a string made per test.
const asciiCode = (g: string): number => (g.length === 1 ? g.charCodeAt(0) : 128);
const isUpper = (g: string): boolean => {
  const code = asciiCode(g);
  return code < 128 ? code >= 65 && code <= 90 : isUpperAny(g);
};
const isLower = (g: string): boolean => {
  const code = asciiCode(g);
  return code < 128 ? code >= 97 && code <= 122 : isLowerAny(g);
};
const isDigit = (g: string): boolean => {
  const code = asciiCode(g);
  return code < 128 ? code >= 48 && code <= 57 : isDigitAny(g);
};

/**
 * The `convert_case` crate's default word split (space, lower→Upper,
 * letter↔digit and ACRonym boundaries, over grapheme clusters), lowercased
 * and joined with spaces, as Pagefind uses it for compound words.
 */
function caseWords(text: string): string {
  const parts = graphemeList(text);
  const words: string[] = [];
  let start = 0;
  for (let i = 0; i < parts.length; i++) {
    const a = parts[i] as string;
    const b = parts[i + 1];
    const c = parts[i + 2];
    if (a === ' ') {
      words.push(parts.slice(start, i).join(''));
      start = i + 1;
      continue;
    }
    if (b === undefined) continue;
    const split =
      (isLower(a) && isUpper(b)) ||
      (isLower(a) && isDigit(b)) ||
      (isUpper(a) && isDigit(b)) ||
      (isDigit(a) && isLower(b)) ||
      (isDigit(a) && isUpper(b)) ||
      (c !== undefined && isUpper(a) && isUpper(b) && isLower(c));
    if (split) {
      words.push(parts.slice(start, i + 1).join(''));
      start = i + 1;
    }
  }
  words.push(parts.slice(start).join(''));
  return words.map((word) => word.toLowerCase()).join(' ');
}

/** The parts of a possibly compound word, and the emoji in it. */
function discreteWords(raw: string): { parts: string; extras: string[] | undefined } {
  const parts = splitWhitespace(caseWords(raw.replace(asciiPunctuation, ' '))).join(' ');
  let extras: string[] | undefined;
  // The emojis crate also knows text-style forms (© without its emoji selector).
  // \p{Emoji} matches ASCII digits, # and *, but no ASCII text holds an emoji.
  if (/[^\x00-\x7f]/.test(raw) && emoji.test(raw)) extras = graphemeList(raw).filter((g) => rgiEmoji.test(g) || rgiEmoji.test(`${g}\ufe0f`));
  return { parts, extras };
}

const stem = (word: string): string => stemEnglish(word);

const nonAscii = /[^\x00-\x7f]/;
const notAsciiWordChar = /[^A-Za-z0-9_]/g;

/** Lowercases one character the way Pagefind does (ASCII first, then Unicode uppercase only). */
function normaliseChars(raw: string): string {
  // In ASCII, the letters, digits and `_` are kept: one pass instead of a test per character.
  if (!nonAscii.test(raw)) return raw.replace(notAsciiWordChar, '').toLowerCase();
  return normaliseCharsAny(raw);
}

function normaliseCharsAny(raw: string): string {
  let out = '';
  for (const c of raw) {
    if (!(alphanumeric.test(c) || connector.has(c))) continue;
    if (c >= 'A' && c <= 'Z') out += c.toLowerCase();
    else if (c > '\x7f' && uppercase.test(c)) out += c.toLowerCase();
    else out += c;
  }
  return out;
}

const notAsciiAlphanumeric = /[^A-Za-z0-9]/;
const asciiCapital = /[A-Z]/;

/** Pagefind's test for a word worth splitting: punctuation in it, or a capital after its first letter. */
function possiblyCompound(raw: string): boolean {
  if (!nonAscii.test(raw)) return notAsciiAlphanumeric.test(raw) || asciiCapital.test(raw.slice(1));
  return possiblyCompoundAny(raw);
}

function possiblyCompoundAny(raw: string): boolean {
  if (notAlphanumeric.test(raw)) return true;
  let first = true;
  for (const c of raw) {
    if (!first && uppercase.test(c)) return true;
    first = false;
  }
  return false;
}

// Words repeat across pages (and in every build): results are memoised, and shared, so never mutated.
const memo = new Map<string, readonly IndexableWord[]>();

/** Everything Pagefind indexes for one whitespace-free word of English text. */
export function indexableWords(raw: string): readonly IndexableWord[] {
  let known = memo.get(raw);
  if (!known) {
    // Kept strings are copies, not views into the page the word was cut from.
    known = computeIndexableWords(raw).map((entry) => ({ ...entry, stemmed: ownString(entry.stemmed), ...(entry.original !== undefined ? { original: ownString(entry.original) } : {}) }));
    // Small: a build worker indexes thousands of pages, and most words past the common few are seen once.
    if (memo.size > 20_000) memo.clear();
    memo.set(ownString(raw), known);
  }
  return known;
}

/**
 * What Pagefind indexes for one word of a metadata value: as in the text,
 * but without the tails after a '.' (the 1.6.0 binary adds those to the
 * text's words only).
 */
export function metaIndexableWords(raw: string): readonly IndexableWord[] {
  const all = indexableWords(raw);
  return all.some((entry) => entry.dottedTail) ? all.filter((entry) => !entry.dottedTail) : all;
}

function computeIndexableWords(raw: string): IndexableWord[] {
  if (plainAsciiWord.test(raw)) return [{ stemmed: stem(raw), compoundPart: false }];
  const results: IndexableWord[] = [];
  const normalised = normaliseChars(raw);
  if (normalised !== '') {
    const bare = withoutDiacritics(normalised);
    const entry: IndexableWord = { stemmed: stem(bare ?? normalised), compoundPart: false };
    if (bare !== undefined) entry.original = normalised;
    results.push(entry);
  }
  if (!possiblyCompound(raw)) return results;

  const { parts, extras } = discreteWords(raw);
  if (normalised !== '' && (/\s/u.test(parts) || !normalised.startsWith(parts))) {
    for (const part of splitWhitespace(parts)) {
      // Pagefind keeps parts of two or more UTF-8 bytes.
      if (Buffer.byteLength(part) < 2) continue;
      const bare = withoutDiacritics(part);
      const entry: IndexableWord = { stemmed: stem(bare ?? part), compoundPart: true };
      if (bare !== undefined) entry.original = part;
      results.push(entry);
    }
    // Pagefind 1.6 (not yet in its published source) also indexes what
    // follows each '.', so `launchpad.net` is found from `bugs.launchpad.net`
    // and `el8` from `1.2.el8`: each such tail, normalised like the whole
    // word, of two bytes or more, stemmed, and unless its stem is already
    // indexed for this word. Found by probing the 1.6.0 binary; see
    // test/search/pagefind-diff.test.ts.
    for (let dot = raw.indexOf('.'); dot !== -1; dot = raw.indexOf('.', dot + 1)) {
      // Only a tail that is itself compound counts (`el6.` and `fooBar` do, `el6` does not).
      if (!possiblyCompound(raw.slice(dot + 1))) continue;
      const tail = normaliseChars(raw.slice(dot + 1));
      if (Buffer.byteLength(tail) < 2) continue;
      const bare = withoutDiacritics(tail);
      const stemmed = stem(bare ?? tail);
      if (results.some((r) => r.stemmed === stemmed)) continue;
      const entry: IndexableWord = { stemmed, compoundPart: true, dottedTail: true };
      if (bare !== undefined) entry.original = tail;
      results.push(entry);
    }
  }
  for (const extra of extras ?? []) results.push({ stemmed: extra, compoundPart: false });
  return results;
}

/**
 * The character tests with their ASCII shortcuts, and the Unicode-wide
 * versions they replace for ASCII text: test/search/words.test.ts holds
 * each shortcut to its reference on every ASCII character.
 */
export const asciiShortcuts = { normaliseChars, possiblyCompound, isUpper, isLower, isDigit };
export const unicodeReference = { normaliseChars: normaliseCharsAny, possiblyCompound: possiblyCompoundAny, isUpper: isUpperAny, isLower: isLowerAny, isDigit: isDigitAny };
