/**
 * mdast → MediaWiki wikitext, shaped like mdast-util-to-markdown: a state
 * that dispatches each node to the handler for its type (`handle/`), and
 * an error for a type no handler knows, so a new kind of node can never be
 * dropped or passed through unescaped by accident.
 */
import type { AlignType, Definition, Nodes, Parents, PhrasingContent, Root, TableRow, Text } from 'mdast';
import { handlers } from './handle/index.ts';
import { withoutRawHtml } from './raw-html.ts';

export interface WikitextOptions {
  /** How fenced code is written: `<syntaxhighlight lang=…>` or `<pre>`. */
  code: 'syntaxhighlight' | 'pre';
  /** Relative links in the note resolve against this URL (the advisory's page on the site). */
  baseUrl: string;
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

/** Adjacent text nodes are merged so that escaping sees pairs like `__` or `''` across them. */
function mergeText(children: readonly PhrasingContent[]): PhrasingContent[] {
  const merged: PhrasingContent[] = [];
  for (const child of children) {
    const last = merged.at(-1);
    if (child.type === 'text' && last?.type === 'text') merged[merged.length - 1] = { type: 'text', value: last.value + child.value } satisfies Text;
    else merged.push(child);
  }
  return merged;
}

function createState(tree: Root, options: WikitextOptions): State {
  const state: State = {
    options,
    definitions: collectDefinitions(tree),
    inHeading: false,
    list: undefined,
    table: undefined,
    handle(node, parent) {
      const handle = handlers[node.type] as Handle | undefined;
      if (!handle) throw new UnknownNodeError(node.type);
      return handle(node, state, parent);
    },
    phrasing(parent) {
      let out = '';
      for (const child of mergeText(parent.children as PhrasingContent[])) {
        const piece = state.handle(child, parent);
        // `'` meeting `''` would make `'''`: bold instead of an apostrophe and italics.
        if (out.endsWith("'") && piece.startsWith("'")) out += '<nowiki/>';
        out += piece;
      }
      return out;
    },
    flow(parent) {
      return parent.children
        .map((child) => state.handle(child, parent))
        .filter((block) => block !== '')
        .join('\n\n');
    },
  };
  return state;
}

/**
 * Compiles a Markdown tree to wikitext. Raw HTML in the tree (blog posts
 * carry `<b>`, `<ol>`) is first re-parsed, sanitized and turned into mdast,
 * so it is written as wikitext too and never passed through.
 */
export function mdastToWikitext(tree: Root, options: WikitextOptions): string {
  const safe = withoutRawHtml(tree);
  return createState(safe, options).handle(safe, undefined);
}
