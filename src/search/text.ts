/**
 * Text clean-up as Pagefind does it (`normalize_content`): decode HTML
 * character references, trim, turn newline runs into spaces and squeeze
 * runs of whitespace. Pagefind collects raw text (references undecoded) and
 * decodes once here, so a page's text and its filter values pass through
 * this function, not through an HTML parser's decoding.
 */

// Named references that herald's templates and Markdown renderer emit, and
// the common ones authors write in raw HTML. Numeric references are decoded
// in full. A rarer name is left as written (Pagefind knows all of HTML's).
const named: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '\u00ad',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  times: '×',
  deg: '°',
  euro: '€',
  pound: '£',
  sect: '§',
  para: '¶',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  Tab: '\t',
  NewLine: '\n',
};

const reference = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** Decodes numeric and common named character references. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(reference, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return named[name] ?? whole;
    const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  });
}

// Rust's regex \s is Unicode White_Space; JavaScript's \s differs (U+FEFF, U+0085).
const ws = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const trimEnds = new RegExp(`^[${ws}]+|[${ws}]+$`, 'gu');
const newlines = /(?:\n|\r\n)+/g;
const extraneous = new RegExp(`[${ws}]{2,}`, 'gu');

/** Pagefind's `normalize_content`. */
export function normaliseContent(text: string): string {
  return decodeEntities(text).replace(trimEnds, '').replace(newlines, ' ').replace(extraneous, ' ');
}

/** Whether `text` is empty once Rust's `str::trim` (White_Space) is applied. */
export function isBlank(text: string): boolean {
  return new RegExp(`^[${ws}]*$`, 'u').test(text);
}
