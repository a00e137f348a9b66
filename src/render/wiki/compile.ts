/**
 * mdast → MediaWiki wikitext, shaped like mdast-util-to-markdown: a state
 * that dispatches each node to the handler for its type (`handle/`), and
 * an error for a type no handler knows, so a new kind of node can never be
 * dropped or passed through unescaped by accident.
 */
import type { AlignType, Definition, Nodes, Parents, PhrasingContent, Root, TableRow, Text } from 'mdast';
import type { HeadingIds } from '../../markdown/heading-ids.ts';
import { handlers } from './handle/index.ts';
import { containsHtml, htmlAsMdast } from './raw-html.ts';

export interface WikitextOptions {
  /** How fenced code is written: `<syntaxhighlight lang=…>` or `<pre>`. */
  code: 'syntaxhighlight' | 'pre';
  /** Relative links in the note resolve against this URL (the advisory's page on the site). */
  baseUrl: string;
  /** The wiki page of a link's target when it is another advisory's page on the site: such a link stays on the wiki. */
  wikiPageOf?: (url: string) => string | undefined;
  /** The ids of the note's headings, as on the site (`section-discussion`): each heading carries its own, and the note's links to them lead there. */
  headingIds?: HeadingIds;
}

/** How list items are being written: wikitext prefixes (`*`, `#*`) or HTML `<li>`. */
export type ListForm = { form: 'wiki'; prefix: string } | { form: 'html' };

export interface State {
  readonly options: WikitextOptions;
  /** Link and image definitions, by normalized identifier. */
  readonly definitions: ReadonlyMap<string, Definition>;
  /** Inside a heading line, where `=` must be escaped. */
  inHeading: boolean;
  /** The list currently being written, for its items. */
  list: ListForm | undefined;
  /** The table currently being written, for its cells. */
  table: { align: readonly AlignType[]; header: TableRow | undefined } | undefined;
  /** Compiles one node. Throws `UnknownNodeError` for a type without a handler. */
  handle(node: Nodes, parent: Parents | undefined): string;
  /** Compiles inline children onto one line. */
  phrasing(parent: Parents): string;
  /** Compiles block children, separated by blank lines. */
  flow(parent: Parents): string;
}

export type Handle<Node extends Nodes = Nodes> = (node: Node, state: State, parent: Parents | undefined) => string;

/** One handler per mdast node type. */
export type Handlers = { [Type in Nodes['type']]?: Handle<Extract<Nodes, { type: Type }>> };

/** A node type the compiler has no handler for: a bug to fix here, never a user mistake. */
export class UnknownNodeError extends Error {
  readonly nodeType: string;
  constructor(nodeType: string) {
    super(`The wikitext compiler has no handler for mdast nodes of type "${nodeType}"`);
    this.name = 'UnknownNodeError';
    this.nodeType = nodeType;
  }
}

/** CommonMark's matching of link labels: whitespace collapsed, case folded (as micromark does it). */
export function normalizeIdentifier(value: string): string {
  return value.replace(/[\t\n\r ]+/g, ' ').trim().toLowerCase().toUpperCase();
}

function collectDefinitions(tree: Root): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const visit = (node: Nodes): void => {
    if (node.type === 'definition') {
      const id = normalizeIdentifier(node.identifier);
      // The first definition of a label wins, as in CommonMark.
      if (!definitions.has(id)) definitions.set(id, node);
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return definitions;
}

/**
 * Adjacent text nodes are merged so that escaping sees pairs like `__` or
 * `''` across them: the text node at `index` with the text nodes right
 * after it, and the index after the last one merged.
 */
function mergedText(children: readonly PhrasingContent[], index: number): { node: Text; end: number } {
  const first = children[index] as Text;
  let end = index + 1;
  let value = first.value;
  for (let next = children[end]; next?.type === 'text'; next = children[++end]) value += next.value;
  return { node: end === index + 1 ? first : { type: 'text', value }, end };
}

function createState(tree: Root, options: WikitextOptions): State {
  let definitions: Map<string, Definition> | undefined;
  const state: State = {
    options,
    // Most notes have no reference links: the walk for definitions waits for the first one.
    get definitions() {
      definitions ??= collectDefinitions(tree);
      return definitions;
    },
    inHeading: false,
    list: undefined,
    table: undefined,
    handle(node, parent) {
      const handle = handlers[node.type] as Handle | undefined;
      if (!handle) throw new UnknownNodeError(node.type);
      return handle(node, state, parent);
    },
    phrasing(parent) {
      const children = parent.children as PhrasingContent[];
      let out = '';
      // Whether `out` ends with `'`, kept from the last piece: asking `out`
      // itself would flatten the growing string once per child.
      let endsWithQuote = false;
      for (let index = 0; index < children.length; ) {
        let child = children[index]!;
        if (child.type === 'text') ({ node: child, end: index } = mergedText(children, index));
        else index += 1;
        const piece = state.handle(child, parent);
        if (piece === '') continue;
        // `'` meeting `''` would make `'''`: bold instead of an apostrophe and italics.
        if (endsWithQuote && piece.startsWith("'")) out += '<nowiki/>';
        out += piece;
        endsWithQuote = piece.endsWith("'");
      }
      return out;
    },
    flow(parent) {
      let out = '';
      for (const child of parent.children) {
        const block = state.handle(child, parent);
        if (block !== '') out += out === '' ? block : `\n\n${block}`;
      }
      return out;
    },
  };
  return state;
}

function compile(tree: Root, options: WikitextOptions): string {
  return createState(tree, options).handle(tree, undefined);
}

/**
 * Compiles a Markdown tree to wikitext. Raw HTML in the tree (blog posts
 * carry `<b>`, `<ol>`) is first re-parsed, sanitized and turned into mdast,
 * so it is written as wikitext too and never passed through.
 */
export function mdastToWikitext(tree: Root, options: WikitextOptions): string {
  // Raw HTML is rare, and looking for it first would walk every tree once
  // more. The compiler visits every node and has no handler for `html`, so
  // it stops at the first one; only then is the tree converted and compiled again.
  try {
    return compile(tree, options);
  } catch (error) {
    if (error instanceof UnknownNodeError && containsHtml(tree)) return compile(htmlAsMdast(tree), options);
    throw error;
  }
}
