/**
 * Escaping for MediaWiki wikitext. Note text is data: whatever it contains,
 * it must come out as the same characters on the page and never as wiki
 * structure (links, categories, templates, signatures, behaviour switches,
 * tags, list or heading lines, table cells).
 *
 * Characters are replaced by numeric character references, which the wiki
 * renders as the character itself but never parses as markup. Pre-save
 * transforms (`~~~~` signatures) do not see through them either.
 */

/** Characters that open or close wiki structure wherever they appear. */
const alwaysEscaped: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '[': '&#91;',
  ']': '&#93;',
  '{': '&#123;',
  '}': '&#125;',
  '|': '&#124;',
  '~': '&#126;',
  // Only matched inside a heading line, where it would end the heading.
  '=': '&#61;',
};

/**
 * Characters that are markup only when doubled: `''` (italic, bold),
 * `__` (behaviour switches such as `__NOTOC__`), `!!` (header cell separator).
 * Escaping the first of each pair is enough to break the pair.
 */
const doubledEscaped: Readonly<Record<string, string>> = {
  "'": '&#39;',
  _: '&#95;',
  '!': '&#33;',
};

// C0 controls other than tab and line breaks, and DEL: never meaningful text.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Whether the character code is one of `controlCharacters`, which escaping drops. */
function isControl(code: number): boolean {
  return code === 0x7f || (code <= 0x1f && code !== 0x09 && code !== 0x0a && code !== 0x0d);
}

/** The code of the character next to `index` in direction `step` (±1) once controls are dropped. */
function neighbour(text: string, index: number, step: 1 | -1): number {
  let at = index + step;
  while (isControl(text.charCodeAt(at))) at += step;
  return text.charCodeAt(at);
}

/**
 * Every character escapeText may change, so that one scan finds them all:
 * a simple class keeps that scan fast, and `escapeMatch` decides on each.
 */
const textPattern = /[\u0000-\u001f\u007f&<[\]{}|~'_!]/g;
const headingPattern = /[\u0000-\u001f\u007f&<[\]{}|~'_!=]/g;

/**
 * What one matched character becomes. The result is as if controls were
 * dropped first and line breaks (`\r\n`, `\r`, `\n`) and tabs then turned
 * into one space each, so pairs are judged across dropped controls too.
 */
function escapeMatch(char: string, index: number, text: string): string {
  const always = alwaysEscaped[char];
  if (always !== undefined) return always;
  const doubled = doubledEscaped[char];
  if (doubled !== undefined) return neighbour(text, index, 1) === char.charCodeAt(0) ? doubled : char;
  // The `\r` of `\r\n` already stands for the line break.
  if (char === '\n') return neighbour(text, index, -1) === 0x0d ? '' : ' ';
  return char === '\r' || char === '\t' ? ' ' : '';
}

export interface EscapeOptions {
  /** Inside a heading line, where `=` would end the heading. */
  heading?: boolean;
}

/**
 * Escapes inline text. Line breaks become spaces: a wikitext line break ends
 * a list item, a table cell or a heading, and in a paragraph it renders as a
 * space anyway.
 */
export function escapeText(value: string, options?: EscapeOptions): string {
  return value.replace(options?.heading ? headingPattern : textPattern, escapeMatch);
}

/**
 * Escapes the first character of a line where it would start a list (`*#:;`),
 * a heading (`=`), preformatted text (a space), a table (`{|`, `|`, `!`) or a
 * horizontal rule (`----`).
 */
export function escapeLineStart(line: string): string {
  const trimmed = line.replace(/^[ \t]+/, '');
  const first = trimmed[0];
  if (first === undefined) return trimmed;
  if ('*#:;=!|'.includes(first) || trimmed.startsWith('----')) {
    return `&#${first.charCodeAt(0)};${trimmed.slice(1)}`;
  }
  return trimmed;
}

/**
 * Escapes text for `<nowiki>…</nowiki>`: only `&` (entities are decoded
 * there) and `<` (which could close the tag) matter.
 */
export function escapeNowiki(value: string): string {
  return value.replace(controlCharacters, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\r\n?|\n/g, ' ');
}

// Ends an external link's URL on the wiki or forms markup within it.
const urlUnsafe = /[\u0000-\u0020\u007f"'<>[\]{}|\\^`~\p{Zs}\uFFFD]/gu;

/**
 * Makes a URL safe as the target of an external link `[url text]`: every
 * character that would end the URL or form markup is percent-encoded
 * (RFC 3986 treats `%7E` and `~` alike), `&` is written as an entity.
 */
export function escapeUrl(url: string): string {
  return url
    .replace(urlUnsafe, (char) =>
      Array.from(new TextEncoder().encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .replace(/&/g, '&amp;');
}
