/**
 * The fast path of `parseMarkdown`: markdown-it tokens converted to the mdast
 * that micromark + mdast-util-from-markdown give, about ten times cheaper.
 *
 * micromark stays the reference. This path answers `undefined` (and the
 * caller uses micromark) for any note it is not sure to convert identically:
 * see `acceptsText` for the syntax it leaves alone, and every `throw
 * unsupported` below for token shapes it does not know.
 *
 * Positions: block nodes (root, paragraph, heading, thematicBreak,
 * blockquote, list, listItem, code, html, table) get exactly micromark's
 * positions, computed from each token's line range and the source lines.
 * Inline nodes, and table rows and cells, get none: markdown-it does not
 * track where inline tokens start. Every consumer of positions reads block
 * positions only, except lint's link rules, so `parseNote` re-parses with
 * micromark any note whose lint reports something in the body.
 */
import type { Blockquote, Code, Heading, Html, List, ListItem, Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent, Table, TableCell, TableRow, Text } from 'mdast';
import MarkdownIt from 'markdown-it';
import type { Point } from 'unist';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { toString } from 'mdast-util-to-string';

/** Thrown (and caught in `parseFast`) when a note holds something this path does not convert. */
class Unsupported extends Error {}
const unsupported = (what: string): never => {
  throw new Unsupported(what);
};

/** Deeper than this (markdown-it silently stops nesting at `maxNesting`), micromark decides. */
const maxNesting = 100;

/**
 * Syntax the fast path never sees: CR line endings, tabs (micromark counts
 * a tab as up to four columns), NUL, two or more tildes (GFM strikethrough,
 * single-tilde too, and `~~~` fences; one tilde, as in a Launchpad URL, is
 * plain text for both unless it touches `*` or `_`), `]:` (link reference and footnote definitions,
 * which markdown-it resolves away), footnotes, task lists, a character
 * outside the Basic Multilingual Plane (an emoji) beside a `*` or `_`, and
 * any space JavaScript's `\s` matches besides the space, the tab and line
 * endings (`otherSpace`: a no-break or ideographic space, a byte order
 * mark, a form feed). CommonMark's blank lines and tag whitespace are
 * spaces and tabs only, but markdown-it's tag patterns and this file's
 * `trim()` take any `\s`; micromark drops a byte order mark that starts
 * the text and counts U+2028, U+2029 and U+FEFF as whitespace beside an
 * emphasis run, markdown-it none of them.
 */
function acceptsText(text: string): boolean {
  if (/[\r\t\0]|\]:|\[\^/.test(text)) return false;
  if (otherSpace.test(text)) return false;
  // micromark classifies the character beside a `*` or `_` run by its UTF-16
  // unit, so half of an emoji is a letter to it; markdown-it takes the whole
  // character (a symbol, which CommonMark counts as punctuation).
  if (/[\ud800-\udfff][*_]|[*_][\ud800-\udfff]/.test(text)) return false;
  const tilde = text.indexOf('~');
  if (tilde !== -1 && (text.includes('~', tilde + 1) || /[*_]~|~[*_]/.test(text))) return false;
  return !/^[ >]*(?:[-*+]|\d+[.)]) +\[[ xX]\]/m.test(text);
}

/** What JavaScript's `\s` matches besides the space, the tab and line endings: never on the fast path. */
const otherSpace = /[\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

type InlineRule = (state: StateInline, silent: boolean) => boolean;

/**
 * A markdown-it emphasis rule that gives up on a `*` or `_` run that can
 * both open and close: there the "rule of 3" applies, which markdown-it
 * reckons with a run's original length and micromark with what is left of it.
 */
function refuseAmbiguousDelimiters(rule: InlineRule): InlineRule {
  return (state, silent) => {
    if (!rule(state, silent)) return false;
    const last = state.delimiters.at(-1);
    if (last?.open && last.close) unsupported('delimiter run that can open and close');
    return true;
  };
}

/** A markdown-it code span rule that also keeps the raw span, which mdast keeps line endings of. */
function rawCodeSpans(rule: InlineRule): InlineRule {
  return (state, silent) => {
    const before = state.tokens.length;
    const start = state.pos;
    // markdown-it caches where closing runs of each length were last seen,
    // and a scan made while looking for a link's end can leave the cache
    // saying there is no closer when there is one.
    const cache = state as StateInline & { backticksScanned?: boolean; backticks: Record<number, number> };
    if (cache.backticksScanned && state.src.charCodeAt(start) === 96 /* ` */) {
      let length = 1;
      while (state.src.charCodeAt(start + length) === 96) length++;
      if ((cache.backticks[length] ?? 0) <= start && hasCloser(state.src, start + length, state.posMax, length)) unsupported('stale backtick cache');
    }
    if (!rule(state, silent)) return false;
    const token = state.tokens[state.tokens.length - 1];
    if (!silent && state.tokens.length > before && token?.type === 'code_inline') {
      const fence = token.markup.length;
      token.meta = state.src.slice(start + fence, state.pos - fence);
    }
    return true;
  };
}

/** True when a run of exactly `length` backticks occurs in `src` between `from` and `to`. */
function hasCloser(src: string, from: number, to: number, length: number): boolean {
  for (let pos = src.indexOf('`', from); pos !== -1 && pos < to; pos = src.indexOf('`', pos)) {
    let end = pos;
    while (end < to && src.charCodeAt(end) === 96) end++;
    if (end - pos === length) return true;
    pos = end;
  }
  return false;
}

function createParser(tables: boolean): MarkdownIt {
  const md = new MarkdownIt('commonmark', { html: true });
  // The commonmark preset nests 20 deep; micromark has no such limit.
  Object.assign(md.options, { maxNesting });
  if (tables) md.enable('table');
  // mdast keeps URLs as written (escapes and references decoded) and keeps
  // every scheme; lint and the sanitizer judge them later.
  md.validateLink = () => true;
  md.normalizeLink = (url) => url;
  md.normalizeLinkText = (url) => url;
  // The ruler keeps its rules by name in `__rules__` (markdown-it 14 has no getter for one rule).
  const rules = (md.inline.ruler as unknown as { __rules__: { name: string; fn: InlineRule }[] }).__rules__;
  const rule = (name: string) => rules.find((r) => r.name === name)!.fn;
  md.inline.ruler.at('backticks', rawCodeSpans(rule('backticks')));
  md.inline.ruler.at('emphasis', refuseAmbiguousDelimiters(rule('emphasis')));
  return md;
}

const withTables = createParser(true);
const withoutTables = createParser(false);

/** Line starts of the source, to turn token line ranges into points. */
class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  end(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
  }
  point(line: number, offset: number): Point {
    return { line: line + 1, column: offset - this.starts[line]! + 1, offset };
  }
}

/** An open block-level container, with what is needed to skip its prefix on later lines. */
interface Frame {
  node: Parent;
  /** The opening token (none for the root). */
  token?: Token;
  /** For a list item: its first line and the column its content starts at. */
  line?: number;
  contentStart?: number;
  contentColumn?: number;
}

const isSpace = (code: number) => code === 32;

const delimiterRow = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;
/** How a table row may start where GFM and markdown-it agree it is one: not a list marker, quote, HTML block or heading. */
const plainRow = /^(?:\||[A-Za-z]|\d(?!\d*[.)]))/;
const containerMarkers = /^(?: {0,3}(?:>|[-+*](?= |$)|\d{1,9}[.)](?= |$)) ?)+/;

/**
 * Refuses a line that reads as a GFM table's delimiter row (with a pipe,
 * or under a line with one) outside every table markdown-it found:
 * micromark may still make a table of it (after a lazy line of a list
 * item, with the row indented into the item), and markdown-it may have
 * ended a paragraph before the pair, taking it for a table that it then
 * did not make.
 */
function refuseStrayDelimiterRows(text: string, tokens: readonly Token[]): void {
  let inTables: Set<number> | undefined;
  // Without the quote and list markers in front: a row inside a container is a row too.
  const lines = text.split('\n').map((line) => line.replace(containerMarkers, ''));
  lines.forEach((line, index) => {
    if (!line.includes('-') || !(line.includes('|') || (index > 0 && lines[index - 1]!.includes('|'))) || !delimiterRow.test(line)) return;
    inTables ??= new Set(tokens.filter((token) => token.type === 'table_open').map((token) => token.map![0] + 1));
    if (!inTables.has(index)) unsupported('table delimiter row outside a table');
  });
}

/**
 * Parses with markdown-it and converts to mdast, or answers `undefined` when
 * the note must go to micromark. `tables` says whether GFM tables are on
 * (the caller decides, as it does for micromark).
 */
export function parseFast(text: string, tables: boolean): Root | undefined {
  if (!acceptsText(text)) return undefined;
  try {
    const tokens = (tables ? withTables : withoutTables).parse(text, {});
    if (tables) refuseStrayDelimiterRows(text, tokens);
    return convert(text, tokens);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function convert(text: string, tokens: Token[]): Root {
  return new Converter(text).convert(tokens);
}

/**
 * Converts the tokens of one text. A class rather than closures: the
 * helpers are made once, not once per note.
 */
class Converter {
  private readonly lines: Lines;
  private readonly root: Root = { type: 'root', children: [] };
  private readonly stack: Frame[] = [{ node: this.root }];
  /** The open quotes and list items, outermost first: the frames whose prefixes later lines carry. */
  private readonly containers: Frame[] = [];
  private sawIndentedCode = false;

  constructor(private readonly text: string) {
    this.lines = new Lines(text);
  }

  convert(tokens: Token[]): Root {
    const { text, lines } = this;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      if (token.level >= maxNesting - 2) unsupported('nesting');
      switch (token.type) {
        case 'paragraph_open':
        case 'heading_open':
          this.paragraphOrHeading(token, tokens[index + 1]!);
          index += 2;
          break;
        case 'blockquote_open': {
          const [first] = lineRange(token);
          if (this.containers.length > 0) unsupported('quote inside a list or quote');
          const node: Blockquote = { type: 'blockquote', children: [] };
          const start = this.blockStart(first);
          this.place(node, first, start, first, start + 1);
          this.append(node);
          this.open({ node, token });
          break;
        }
        case 'blockquote_close': {
          // A quote ends with its last line, `>` prefixes of blank lines included.
          const frame = this.closeContainer('blockquote');
          // Past its last block, each line of a quote must carry its `>` (markdown-it also takes one indented four spaces or more, which micromark reads as code).
          const lastChild = (frame.node as Blockquote).children.at(-1);
          for (let line = lastChild ? lastChild.position!.end.line : lineRange(frame.token!)[0] + 1; line < lineRange(frame.token!)[1]; line++) {
            if (this.contentStart(line, [frame]) === -1) unsupported('quote line without its marker');
          }
          let last = lineRange(frame.token!)[1] - 1;
          while (last > lineRange(frame.token!)[0] && text.slice(lines.starts[last]!, lines.end(last)).trim() === '') last--;
          frame.node.position!.end = lines.point(last, lines.end(last));
          break;
        }
        case 'bullet_list_open':
        case 'ordered_list_open':
          this.listOpen(token, tokens[index + 1]!);
          break;
        case 'bullet_list_close':
        case 'ordered_list_close': {
          const list = this.closeContainer('list').node as List;
          list.spread = hasGap(list.children);
          // In a quote, micromark ends a list after the `>` of the blank lines that follow it.
          const next = list.position!.end.line;
          const quote = this.containers.filter((frame) => frame.node.type === 'blockquote').at(-1);
          if (quote && next < lineRange(quote.token!)[1] && /^[ >]*$/.test(text.slice(lines.starts[next]!, lines.end(next)))) unsupported('list before a quoted blank line');
          break;
        }
        case 'list_item_open':
          this.listItemOpen(token);
          break;
        case 'list_item_close': {
          const frame = this.closeContainer('listItem');
          const item = frame.node as ListItem;
          item.spread = hasGap(item.children);
          // An empty item ends with its line, trailing spaces included.
          if (item.children.length === 0) item.position!.end = lines.point(frame.line!, lines.end(frame.line!));
          break;
        }
        case 'fence':
          this.fence(token);
          break;
        case 'code_block':
          this.codeBlock(token);
          break;
        case 'html_block': {
          const [first, after] = lineRange(token);
          if (this.containers.length > 0) unsupported('HTML block inside a container');
          const node: Html = { type: 'html', value: token.content.replace(/\n$/, '') };
          if (!htmlClosed(node.value)) unsupported('unclosed HTML');
          // Like indented code, HTML starts at the start of the line, its indentation included.
          const start = this.contentStart(first, this.containers);
          if (start === -1) unsupported('HTML outside its containers');
          this.place(node, first, start, after - 1, lines.end(after - 1));
          this.append(node);
          break;
        }
        case 'hr': {
          const [first] = lineRange(token);
          const node: RootContent = { type: 'thematicBreak' };
          this.place(node, first, this.blockStart(first), first, lines.end(first));
          this.append(node);
          break;
        }
        case 'table_open':
          if (this.containers.length > 0) unsupported('table inside a container');
          index = convertTable(tokens, index, (node, first, after) => this.placeTable(node, first, after), (row) => {
            const [line] = lineRange(row);
            return text.slice(lines.starts[line]!, lines.end(line));
          });
          break;
        default:
          unsupported(token.type);
      }
    }
    if (this.stack.length !== 1) unsupported('unclosed container');
    this.root.position = { start: { line: 1, column: 1, offset: 0 }, end: lines.point(lines.starts.length - 1, text.length) };
    return this.root;
  }

  private paragraphOrHeading(token: Token, inline: Token): void {
    const { text, lines } = this;
    const [first, after] = lineRange(token);
    if (inline.type !== 'inline') unsupported('block without inline content');
    const chain = this.containers;
    if (chain.length > 0) {
      let lazyIndented = false;
      for (let line = first + 1; line < after; line++) {
        if (this.contentStart(line, chain) !== -1) continue;
        const lead = text.charCodeAt(this.skipSpaces(lines.starts[line]!));
        // micromark ends a container before a lazy line that looks like HTML; markdown-it reads an over-indented `>` as a quote marker.
        if (lead === 60 /* < */ || lead === 62 /* > */) unsupported('lazy line starting with < or >');
        if (isSpace(text.charCodeAt(lines.starts[line]!))) lazyIndented = true;
      }
      // In a code span, micromark keeps the indentation of a lazy line; markdown-it drops it.
      if (lazyIndented && inline.children?.some((child) => child.type === 'code_inline' && (child.meta as string).includes('\n'))) unsupported('code span over an indented lazy line');
      // markdown-it lets a line indented 4+ spaces, but less than the
      // container's content, interrupt the paragraph; it is a lazy line.
      if (after < lines.starts.length) {
        const next = text.slice(lines.starts[after]!, lines.end(after));
        if (/^[ >]* {4}/.test(next) && next.trim() !== '' && this.contentStart(after, chain) === -1) unsupported('indented line after a paragraph in a container');
      }
    }
    const children = convertInline(inline.children ?? []);
    const node: Paragraph | Heading = token.type === 'paragraph_open' ? { type: 'paragraph', children } : { type: 'heading', depth: Number(token.tag.slice(1)) as Heading['depth'], children };
    this.place(node, first, this.blockStart(first), after - 1, lines.end(after - 1));
    this.append(node);
  }

  private listOpen(token: Token, firstItem: Token): void {
    const { lines } = this;
    const [first] = lineRange(token);
    if (this.containers.some((frame) => frame.node.type === 'blockquote')) unsupported('list inside a quote');
    const node: List = { type: 'list', ordered: token.type === 'ordered_list_open', start: null, spread: false, children: [] };
    if (node.ordered) node.start = Number.parseInt(firstItem?.info ?? '1', 10);
    // micromark sometimes reads a list that could not interrupt a
    // paragraph (one starting with an empty item, or, after indented
    // code, one not starting at 1) as a paragraph where there is none.
    if (lines.end(first) <= this.skipSpaces(this.blockStart(first) + firstItem.info.length + firstItem.markup.length)) unsupported('list starting with an empty item');
    if (this.sawIndentedCode && node.start !== null && node.start !== 1) unsupported('list not starting at 1 after indented code');
    const start = this.blockStart(first);
    this.place(node, first, start, first, start);
    this.append(node);
    this.open({ node, token });
  }

  private listItemOpen(token: Token): void {
    const { text, lines } = this;
    const [first] = lineRange(token);
    const marker = this.blockStart(first);
    let markerEnd = marker;
    if (token.info) markerEnd += token.info.length;
    markerEnd += token.markup.length;
    if (text.slice(marker, markerEnd) !== `${token.info}${token.markup}`) unsupported('list marker not where expected');
    const contentFrom = this.skipSpaces(markerEnd);
    const blankRest = contentFrom >= lines.end(first);
    const width = contentFrom - markerEnd;
    const contentStartOffset = blankRest || width >= 5 ? markerEnd + 1 : contentFrom;
    const node: ListItem = { type: 'listItem', spread: false, checked: null, children: [] };
    this.place(node, first, marker, first, markerEnd);
    this.append(node);
    this.open({ node, token, line: first, contentStart: contentStartOffset, contentColumn: contentStartOffset - lines.starts[first]! });
  }

  private fence(token: Token): void {
    const { text, lines } = this;
    const [first, after] = lineRange(token);
    const start = this.blockStart(first);
    const node: Code = { type: 'code', lang: null, meta: null, value: token.content.replace(/\n$/, '') };
    const info = fenceInfo(text.slice(start + token.markup.length, lines.end(first)));
    // An unclosed fence runs to the end of its container; micromark's end point then differs.
    const closingStart = this.contentStart(after - 1, this.containers);
    const closing = closingStart === -1 ? '' : text.slice(closingStart, lines.end(after - 1));
    if (after - 1 === first || !closingFence(token.markup).test(closing)) unsupported('unclosed fence');
    node.lang = info.lang;
    node.meta = info.meta;
    this.place(node, first, start, after - 1, lines.end(after - 1));
    this.append(node);
  }

  private codeBlock(token: Token): void {
    const { text, lines } = this;
    const [first, after] = lineRange(token);
    const start = this.contentStart(first, this.containers);
    if (start === -1) unsupported('indented code outside its containers');
    // micromark splits indented code that directly follows another block (a quote, say).
    if (first > 0 && text.slice(lines.starts[first - 1]!, lines.end(first - 1)).trim() !== '') unsupported('indented code right after another line');
    // After a list, a code line indented into the list's items can split the code in micromark.
    if (this.siblings().at(-1)?.type === 'list' && after - first > 1) unsupported('indented code of several lines after a list');
    const node: Code = { type: 'code', lang: null, meta: null, value: token.content.replace(/\n$/, '') };
    this.place(node, first, start, after - 1, lines.end(after - 1));
    this.append(node);
    this.sawIndentedCode = true;
    // micromark keeps in the code a following blank line of 4+ spaces,
    // inside a quote too (`>` and spaces only).
    for (let line = after; line < lines.starts.length; line++) {
      const raw = text.slice(lines.starts[line]!, lines.end(line));
      const quoted = this.containers.length > 0 && /^[ >]*$/.test(raw);
      if (raw.trim() !== '' && !quoted) break;
      if (raw.length >= 4 && (!quoted || / {4}/.test(raw))) unsupported('indented code before a blank line of spaces');
    }
  }

  private placeTable(node: Table, first: number, after: number): void {
    const { text, lines } = this;
    const start = this.blockStart(first);
    // markdown-it tries tables before lists, quotes and headings; GFM does
    // not, and in GFM such a line (an HTML block, say) also ends a table.
    if (!plainRow.test(text.slice(start, start + 10))) unsupported('table row that could start another block');
    for (let line = first + 2; line < after; line++) {
      if (!plainRow.test(text.slice(this.blockStart(line), lines.end(line)))) unsupported('table row that could start another block');
    }
    // Whether a table interrupts a paragraph differs between the two.
    if (first > 0 && text.slice(lines.starts[first - 1]!, lines.end(first - 1)).trim() !== '') unsupported('table right after another line');
    // A delimiter row without a pipe is a setext underline to micromark.
    if (!text.slice(lines.starts[first + 1]!, lines.end(first + 1)).includes('|')) unsupported('delimiter row without a pipe');
    this.place(node, first, start, after - 1, lines.end(after - 1));
    this.append(node);
  }

  /** Offset where the content of `line` starts inside the open containers (-1 when a prefix is missing). */
  private contentStart(line: number, chain: readonly Frame[]): number {
    const { text } = this;
    const lineStart = this.lines.starts[line]!;
    let pos = lineStart;
    for (const frame of chain) {
      if (frame.node.type === 'blockquote') {
        let indent = 0;
        while (indent < 3 && isSpace(text.charCodeAt(pos))) pos++, indent++;
        if (text.charCodeAt(pos) !== 62 /* > */) return -1;
        pos++;
        if (isSpace(text.charCodeAt(pos))) pos++;
      } else if (frame.line === line) {
        pos = frame.contentStart!;
      } else {
        const target = lineStart + frame.contentColumn!;
        while (pos < target && isSpace(text.charCodeAt(pos))) pos++;
        if (pos < target) return -1;
      }
    }
    return pos;
  }

  private skipSpaces(pos: number): number {
    while (isSpace(this.text.charCodeAt(pos))) pos++;
    return pos;
  }

  /** Start of a block that is not indented code: its first non-space character. */
  private blockStart(line: number): number {
    const pos = this.contentStart(line, this.containers);
    if (pos === -1) unsupported('block start outside its containers');
    return this.skipSpaces(pos);
  }

  /** Refuses a block whose later lines lack its containers' prefixes: only paragraphs have lazy lines. */
  private requireNoLazyLines(first: number, after: number): void {
    const { text, lines } = this;
    const chain = this.containers;
    if (chain.length === 0) return;
    for (let line = first + 1; line < after; line++) {
      if (this.contentStart(line, chain) === -1 && text.slice(lines.starts[line]!, lines.end(line)).trim() !== '') unsupported('lazy line in a block other than a paragraph');
    }
  }

  private place(node: Nodes, startLine: number, start: number, endLine: number, end: number): void {
    if (node.type !== 'paragraph' && endLine > startLine) this.requireNoLazyLines(startLine, endLine + 1);
    node.position = { start: this.lines.point(startLine, start), end: this.lines.point(endLine, end) };
  }

  /** The children of the innermost open block. */
  private siblings(): RootContent[] {
    return this.stack[this.stack.length - 1]!.node.children as RootContent[];
  }

  private append(node: RootContent): void {
    this.siblings().push(node);
  }

  private open(frame: Frame): void {
    this.stack.push(frame);
    if (frame.node.type === 'blockquote' || frame.node.type === 'listItem') this.containers.push(frame);
  }

  private closeContainer(type: string): Frame {
    const frame = this.stack.pop()!;
    if (frame.node.type !== type) unsupported(`unbalanced ${type}`);
    if (this.containers.at(-1) === frame) this.containers.pop();
    const last = frame.node.children.at(-1);
    const position = frame.node.position!;
    if (last?.position) position.end = { ...last.position.end };
    return frame;
  }
}

function lineRange(token: Token): [number, number] {
  return token.map ?? unsupported(`${token.type} without a line range`);
}

/** The closing line of a fence opened by `markup`, compiled once per kind of fence. */
const closingFences = new Map<string, RegExp>();

function closingFence(markup: string): RegExp {
  let pattern = closingFences.get(markup);
  if (!pattern) {
    pattern = new RegExp(`^ {0,3}${markup[0] === '`' ? '`' : '~'}{${markup.length},} *$`);
    closingFences.set(markup, pattern);
  }
  return pattern;
}

/** True when a blank line separates two of the nodes (mdast's `spread`). */
function hasGap(nodes: readonly Nodes[]): boolean {
  for (let i = 1; i < nodes.length; i++) {
    if (nodes[i]!.position!.start.line > nodes[i - 1]!.position!.end.line + 1) return true;
  }
  return false;
}

/** Start and end conditions of the HTML blocks that end on a marker rather than on a blank line (CommonMark kinds 1-5). */
const htmlKinds: readonly [RegExp, RegExp][] = [
  [/^<(?:script|pre|style|textarea)(?=[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];

/** False for an HTML block of kinds 1-5 whose last line lacks the end marker: it ran to the end of its container. */
function htmlClosed(value: string): boolean {
  const kind = htmlKinds.find(([start]) => start.test(value.trimStart()));
  if (!kind) return true;
  const lastLine = value.slice(value.lastIndexOf('\n') + 1);
  const firstLine = value.slice(0, value.indexOf('\n') === -1 ? value.length : value.indexOf('\n'));
  return kind[1].test(lastLine) && (lastLine !== firstLine || kind[1].test(firstLine.slice(4)));
}

/** The language and meta of a fence's info string, split as micromark splits them. */
function fenceInfo(rest: string): { lang: string | null; meta: string | null } {
  if (/[\\&]/.test(rest)) unsupported('escape or reference in fence info');
  const match = /^ *(\S+)(?: +(\S.*))?/.exec(rest);
  const fence = /^[`]*/.exec(rest)![0];
  if (fence) unsupported('fence info starting with the fence character');
  return { lang: match?.[1] ?? null, meta: match?.[2] ?? null };
}

/** The number of cells of a table row, split as markdown-it splits it (escaped pipes kept). */
function cellCount(line: string): number {
  const cells = line.trim().split(/(?<!\\)\|/);
  if (cells[0]?.trim() === '') cells.shift();
  if (cells.length > 0 && cells.at(-1)!.trim() === '') cells.pop();
  return cells.length;
}

function convertTable(tokens: Token[], index: number, placeTable: (node: Table, first: number, after: number) => void, rowText: (row: Token) => string): number {
  const open = tokens[index]!;
  const align: Table['align'] & unknown[] = [];
  const table: Table = { type: 'table', align, children: [] };
  let row: TableRow | undefined;
  for (index++; index < tokens.length; index++) {
    const token = tokens[index]!;
    switch (token.type) {
      case 'thead_open':
      case 'thead_close':
      case 'tbody_open':
      case 'tbody_close':
        break;
      case 'tr_open':
        row = { type: 'tableRow', children: [] };
        table.children.push(row);
        // markdown-it pads short rows and cuts long ones; mdast keeps the cells written.
        if (table.children.length > 1 && cellCount(rowText(token)) !== align.length) unsupported('row with another number of cells');
        break;
      case 'tr_close':
        row = undefined;
        break;
      case 'th_open':
      case 'td_open': {
        if (!row) unsupported('cell outside a row');
        const inline = tokens[index + 1]!;
        if (inline.type !== 'inline') unsupported('cell without inline content');
        const cell: TableCell = { type: 'tableCell', children: convertInline(inline.children ?? []) };
        row!.children.push(cell);
        if (token.type === 'th_open') {
          const style = token.attrGet('style');
          align.push(style ? (style.replace('text-align:', '') as 'left' | 'right' | 'center') : null);
        }
        index += 2;
        break;
      }
      case 'table_close': {
        const [first, after] = open.map ?? unsupported('table without a line range');
        placeTable(table, first, after);
        return index;
      }
      default:
        unsupported(`${token.type} in a table`);
    }
  }
  return unsupported('unclosed table');
}

/** Converts the children of an `inline` token; inline nodes carry no position. */
function convertInline(tokens: readonly Token[]): PhrasingContent[] {
  const root: InlineParent = { children: [] };
  const stack: InlineParent[] = [root];
  const top = () => stack[stack.length - 1]!;
  for (const token of tokens) {
    if (token.level >= maxNesting - 2) unsupported('inline nesting');
    switch (token.type) {
      case 'text':
        if (token.content) appendText(top(), token.content);
        break;
      case 'softbreak':
        appendText(top(), '\n');
        break;
      case 'hardbreak':
        top().children.push({ type: 'break' });
        break;
      case 'code_inline':
        top().children.push({ type: 'inlineCode', value: codeValue(token.meta as string) });
        break;
      case 'em_open':
        openInline(stack, { type: 'emphasis', children: [] });
        break;
      case 'strong_open':
        openInline(stack, { type: 'strong', children: [] });
        break;
      case 'em_close':
        closeInline(stack, 'emphasis');
        break;
      case 'strong_close':
        closeInline(stack, 'strong');
        break;
      case 'link_open': {
        const title = token.attrGet('title');
        openInline(stack, { type: 'link', title: title ?? null, url: token.attrGet('href') ?? '', children: [] });
        break;
      }
      case 'link_close':
        closeInline(stack, 'link');
        break;
      case 'image': {
        const alt = toString({ type: 'paragraph', children: convertInline(token.children ?? []) });
        top().children.push({ type: 'image', title: token.attrGet('title') ?? null, url: token.attrGet('src') ?? '', alt });
        break;
      }
      case 'html_inline':
        top().children.push({ type: 'html', value: token.content });
        break;
      default:
        unsupported(token.type);
    }
  }
  if (stack.length !== 1) unsupported('unclosed inline node');
  return root.children;
}

interface InlineParent {
  children: PhrasingContent[];
  type?: string;
}

/** Appends text, merged into the last child when that is text, as mdast-util-from-markdown does. */
function appendText(parent: InlineParent, value: string): void {
  const last = parent.children[parent.children.length - 1];
  if (last?.type === 'text') last.value += value;
  else parent.children.push({ type: 'text', value } satisfies Text);
}

function openInline(stack: InlineParent[], node: PhrasingContent & { children: PhrasingContent[] }): void {
  stack[stack.length - 1]!.children.push(node);
  stack.push(node);
}

function closeInline(stack: InlineParent[], type: string): void {
  const node = stack.pop();
  if (node?.type !== type) unsupported(`unbalanced ${type}`);
}

/** mdast keeps a code span's line endings; it strips one space (or line ending) of padding on both sides. */
function codeValue(raw: string): string {
  if (raw.length > 2 && /^[ \n]/.test(raw) && /[ \n]$/.test(raw) && /[^ \n]/.test(raw)) return raw.slice(1, -1);
  return raw;
}
