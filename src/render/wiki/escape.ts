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

export interface EscapeOptions {
  /** Inside a heading line, where `=` would end the heading. */
  heading?: boolean;
}

/**
 * Escapes inline text. Line breaks become spaces: a wikitext line break ends
 * a list item, a table cell or a heading, and in a paragraph it renders as a
 * space anyway.
 */
export function escapeText(value: string, options: EscapeOptions = {}): string {
  const text = value.replace(controlCharacters, '').replace(/\r\n?|\n|\t/g, ' ');
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    const always = alwaysEscaped[char];
    if (always) out += always;
    else if (char in doubledEscaped && text[index + 1] === char) out += doubledEscaped[char];
    else if (char === '=' && options.heading) out += '&#61;';
    else out += char;
  }
  return out;
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
