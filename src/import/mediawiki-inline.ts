/**
 * MediaWiki inline markup → mdast phrasing: bold and italic quotes,
 * external and internal links, `<code>`/`<tt>`, `<nowiki>`, `<br>`, and
 * character entities. Templates (`{{…}}`) and other tags are kept as text
 * and reported: herald cannot know what they expanded to.
 */
import type { PhrasingContent } from 'mdast';
import { mergeText, textToPhrasing } from './phrasing.ts';

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

interface Rule {
  pattern: RegExp;
  handle: (match: RegExpExecArray, report: (text: string) => void) => PhrasingContent[];
}

const rules: Rule[] = [
  { pattern: /<nowiki>([\s\S]*?)<\/nowiki>/, handle: (m) => [{ type: 'text', value: decodeEntities(m[1]!) }] },
  { pattern: /<(code|tt|kbd|samp)>([\s\S]*?)<\/\1>/, handle: (m) => [{ type: 'inlineCode', value: decodeEntities(m[2]!) }] },
  { pattern: /'''''(.+?)'''''/, handle: (m, r) => [{ type: 'strong', children: [{ type: 'emphasis', children: wikiInline(m[1]!, r) }] }] },
  { pattern: /'''(.+?)'''/, handle: (m, r) => [{ type: 'strong', children: wikiInline(m[1]!, r) }] },
  { pattern: /''(.+?)''/, handle: (m, r) => [{ type: 'emphasis', children: wikiInline(m[1]!, r) }] },
  { pattern: /\[\[(?:[^|\]]*\|)?([^\]]+)\]\]/, handle: (m) => [{ type: 'text', value: decodeEntities(m[1]!) }] },
  {
    pattern: /\[((?:https?:)?\/\/[^\s\]]+)(?:\s+([^\]]*))?\]/,
    handle: (m, r) => {
      const url = m[1]!.startsWith('//') ? `https:${m[1]}` : m[1]!;
      const label = m[2]?.trim();
      if (url.startsWith('http://')) {
        // No http links are published: the label stays, the URL follows it as code.
        return [...(label ? [...wikiInline(label, r), { type: 'text', value: ' (' } as PhrasingContent] : []), { type: 'inlineCode', value: url }, ...(label ? [{ type: 'text', value: ')' } as PhrasingContent] : [])];
      }
      return [{ type: 'link', url, children: label ? wikiInline(label, r) : [{ type: 'text', value: url }] }];
    },
  },
  { pattern: /<br\s*\/?>/i, handle: () => [{ type: 'break' }] },
  {
    pattern: /\{\{([^{}]*)\}\}/,
    handle: (m, r) => {
      r(`The template {{${m[1]}}} was kept as text`);
      return [{ type: 'text', value: m[0] }];
    },
  },
  {
    pattern: /<\/?([a-z]+)\b[^>]*>/i,
    handle: (m, r) => {
      r(`The tag <${m[1]}> was dropped; its content is kept`);
      return [];
    },
  },
];

/** Phrasing of one line (or run) of MediaWiki text; `report` collects what was kept as text. */
export function wikiInline(text: string, report: (text: string) => void): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let rest = text;
  while (rest !== '') {
    let best: { index: number; match: RegExpExecArray; rule: Rule } | undefined;
    for (const rule of rules) {
      const match = rule.pattern.exec(rest);
      if (match && (!best || match.index < best.index)) best = { index: match.index, match, rule };
    }
    if (!best) {
      out.push(...textToPhrasing(decodeEntities(rest)));
      break;
    }
    if (best.index > 0) out.push(...textToPhrasing(decodeEntities(rest.slice(0, best.index))));
    out.push(...best.rule.handle(best.match, report));
    rest = rest.slice(best.index + best.match[0].length);
  }
  return mergeText(out);
}
