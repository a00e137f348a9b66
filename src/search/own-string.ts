/**
 * A copy of `text` that refers to no longer string. V8 makes a slice of 13
 * characters or more a view into the string it was cut from, so a word cut
 * from a page's text and kept in a memo would keep the whole page alive
 * (in a build worker, a few hundred pages of 16 KB after 4,000 notes).
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : (` ${text}`).slice(1);
}
