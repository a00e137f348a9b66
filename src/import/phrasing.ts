/**
 * Plain text of a legacy note → mdast phrasing. Words stay exactly as
 * written; only links and quoted code become markup: https URLs and e-mail
 * addresses are links, plain-http URLs are set as code, because herald
 * publishes no http link (lint rule url-not-https) and the original's URL
 * must survive unchanged, and a word the author set in backquotes
 * (`` `br100` ``, as the notes' e-mails did) is code.
 */
import type { Paragraph, PhrasingContent } from 'mdast';

const urlOrEmail = /\bhttps?:\/\/[^\s<>"`\]]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Trailing punctuation ends a sentence, not the URL, unless the URL opened a bracket it closes. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0 && /[.,;:!?'")\]]/.test(url[end - 1]!)) {
    const c = url[end - 1]!;
    if (c === ')' && (url.slice(0, end).match(/\(/g)?.length ?? 0) >= (url.slice(0, end).match(/\)/g)?.length ?? 0)) break;
    end -= 1;
  }
  return url.slice(0, end);
}

/** Backquoted text on one line, without a space just inside either backquote: what the notes' authors wrote as code in plain-text mail. */
const backquoted = /`([^`\s](?:[^`\n]*[^`\s])?)`/g;

/** Phrasing for one run of plain text. */
export function textToPhrasing(text: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let last = 0;
  for (const match of text.matchAll(backquoted)) {
    if (match.index > last) out.push(...linked(text.slice(last, match.index)));
    out.push({ type: 'inlineCode', value: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(...linked(text.slice(last)));
  return out;
}

/** Phrasing for plain text without code: its URLs and e-mail addresses as links. */
function linked(text: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let last = 0;
  for (const match of text.matchAll(urlOrEmail)) {
    const raw = match[0].includes('://') ? trimUrl(match[0]) : match[0].replace(/\.+$/, '');
    if (raw === '' || raw.endsWith('://')) continue;
    const start = match.index;
    if (start > last) out.push({ type: 'text', value: text.slice(last, start) });
    if (raw.startsWith('http://')) out.push({ type: 'inlineCode', value: raw });
    else if (raw.startsWith('https://')) out.push({ type: 'link', url: raw, children: [{ type: 'text', value: raw }] });
    else out.push({ type: 'link', url: `mailto:${raw}`, children: [{ type: 'text', value: raw }] });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ type: 'text', value: text.slice(last) });
  return out;
}

/** Adjacent text nodes become one, so the Markdown serializer escapes across them correctly. */
export function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    const previous = out.at(-1);
    if (node.type === 'text' && previous?.type === 'text') previous.value += node.value;
    else out.push(node.type === 'text' ? { ...node } : node);
  }
  return out;
}

/**
 * The column below which a line ended on purpose: a writer who wraps at
 * ~72 columns breaks a line early only to start something new ("Apache:"
 * above its directive, one reference per line).
 */
const deliberateBreakWidth = 60;

/** Whether the break after `line` was the author's, given the next line. */
export function isDeliberateBreak(line: string, next: string): boolean {
  const nextWord = next.trim().split(/\s+/)[0] ?? '';
  return line.trim().length + 1 + nextWord.length <= deliberateBreakWidth;
}

/**
 * A paragraph from lines of phrasing. `breaks: 'all'` keeps every line
 * break (a list of references); `'auto'` keeps only deliberate ones and
 * lets the rest re-wrap.
 */
export function paragraphOf(lines: { phrasing: PhrasingContent[]; plain: string }[], breaks: 'all' | 'auto'): Paragraph {
  const children: PhrasingContent[] = [];
  lines.forEach((line, index) => {
    if (index > 0) {
      const hard = breaks === 'all' || isDeliberateBreak(lines[index - 1]!.plain, line.plain);
      children.push(hard ? { type: 'break' } : { type: 'text', value: '\n' });
    }
    children.push(...line.phrasing);
  });
  return { type: 'paragraph', children: mergeText(children) };
}

/** The plain text of phrasing, links written as `text <url>` so the URL is still there to read. */
export function plainOf(nodes: readonly PhrasingContent[]): string {
  return nodes
    .map((node): string => {
      switch (node.type) {
        case 'text':
        case 'inlineCode':
          return node.value;
        case 'break':
          return ' ';
        case 'link': {
          const label = plainOf(node.children);
          const url = node.url.replace(/^mailto:/, '');
          return label === url ? url : `${label} <${url}>`;
        }
        default:
          return 'children' in node ? plainOf(node.children as PhrasingContent[]) : '';
      }
    })
    .join('');
}
