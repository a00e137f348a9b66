/**
 * Markdown text of an advisory's sections, for the exports whose text
 * fields are CommonMark (OSV `details`, CSAF notes). Raw HTML from blog
 * posts is reduced to its text: an export must not carry markup that a
 * consumer could render unsanitized. GFM footnotes, which CommonMark does
 * not know, become endnotes as in the mail: `[n]` in the text, and the
 * footnotes once (`footnotesMarkdown`), wherever the note wrote them.
 */
import type { Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { visit } from 'unist-util-visit';
import { sectionContent, type CanonicalSection } from '../../model/body.ts';
import { endnotes, type Endnotes } from '../../model/endnotes.ts';
import type { Advisory } from '../../model/types.ts';
import { hasRawHtml } from '../../markdown/html.ts';

function withoutHtml(nodes: readonly RootContent[]): RootContent[] {
  return nodes.map((node) => {
    if (node.type === 'html') {
      const text = node.value.replace(/<[^>]*>/g, '').trim();
      return { type: 'paragraph', children: text ? [{ type: 'text', value: text }] : [] } as RootContent;
    }
    if ('children' in node) return { ...node, children: withoutHtml(node.children as RootContent[]) } as RootContent;
    return node;
  });
}

/**
 * The Markdown of nodes as the author wrote it: the note's own source text
 * between the first node's start and the last node's end. Exact, and far
 * cheaper than serializing the tree again. Undefined when the nodes carry
 * raw HTML (which must be reduced to text) or no positions.
 */
function sourceMarkdown(advisory: Advisory, nodes: readonly RootContent[]): string | undefined {
  const start = nodes[0]?.position?.start.offset;
  const end = nodes.at(-1)?.position?.end.offset;
  if (!advisory.source.text || start === undefined || end === undefined || hasRawHtml(nodes)) return undefined;
  return advisory.source.text.slice(start, end).trim();
}

/** Serializes mdast nodes to Markdown with GFM, without trailing blank lines. */
export function nodesToMarkdown(nodes: readonly RootContent[]): string {
  const root: Root = { type: 'root', children: withoutHtml(nodes).filter((node) => node.type !== 'paragraph' || node.children.length > 0) };
  return toMarkdown(root, { extensions: [gfmToMarkdown()], bullet: '-', fences: true, listItemIndent: 'one' }).trim();
}

const endnotesByAdvisory = new WeakMap<Advisory, Endnotes>();

/** The body with its footnote references numbered and its definitions taken out, and the footnotes. */
function exportEndnotes(advisory: Advisory): Endnotes {
  let value = endnotesByAdvisory.get(advisory);
  if (!value) {
    value = endnotes(advisory.body);
    endnotesByAdvisory.set(advisory, value);
  }
  return value;
}

/**
 * Markdown of nodes: the author's own text, unless the note has footnotes,
 * whose references read `[n]` in the exports: then serialized, with those
 * marks left unescaped (no link definition of the note bears a number as
 * its label, or the mark would become a link: such a mark stays escaped).
 */
function markdownOf(advisory: Advisory, nodes: readonly RootContent[]): string {
  const { body } = exportEndnotes(advisory);
  if (body === advisory.body) return sourceMarkdown(advisory, nodes) ?? nodesToMarkdown(nodes);
  const labels = definitionLabels(advisory.body);
  return nodesToMarkdown(nodes).replace(/\\\[(\d+)\]/g, (escaped: string, number: string) => (labels.has(number) ? escaped : `[${number}]`));
}

function definitionLabels(root: Root): Set<string> {
  const labels = new Set<string>();
  visit(root, 'definition', (node) => {
    labels.add(node.identifier);
  });
  return labels;
}

function findSectionMarkdown(advisory: Advisory, name: CanonicalSection): string | undefined {
  const section = sectionContent(exportEndnotes(advisory).body, name);
  if (!section) return undefined;
  const text = markdownOf(advisory, section.nodes);
  return text === '' ? undefined : text;
}

/**
 * Sections already found, by advisory: the OSV record and the CSAF
 * document (twice) ask for the same sections of the same note.
 */
const sectionsByAdvisory = new WeakMap<Advisory, Map<CanonicalSection, string | undefined>>();

/** Markdown of one canonical section, or `undefined` when the note has none (or it is empty). */
export function sectionMarkdown(advisory: Advisory, name: CanonicalSection): string | undefined {
  let sections = sectionsByAdvisory.get(advisory);
  if (!sections) {
    sections = new Map();
    sectionsByAdvisory.set(advisory, sections);
  }
  if (sections.has(name)) return sections.get(name);
  const text = findSectionMarkdown(advisory, name);
  sections.set(name, text);
  return text;
}

/** The whole body as Markdown: what a blog post (which has no template sections) says. */
export function bodyMarkdown(advisory: Advisory): string {
  return markdownOf(advisory, exportEndnotes(advisory).body.children);
}

/** The footnotes the text refers to, as a numbered list, or undefined when it refers to none. */
export function footnotesMarkdown(advisory: Advisory): string | undefined {
  const { notes } = exportEndnotes(advisory);
  return notes.length > 0 ? markdownOf(advisory, notes) : undefined;
}
