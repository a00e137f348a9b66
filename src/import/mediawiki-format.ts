/**
 * Reader of OSSN notes kept in MediaWiki markup (as on the OpenStack wiki):
 * `= OSSN-0094: Title =`, then `== Section ==` (or deeper) headings;
 * paragraphs, `*`/`#` lists, `<pre>` and `<syntaxhighlight>` blocks,
 * space-indented preformatted lines and tables.
 */
import type { Code, List, ListItem, Paragraph, PhrasingContent, RootContent } from 'mdast';
import { contentLanguage, dedent, pathsByName, snippetCode, snippetInfo } from './code-blocks.ts';
import type { LegacyNote, LegacySection, ReaderNotice, SourceLine } from './legacy.ts';
import { decodeEntities, wikiInline } from './mediawiki-inline.ts';
import { paragraphOf, plainOf } from './phrasing.ts';

const headingLine = /^(={1,6})\s*(.+?)\s*\1\s*$/;
const titleWithId = /^([A-Z][A-Z0-9]*-\d{4,})\s*[:\-\u2013\u2014]\s*(.+)$/;
const behaviourSwitch = /^\s*__[A-Z]+__\s*$/;
const category = /^\s*\[\[Category:[^\]]*\]\]\s*$/i;
const listLine = /^([*#]+)\s*(.*)$/;
const snippetMarker = /^\s*-{3,}\s*(?:begin|being)\b\s*(.*?)\s*-{3,}\s*$/i;
const snippetEndMarker = /^\s*-{3,}\s*end\b.*-{3,}\s*$/i;

/** A MediaWiki note has a `= … =` heading line and no `### … ###` heading. */
export function looksLikeMediaWiki(text: string): boolean {
  return /^=+[^=\n].*=+\s*$/m.test(text) && !/^\s*#{2,}\s*\S.*#+\s*$/m.test(text);
}

interface Context {
  notices: ReaderNotice[];
  pathFor: (name: string) => string | undefined;
  breaks: 'all' | 'auto';
}

function inline(text: string, line: number, context: Context): PhrasingContent[] {
  return wikiInline(text, (notice) => context.notices.push({ line, text: notice }));
}

function preformatted(lines: SourceLine[], lang: string | undefined, context: Context): Code {
  const texts = lines.map((l) => decodeEntities(l.text));
  const first = texts.findIndex((t) => t.trim() !== '');
  const start = first === -1 ? undefined : snippetMarker.exec(texts[first]!);
  if (start) {
    const endIndex = texts.findIndex((t, i) => i > first && snippetEndMarker.test(t));
    const inner = texts.slice(first + 1, endIndex === -1 ? texts.length : endIndex);
    return snippetCode(snippetInfo(start[1]!, inner, context.pathFor), inner);
  }
  return { type: 'code', lang: lang ?? contentLanguage(texts), meta: null, value: dedent(texts).join('\n').replace(/^\n+|\n+$/g, '') };
}

function paragraph(lines: SourceLine[], context: Context): Paragraph {
  return paragraphOf(
    lines.map((l) => {
      const phrasing = inline(l.text.trim(), l.line, context);
      return { phrasing, plain: plainOf(phrasing) };
    }),
    context.breaks,
  );
}

/** Nested `*`/`#` lines → nested lists. */
function buildList(lines: { depth: number; ordered: boolean; text: string; line: number }[], depth: number, context: Context): List {
  const ordered = lines[0]!.ordered;
  const items: ListItem[] = [];
  let i = 0;
  while (i < lines.length) {
    const item = lines[i]!;
    const children: ListItem['children'] = [paragraph([{ text: item.text, line: item.line }], context)];
    let j = i + 1;
    while (j < lines.length && lines[j]!.depth > depth) j += 1;
    if (j > i + 1) children.push(buildList(lines.slice(i + 1, j), depth + 1, context));
    items.push({ type: 'listItem', spread: false, children });
    i = j;
  }
  return { type: 'list', ordered, spread: false, children: items };
}

function blocksOf(lines: SourceLine[], context: Context): { nodes: RootContent[]; plain: SourceLine[] } {
  const nodes: RootContent[] = [];
  const plain: SourceLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const text = line.text;
    if (text.trim() === '' || behaviourSwitch.test(text) || category.test(text)) {
      i += 1;
      continue;
    }
    const block = /^\s*<(pre|syntaxhighlight|source)\b([^>]*)>(.*)$/i.exec(text);
    if (block) {
      const tag = block[1]!.toLowerCase();
      const lang = /lang\s*=\s*"?([\w+-]+)/i.exec(block[2]!)?.[1];
      const body: SourceLine[] = [];
      let rest = block[3]!;
      let j = i;
      const close = new RegExp(`</${tag}>`, 'i');
      for (;;) {
        const at = rest.search(close);
        if (at !== -1) {
          if (rest.slice(0, at) !== '') body.push({ text: rest.slice(0, at), line: lines[j]!.line });
          break;
        }
        if (rest !== '' || j > i) body.push({ text: rest, line: lines[j]!.line });
        j += 1;
        if (j >= lines.length) {
          context.notices.push({ line: line.line, text: `<${tag}> is never closed; the rest of the section was kept as preformatted text` });
          break;
        }
        rest = lines[j]!.text;
      }
      nodes.push(preformatted(body, lang, context));
      plain.push(...body);
      i = j + 1;
      continue;
    }
    if (text.startsWith('{|')) {
      const table: SourceLine[] = [];
      while (i < lines.length && !lines[i]!.text.startsWith('|}')) table.push(lines[i++]!);
      if (i < lines.length) table.push(lines[i++]!);
      context.notices.push({ line: line.line, text: 'A wiki table was kept as preformatted text' });
      nodes.push({ type: 'code', lang: 'text', meta: null, value: table.map((l) => l.text).join('\n') });
      plain.push(...table);
      continue;
    }
    if (/^-{4,}\s*$/.test(text)) {
      nodes.push({ type: 'thematicBreak' });
      i += 1;
      continue;
    }
    if (text.startsWith(' ')) {
      const pre: SourceLine[] = [];
      while (i < lines.length && lines[i]!.text.startsWith(' ') && lines[i]!.text.trim() !== '') pre.push(lines[i++]!);
      nodes.push(preformatted(pre, undefined, context));
      plain.push(...pre);
      continue;
    }
    if (listLine.test(text)) {
      const items: { depth: number; ordered: boolean; text: string; line: number }[] = [];
      while (i < lines.length && listLine.test(lines[i]!.text)) {
        const [, marks, content] = listLine.exec(lines[i]!.text)!;
        items.push({ depth: marks!.length, ordered: marks!.endsWith('#'), text: content!, line: lines[i]!.line });
        plain.push({ text: plainOf(inline(content!, lines[i]!.line, { ...context, notices: [] })), line: lines[i]!.line });
        i += 1;
      }
      const top = Math.min(...items.map((item) => item.depth));
      nodes.push(buildList(items.map((item) => ({ ...item, depth: item.depth - top + 1 })), 1, context));
      continue;
    }
    const paragraphLines: SourceLine[] = [];
    while (i < lines.length) {
      const next = lines[i]!;
      if (next.text.trim() === '' || listLine.test(next.text) || next.text.startsWith(' ') || next.text.startsWith('{|') || /^\s*<(pre|syntaxhighlight|source)\b/i.test(next.text)) break;
      // `:` indents a line in MediaWiki; Markdown has no such indent, the words stay.
      paragraphLines.push({ text: next.text.replace(/^:+\s*/, ''), line: next.line });
      i += 1;
    }
    nodes.push(paragraph(paragraphLines, context));
    for (const l of paragraphLines) plain.push({ text: plainOf(inline(l.text, l.line, { ...context, notices: [] })), line: l.line });
  }
  return { nodes: joinNumberedLists(nodes), plain };
}

/**
 * MediaWiki restarts a `#` list after a `<pre>` block, though the author
 * meant one list ("# Set …", the snippet, "# Restart …"): the lists are
 * joined and each block goes to the step before it, as do the blocks right
 * after a last step that announces them ("# Restart the agent:").
 */
function joinNumberedLists(nodes: RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  for (let i = 0; i < nodes.length; i += 1) {
    const node = nodes[i]!;
    const previous = out.at(-1);
    if (previous?.type === 'list' && previous.ordered && node.type === 'code') {
      let j = i;
      while (j < nodes.length && nodes[j]!.type === 'code') j += 1;
      const next = nodes[j];
      const last = previous.children.at(-1)!;
      const announces = plainOf((last.children[0] as Paragraph | undefined)?.children ?? []).trimEnd().endsWith(':');
      if ((next?.type === 'list' && next.ordered) || announces) {
        last.children.push(...(nodes.slice(i, j) as Code[]));
        last.spread = true;
        if (next?.type === 'list' && next.ordered) {
          previous.children.push(...next.children);
          i = j;
        } else i = j - 1;
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

/** Reads a MediaWiki note; `undefined` when it has no heading to take a title from. */
export function readMediaWikiNote(text: string): LegacyNote | undefined {
  const lines: SourceLine[] = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((t, index) => ({ text: t.replace(/\s+$/, ''), line: index + 1 }));
  const headings = lines.filter((l) => headingLine.test(l.text));
  if (headings.length === 0) return undefined;
  const notices: ReaderNotice[] = [];
  const paths = pathsByName(text);
  const context = (breaks: 'all' | 'auto'): Context => ({ notices, pathFor: (name) => paths.get(name)?.[0], breaks });

  const first = headings[0]!;
  const [, marks, firstText] = headingLine.exec(first.text)!;
  const plainTitle = plainOf(inline(firstText!, first.line, context('auto')));
  const withId = titleWithId.exec(plainTitle);
  // The title is the first heading when it names the note, or is the only top-level (`= … =`) one.
  const isTitle = withId !== null || (marks!.length === 1 && headings.filter((h) => headingLine.exec(h.text)![1]!.length === 1).length === 1);
  if (!isTitle) return undefined;
  const sectionHeadings = headings.slice(1);

  const preambleLines = lines.slice(first.line, sectionHeadings[0] ? sectionHeadings[0].line - 1 : lines.length);
  const preamble = blocksOf(preambleLines, context('auto')).nodes;
  if (preamble.length > 0) notices.push({ line: preambleLines.find((l) => l.text.trim() !== '')!.line, text: 'Text between the title and the first section was kept before the sections' });

  const sections: LegacySection[] = sectionHeadings.map((h, index) => {
    const end = index + 1 < sectionHeadings.length ? sectionHeadings[index + 1]!.line - 1 : lines.length;
    const name = plainOf(inline(headingLine.exec(h.text)![2]!, h.line, context('auto'))).trim();
    const { nodes, plain } = blocksOf(lines.slice(h.line, end), context(/contact|reference/i.test(name) ? 'all' : 'auto'));
    return { heading: name, line: h.line, nodes, lines: plain };
  });
  return {
    format: 'mediawiki',
    ...(withId ? { id: withId[1]! } : {}),
    title: withId ? withId[2]!.trim() : plainTitle.trim(),
    titleLine: first.line,
    preamble,
    sections,
    notices,
    text,
  };
}
