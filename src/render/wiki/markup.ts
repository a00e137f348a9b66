/**
 * Small pieces of wikitext markup shared by the node handlers and the page
 * parts herald writes itself (metadata, checklist, history, index).
 */
import { escapeNowiki, escapeText } from './escape.ts';

/**
 * `<code>` with the text as is when nothing in it needs escaping, else
 * wrapped in `<nowiki>`, so a command stays readable in the page source.
 */
export function codeSpan(value: string, options: { heading?: boolean } = {}): string {
  const plain = escapeText(value, options);
  if (plain === value) return `<code>${plain}</code>`;
  return `<code><nowiki>${escapeNowiki(value)}</nowiki></code>`;
}
