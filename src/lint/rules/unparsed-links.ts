/**
 * A link CommonMark does not read as one: `[rfc](https://example.org/a b)`,
 * whose destination holds a space (or a line break), is text, and the site
 * shows its brackets and parentheses as written. Only text that has the
 * shape of a link is looked at: a bracketed label right before `(`, and a
 * destination that starts like a URL or a path. `[1]`, `[x] task`, a
 * shell `[ -f a ]` in prose, code spans and code blocks are never read.
 */
import type { Link, Nodes } from 'mdast';
import type { Position } from '../../model/types.ts';
import { positionAt, startOf, type Placed } from '../body-nodes.ts';
import type { NoteRule } from '../rule.ts';

/** Phrasing nodes whose text is the author's text, markers aside: `[**rfc**](…)`. */
const transparent = new Set(['emphasis', 'strong', 'delete']);
/** What stands for a node that no link's text can run across: code, raw HTML, a link, an image, a hard break. */
const stop = '\u0000';

/**
 * `[label](destination rest)`, in text made of the phrasing's text nodes:
 * not an image's `![`, the destination's first word and then white space
 * before the closing parenthesis.
 */
const unparsedLink = /(?<![!\\])\[([^[\]\u0000]*)\]\(([^\s()<>\u0000]+)(\s[^()\u0000]*)\)/g;
/** A destination that starts as a URL or a path to a file or a place does. */
const linkLike = /^(?:[a-z][a-z0-9+.-]*:\/\/|mailto:|www\.|#|\/|\.{1,2}\/)|\.md(?:#|$)/i;

/** The phrasing's text as its text nodes hold it, and where in the note its other nodes are (code spans, raw HTML, links), when known. */
interface Flat {
  text: string;
  masked: [number, number][];
}

export const linksParsed: NoteRule = ({ advisory, report, bodyNodes }) => {
  const source = advisory.source.text;
  // Where the note writes `](`: only a phrasing that holds one is read (the phrasing comes in document order).
  const marks: number[] = [];
  for (let at = source.indexOf(']('); at !== -1; at = source.indexOf('](', at + 2)) marks.push(at);
  if (marks.length === 0) return;
  let mark = 0;
  for (const node of bodyNodes().phrasing) {
    const placed = node.position;
    const start = placed?.start.offset ?? 0;
    while (mark < marks.length && marks[mark]! < start) mark++;
    if (mark === marks.length) break;
    if (placed?.end.offset !== undefined && marks[mark]! >= placed.end.offset) continue;
    const flat: Flat = { text: '', masked: [] };
    flatten(node, flat);
    if (!flat.text.includes('](')) continue;
    const seen = new Map<string, number>();
    for (const match of flat.text.matchAll(unparsedLink)) {
      const [, label, destination, rest] = match as unknown as [string, string, string, string];
      if (!linkLike.test(destination)) continue;
      const anchor = `](${destination}`;
      const occurrence = seen.get(anchor) ?? 0;
      seen.set(anchor, occurrence + 1);
      const found = placeLink(source, placed, flat.masked, anchor, occurrence);
      if (found === 'escaped') continue;
      const written = found ? found.label : label;
      const whole = `${destination}${rest}`.trim();
      const what = /\n/.test(rest) ? 'a line break' : 'a space';
      const shown = `[${written}](${whole})`.replace(/\s+/g, ' ');
      report(
        'link-not-parsed',
        `"${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}" is not read as a link: its destination holds ${what}, so the page shows it as text, brackets and all`,
        found ? found.at : startOf(placed),
        `${what === 'a space' ? 'Write the space as %20' : 'Write the destination on one line, a space as %20'}, [${written}](${whole.replace(/\s+/g, '%20')}), or put the destination in angle brackets, [${written}](<${whole.replace(/\s+/g, ' ')}>).`,
      );
    }
  }
};

/**
 * The phrasing's text: a bare URL made a link after the parse is its text
 * (`[rfc](https://example.org/a b)` holds one), any other node that is no
 * text a stop.
 */
function flatten(node: Nodes, flat: Flat): void {
  if (!('children' in node)) return;
  for (const child of node.children) {
    if (child.type === 'text') flat.text += child.value;
    else if (transparent.has(child.type)) flatten(child, flat);
    else if (child.type === 'link' && bareUrl(child) !== undefined) flat.text += bareUrl(child)!;
    else {
      flat.text += stop;
      const { start, end } = child.position ?? {};
      if (start?.offset !== undefined && end?.offset !== undefined) flat.masked.push([start.offset, end.offset]);
    }
  }
}

/** The text of a link made from a bare URL after the parse (no position of its own once parsed exactly), as written. */
function bareUrl(link: Link): string | undefined {
  const only = link.children.length === 1 ? link.children[0] : undefined;
  if (link.position || only?.type !== 'text') return undefined;
  const written = only.value;
  return link.url === written || link.url === `http://${written}` || link.url === `mailto:${written}` ? written : undefined;
}

/**
 * Where the link's `[` is in the note, and its label as written: at the
 * `occurrence`-th `](destination` of the phrasing's source outside its code
 * spans and raw HTML, the last `[` before it. `'escaped'` when the note
 * escapes a bracket there (`\[1\](…)`): no link was meant. Undefined when
 * the source does not hold it so. The fast parse gives no inline node a
 * position, so its code spans are not skipped: when it finds a link there,
 * lint parses the note again with positions, and says it from that.
 */
function placeLink(source: string, placed: Placed, masked: readonly [number, number][], anchor: string, occurrence: number): { at: Position; label: string } | 'escaped' | undefined {
  const from = placed?.start.offset;
  const to = placed?.end.offset;
  if (from === undefined || to === undefined) return undefined;
  let at = -1;
  for (let seen = -1, next = source.indexOf(anchor, from); next !== -1 && next < to; next = source.indexOf(anchor, next + 1)) {
    if (masked.some(([start, end]) => next >= start && next < end)) continue;
    if (++seen === occurrence) {
      at = next;
      break;
    }
  }
  const bracket = at === -1 ? -1 : source.lastIndexOf('[', at);
  if (bracket < from) return undefined;
  if (source[at - 1] === '\\' || source[bracket - 1] === '\\') return 'escaped';
  return { at: positionAt(source, { ...placed!.start, offset: from }, bracket), label: source.slice(bracket + 1, at) };
}
