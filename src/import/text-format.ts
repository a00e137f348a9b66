/**
 * Reader of OSSN "e-mail format" notes: a title (possibly wrapped) over a
 * `---` line, then `### Section ###` headings. In a section: paragraphs,
 * `-`/`*`/`1.` lists, `---- begin example <file> snippet ----` blocks and
 * indented blocks (commands, URLs, tables, sentences).
 */
import type { Code, List, ListItem, Paragraph, RootContent } from 'mdast';
import { commandLanguage, contentLanguage, dedent, isProse, isUrlList, pathsByName, snippetCode, snippetInfo } from './code-blocks.ts';
import type { LegacyNote, LegacySection, ReaderNotice, SourceLine } from './legacy.ts';
import { paragraphOf, textToPhrasing } from './phrasing.ts';

const heading = /^\s*#{2,}\s*(.*?)\s*#*\s*$/;
const titleRule = /^\s*-{3,}\s*$/;
const snippetStart = /^\s*-{3,}\s*(?:begin|being)\b\s*(.*?)\s*-{3,}\s*$/i;
const snippetEnd = /^\s*-{3,}\s*end\b.*-{3,}\s*$/i;
const bullet = /^(\s{0,4})[-*•]\s+(\S.*)$/;
const numbered = /^(\s{0,4})(\d{1,2})[.)]\s+(\S.*)$/;

type Block =
  | { kind: 'paragraph'; lines: SourceLine[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Item[] }
  | { kind: 'snippet'; label: string; lines: SourceLine[]; line: number; closed: boolean }
  | { kind: 'indented'; lines: SourceLine[] };

interface Item {
  lines: SourceLine[];
  attached: Block[];
}

const blank = (l: SourceLine) => l.text.trim() === '';
const indentOf = (l: SourceLine) => /^[ \t]*/.exec(l.text)![0].replace(/\t/g, '    ').length;
const markerOf = (l: SourceLine) => {
  const n = numbered.exec(l.text);
  if (n) return { ordered: true, number: Number(n[2]), rest: n[3]! };
  const b = bullet.exec(l.text);
  return b ? { ordered: false, number: 1, rest: b[2]! } : undefined;
};

/** Splits a section's lines into blocks. */
function splitBlocks(lines: SourceLine[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (blank(line)) {
      i += 1;
      continue;
    }
    const start = snippetStart.exec(line.text);
    if (start) {
      let j = i + 1;
      while (j < lines.length && !snippetEnd.test(lines[j]!.text)) j += 1;
      blocks.push({ kind: 'snippet', label: start[1]!, lines: lines.slice(i + 1, j), line: line.line, closed: j < lines.length });
      i = j + 1;
      continue;
    }
    const marker = markerOf(line);
    if (marker) {
      const list: Block & { kind: 'list' } = { kind: 'list', ordered: marker.ordered, start: marker.number, items: [] };
      for (;;) {
        const current = markerOf(lines[i]!)!;
        const item: Item = { lines: [{ text: current.rest, line: lines[i]!.line }], attached: [] };
        i += 1;
        while (i < lines.length && !blank(lines[i]!) && !markerOf(lines[i]!) && !snippetStart.test(lines[i]!.text)) {
          item.lines.push({ text: lines[i]!.text.trim(), line: lines[i]!.line });
          i += 1;
        }
        list.items.push(item);
        let next = i;
        while (next < lines.length && blank(lines[next]!)) next += 1;
        const following = next < lines.length ? markerOf(lines[next]!) : undefined;
        if (!following || following.ordered !== list.ordered) break;
        i = next;
      }
      blocks.push(list);
      continue;
    }
    if (indentOf(line) >= 2) {
      const block: SourceLine[] = [];
      while (i < lines.length && !blank(lines[i]!) && indentOf(lines[i]!) >= 2 && !snippetStart.test(lines[i]!.text)) block.push(lines[i++]!);
      blocks.push({ kind: 'indented', lines: block });
      continue;
    }
    const paragraph: SourceLine[] = [line];
    i += 1;
    while (i < lines.length) {
      const next = lines[i]!;
      const previous = paragraph.at(-1)!.text.trimEnd();
      if (blank(next) || snippetStart.test(next.text)) break;
      // A list or an indented block may follow a line that announces it ("as follows:").
      if (previous.endsWith(':') && (bullet.test(next.text) || indentOf(next) >= 2)) break;
      if (indentOf(next) >= 4) break;
      paragraph.push(next);
      i += 1;
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return attachToLists(blocks);
}

/**
 * A numbered list interrupted by snippets ("3. Configure …", the snippet,
 * "4. Add …") is one list: the snippets belong to the step before them,
 * as do the snippets right after a last step that announces them.
 */
function attachToLists(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i]!;
    const previous = out.at(-1);
    if (previous?.kind === 'list' && (block.kind === 'snippet' || block.kind === 'indented')) {
      let j = i;
      while (j < blocks.length && (blocks[j]!.kind === 'snippet' || blocks[j]!.kind === 'indented')) j += 1;
      const next = blocks[j];
      const continues = next?.kind === 'list' && next.ordered === previous.ordered && (!next.ordered || next.start === previous.start + previous.items.length);
      const last = previous.items.at(-1)!;
      if (continues) {
        last.attached.push(...blocks.slice(i, j));
        previous.items.push(...next.items);
        i = j;
        continue;
      }
      // "5. Add this line:" and its snippet, at the end of the list.
      if (last.attached.length === 0 && last.lines.at(-1)!.text.trimEnd().endsWith(':')) {
        last.attached.push(...blocks.slice(i, j));
        i = j - 1;
        continue;
      }
    }
    out.push(block);
  }
  return out;
}

interface Converter {
  breaks: 'all' | 'auto';
  pathFor: (name: string) => string | undefined;
  notices: ReaderNotice[];
}

function paragraph(lines: SourceLine[], breaks: 'all' | 'auto'): Paragraph {
  return paragraphOf(
    lines.map((l) => ({ phrasing: textToPhrasing(l.text.trim()), plain: l.text.trim() })),
    breaks,
  );
}

function indentedNode(lines: SourceLine[], converter: Converter): RootContent {
  const texts = lines.map((l) => l.text);
  if (isUrlList(texts)) return paragraph(lines, 'all');
  if (!commandLanguage(texts) && isProse(texts)) return paragraph(lines, converter.breaks);
  const code: Code = { type: 'code', lang: contentLanguage(texts), meta: null, value: dedent(texts).join('\n') };
  return code;
}

function toNodes(block: Block, converter: Converter): RootContent[] {
  switch (block.kind) {
    case 'paragraph':
      return [paragraph(block.lines, converter.breaks)];
    case 'indented':
      return [indentedNode(block.lines, converter)];
    case 'snippet': {
      const texts = block.lines.map((l) => l.text);
      if (!block.closed) converter.notices.push({ line: block.line, text: 'A snippet has no "---- end ... ----" line; it was kept to the end of the section' });
      const info = snippetInfo(block.label, texts, converter.pathFor);
      if (info.fileWithoutPath) converter.notices.push({ line: block.line, text: `The snippet of ${info.file} is a config edit, but the note never gives the file's path: file=${info.file} names the file only` });
      return [snippetCode(info, texts)];
    }
    case 'list': {
      const list: List = {
        type: 'list',
        ordered: block.ordered,
        ...(block.ordered ? { start: block.start } : {}),
        spread: false,
        children: block.items.map(
          (item): ListItem => ({
            type: 'listItem',
            spread: item.attached.length > 0,
            children: [paragraph(item.lines, converter.breaks), ...(item.attached.flatMap((b) => toNodes(b, converter)) as ListItem['children'])],
          }),
        ),
      };
      return [list];
    }
  }
}

/** Reads an e-mail format note; `undefined` when the text has no `### Section ###` heading. */
export function readTextNote(text: string): LegacyNote | undefined {
  const lines: SourceLine[] = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((t, index) => ({ text: t.replace(/\s+$/, ''), line: index + 1 }));
  const headings = lines.filter((l) => heading.test(l.text) && heading.exec(l.text)![1] !== '');
  if (headings.length === 0) return undefined;
  const firstHeading = headings[0]!.line - 1;
  const rule = lines.slice(0, firstHeading).findIndex((l) => titleRule.test(l.text));
  const titleLines = (rule === -1 ? lines.slice(0, firstHeading).filter((l) => !blank(l)).slice(0, 1) : lines.slice(0, rule)).filter((l) => !blank(l));
  if (titleLines.length === 0) return undefined;

  const paths = pathsByName(text);
  const notices: ReaderNotice[] = [];
  const converter = (breaks: 'all' | 'auto'): Converter => ({ breaks, pathFor: (name) => paths.get(name)?.[0], notices });

  const preambleLines = lines.slice(rule === -1 ? titleLines[0]!.line : rule + 1, firstHeading);
  const preamble = splitBlocks(preambleLines).flatMap((b) => toNodes(b, converter('auto')));
  if (preamble.length > 0) notices.push({ line: preambleLines.find((l) => !blank(l))!.line, text: 'Text between the title and the first section was kept before the sections' });

  const sections: LegacySection[] = headings.map((h, index) => {
    const end = index + 1 < headings.length ? headings[index + 1]!.line - 1 : lines.length;
    const body = lines.slice(h.line, end);
    const name = heading.exec(h.text)![1]!;
    // The trailer is a list of records ("Author: …", "This OSSN : …"): one per line.
    const breaks = /contact|reference/i.test(name) ? 'all' : 'auto';
    return {
      heading: name,
      line: h.line,
      nodes: splitBlocks(body).flatMap((b) => toNodes(b, converter(breaks))),
      lines: body.filter((l) => !blank(l) && !snippetStart.test(l.text) && !snippetEnd.test(l.text)),
    };
  });
  return {
    format: 'text',
    title: titleLines.map((l) => l.text.trim()).join(' '),
    titleLine: titleLines[0]!.line,
    preamble,
    sections,
    notices,
    text,
  };
}
