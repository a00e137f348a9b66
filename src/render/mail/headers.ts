/**
 * Header fields: refused when a value carries a control character (a
 * line break would let a value forge headers of its own), then encoded
 * (RFC 2047 for non-ASCII) and folded to 78 columns.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, foldLines } from 'nodemailer/lib/mime-funcs';
import { encodedWordLimit, encodeRuns } from './encoded-words.ts';
import { HeraldError } from '../../errors/message.ts';
import { ruleInfo } from '../../errors/catalog.ts';

/** A header as herald composes it, before encoding. */
export type HeaderField = readonly [name: string, value: string];

const controlCharacter = /[\u0000-\u001f\u007f]/;
const addressHeaders = new Set(['from', 'to', 'cc', 'reply-to', 'sender']);
/** Headers whose value is built from ids and URLs only: written as they are. */
const verbatimHeaders = new Set(['message-id', 'in-reply-to', 'references', 'list-unsubscribe', 'list-unsubscribe-post', 'auto-submitted', 'date', 'mime-version']);

/**
 * Throws `header-control-char` when any value holds a control character.
 * Validation already refuses such titles; this guards every other path
 * (config, templates) into a header.
 */
export function assertHeadersSafe(fields: readonly HeaderField[], file: string): void {
  const bad = fields.filter(([, value]) => controlCharacter.test(value));
  if (bad.length === 0) return;
  const info = ruleInfo('header-control-char');
  throw new HeraldError(
    bad.map(([name, value]) => ({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      ruleId: 'header-control-char',
      message: `The ${name} header would contain a control character (${JSON.stringify(value)})`,
      hint: info.hint,
    })),
  );
}

function isAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

/**
 * Text a reader would decode as an RFC 2047 encoded word (`=?UTF-8?B?SGk=?=`
 * shows as "Hi", and an encoded CR LF slips past the control-character
 * check): such a value is encoded itself, so it reads as written.
 */
function looksEncoded(value: string): boolean {
  return value.includes('=?');
}

/** A word a phrase carries as it is: atext only, and nothing a reader would take for an encoded word. */
const plainWord = /^(?!.*=\?)[\w!#$%&'*+\-/=?^`{|}~]+$/;

/**
 * A non-ASCII display name as encoded words that no reader splits: one
 * word when it fits, else each run of words that need encoding as one,
 * with the plain words between them as they are. Two encoded words side by
 * side lose the space between them in RFC 2047 readers, and Python's email
 * package (list software's) shows a space the writer never meant: a name
 * cut mid-word reads "Exa mple". A run too long for one encoded word (a
 * CJK name has no spaces) is split on whole characters (`encoded-words.ts`),
 * which RFC 2047 readers join back; Python's address parser before
 * CPython gh-128110 still shows a space at each split.
 */
function encodedDisplayName(name: string): string {
  const whole = encodeWord(name, 'Q', 0);
  if (whole.length <= encodedWordLimit) return whole;
  return encodeRuns(name, (word) => plainWord.test(word));
}

/** A display name as a quoted string or encoded words, whichever it needs. */
function displayName(name: string): string {
  if (!isAscii(name) || looksEncoded(name)) return encodedDisplayName(name);
  if (/^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name)) return name;
  return `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

/** Re-serializes an address list (`Name <a@b>, c@d`) with safe display names. */
export function formatAddresses(value: string): string {
  const out: string[] = [];
  for (const entry of addressparser(value, { flatten: true })) {
    if (!('address' in entry) || !entry.address) continue;
    out.push(entry.name ? `${displayName(entry.name)} <${entry.address}>` : entry.address);
  }
  return out.join(', ');
}

/**
 * Address headers come from the config (From, the list's To), so every
 * message of a build repeats the same few: each is parsed once. Bounded,
 * in case a caller feeds it many distinct values.
 */
const formattedAddresses = new Map<string, string>();
const formattedAddressesLimit = 64;

function cachedAddresses(value: string): string {
  let formatted = formattedAddresses.get(value);
  if (formatted === undefined) {
    if (formattedAddresses.size >= formattedAddressesLimit) formattedAddresses.clear();
    formatted = formatAddresses(value);
    formattedAddresses.set(value, formatted);
  }
  return formatted;
}

/** A run of characters no folding can break within 998 columns, with the header's name before it. */
const longWord = /\S{900}/;

/**
 * `Name: value`, encoded as the header's kind needs and folded; no trailing
 * CRLF. Message-ids cannot be folded: the schemas bound them (`message_id`
 * at 250 characters), so no line exceeds RFC 5322's 998 characters.
 */
export function formatHeader([name, value]: HeaderField): string {
  const key = name.toLowerCase();
  // An empty group (`undisclosed-recipients:;`) has no address to re-serialize.
  const emptyGroup = addressHeaders.has(key) && /^[\w -]+:;$/.test(value);
  if (verbatimHeaders.has(key) || emptyGroup) return foldLines(`${name}: ${value}`, 78).trimEnd();
  if (addressHeaders.has(key)) return foldLines(`${name}: ${cachedAddresses(value)}`, 78).trimEnd();
  if (!isAscii(value)) return foldLines(`${name}: ${encodedText(name, value)}`, 78).trimEnd();
  // A word too long to fold within RFC 5322's 998-character lines goes as encoded words, which fold anywhere.
  const encoded = longWord.test(value) || looksEncoded(value) ? encodeWord(value, 'Q', 52) : value;
  return foldLines(`${name}: ${encoded}`, 78).trimEnd();
}

/**
 * A non-ASCII unstructured value (the Subject) as plain words and encoded
 * words: each run of words that need encoding (non-ASCII, `=?`, too long to
 * fold) is split between whole characters (`encoded-words.ts`), never
 * inside an emoji or a letter with its accent, into words short enough
 * that the first still fits on the `Subject:` line, so every line folds
 * within RFC 5322's 78 characters. The result is folded only: nothing
 * encodes it again.
 */
function encodedText(name: string, value: string): string {
  // foldLines folds a line of exactly 78 characters too, hence 77.
  const limit = Math.min(encodedWordLimit, 77 - `${name}: `.length);
  return encodeRuns(value, (word) => word.length <= limit && /^[\x21-\x7e]*$/.test(word) && !word.includes('=?'), limit);
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in UTC: `Tue, 18 Mar 2014 15:00:00 +0000`. */
export function formatDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** The bare address of a `Name <a@b>` value. */
export function addressOf(value: string): string | undefined {
  for (const entry of addressparser(value, { flatten: true })) {
    if ('address' in entry && entry.address) return entry.address;
  }
  return undefined;
}
