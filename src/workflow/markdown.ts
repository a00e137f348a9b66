/**
 * Small, safe building blocks for the GitHub-flavoured Markdown that herald
 * posts to pull requests and job summaries. Note content is untrusted text:
 * it must not become markup, mention people or close a code fence early.
 */

/**
 * Escapes `text` for use in a Markdown paragraph, heading or table cell:
 * markup characters are backslash-escaped, line breaks become spaces, and
 * `@name` is broken with a zero-width space so a note title never pings
 * anyone (GitHub does not treat `\@` as an escape for mentions).
 */
export function inline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]<>()#+!|~&$]/g, (c) => `\\${c}`)
    .replace(mention, '$1@&#8203;');
}

/** `@name` where GitHub would see a mention: at the start or after a non-word character (not in `a@b.org`). */
const mention = /(^|[^\w`])@(?=\w)/g;

/** The offset of each `@` in `text` that GitHub would read as a mention (`mention`'s matches). */
export function mentionBreaks(text: string): number[] {
  return [...text.matchAll(mention)].map((match) => match.index + match[1]!.length);
}

/** `text` as inline code, with a backtick run longer than any inside it. */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/**
 * `text` as inline code in a table cell. GitHub splits a row into cells at
 * every `|` not escaped before it reads code spans, so a `|` inside the
 * code would end the cell and let the rest become markup (bold text, a
 * remote image); each becomes `\|`, which GitHub reads back as `|` in the
 * code. A backslash right before a `|` (`grep 'a\|b'`) would make `\\|`,
 * which parsers disagree on (GitHub reads an escaped pipe, micromark an
 * escaped backslash and the cell's end): such text is written as
 * `<code>` with every punctuation character a character reference, which
 * every parser reads as plain text.
 */
export function codeCell(text: string): string {
  if (/\\\|/.test(text)) return `<code>${text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>`;
  return code(text).replace(/\|/g, '\\|');
}

/** A fenced code block whose fence is longer than any backtick run in `content`. */
export function fence(content: string, lang = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/^ {0,3}(`{3,}|~{3,})/gm)].map((m) => m[1]!.length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${marks}${lang}\n${body}${marks}`;
}

/** A collapsed `<details>` block; `summary` is escaped (mentions too), `body` is Markdown. */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary).replace(mention, '$1@&#8203;')}</summary>\n\n${body}\n\n</details>`;
}

/** Escapes `&`, `<`, `>` and `"` for HTML text and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "1 error", "2 warnings". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
