/**
 * Wraps content in apostrophe markup (`''` italic, `'''` bold). Content that
 * starts or ends with an apostrophe would merge with the markup into a
 * longer run (`''it'''`), so `<nowiki/>` keeps them apart.
 */
export function wrapInQuotes(marks: string, content: string): string {
  const open = content.startsWith("'") ? `${marks}<nowiki/>` : marks;
  const close = content.endsWith("'") ? `<nowiki/>${marks}` : marks;
  return `${open}${content}${close}`;
}
