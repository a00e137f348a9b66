/**
 * A step's `Verify:` line names its checks by id, in backticks or not.
 * `markVerifyIds` hands each id it names to `mark`, which says what goes
 * in its place: the mail follows it with the check's title, the page links
 * it to the check in its remediation checklist. Only a line of
 * "Recommended Actions" that starts with `Verify:` is read, and only ids of
 * the advisory's checks count; an id is never looked for inside a longer
 * word, a path or the label. Read it after `presentedBody`, which puts
 * each step field on a line of its own.
 *
 * Pure: new nodes where an id was marked, the same nodes otherwise.
 */
import type { InlineCode, Paragraph, PhrasingContent, Root, Text } from 'mdast';
import { sectionContent } from './body.ts';
import { mapParagraphs } from './map-paragraphs.ts';

const verifyLine = /^[ \t]*verify:/i;

/** The fragment of a check's entry on the advisory's page and its wiki page, which the `Verify:` lines link to. */
export const checkAnchor = (id: string) => `check-${id}`;

/** The link a page or a wiki page makes of an id: to the check's entry on the same page. */
const linkToCheck: MarkId = (id, written) => [{ type: 'link', url: `#${checkAnchor(id)}`, children: [written] }];

/** The body with each check id a step's `Verify:` line names linked to the check's entry on the same page (the site's page, the wiki page). */
export function withCheckLinks(body: Root, verify: readonly { id: string }[]): Root {
  return markVerifyIds(body, new Set(verify.map((entry) => entry.id)), linkToCheck);
}

/** `written`: the id as the note wrote it, an inline code or the text of the id alone. */
export type MarkId = (id: string, written: InlineCode | Text) => PhrasingContent[];

export function markVerifyIds(root: Root, ids: ReadonlySet<string>, mark: MarkId): Root {
  const section = ids.size > 0 ? sectionContent(root, 'Recommended Actions') : undefined;
  if (!section || section.nodes.length === 0) return root;
  const inSection = new Set(section.nodes);
  const pattern = new RegExp(`(?<![\\w.-])(${[...ids].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![\\w-]|\\.\\w)`, 'g');
  const children = root.children.map((node) => (inSection.has(node) ? mapParagraphs(node, (paragraph) => marked(paragraph, ids, pattern, mark)) : node));
  return children.some((node, index) => node !== root.children[index]) ? { ...root, children } : root;
}

function marked(paragraph: Paragraph, ids: ReadonlySet<string>, pattern: RegExp, mark: MarkId): Paragraph {
  let changed = false;
  let inVerify = false;
  let lineStart = true;
  const children: PhrasingContent[] = [];
  for (const child of paragraph.children) {
    if (child.type === 'break') {
      inVerify = false;
      lineStart = true;
      children.push(child);
      continue;
    }
    if (lineStart && child.type === 'text' && verifyLine.test(child.value)) inVerify = true;
    lineStart = false;
    if (inVerify && child.type === 'inlineCode' && ids.has(child.value)) {
      children.push(...mark(child.value, child));
      changed = true;
    } else if (inVerify && child.type === 'text') {
      const pieces = textPieces(child, pattern, mark);
      changed ||= pieces.length !== 1 || pieces[0] !== child;
      children.push(...pieces);
    } else children.push(child);
  }
  return changed ? { ...paragraph, children } : paragraph;
}

/** A text node cut around the ids it names (after its `Verify:` label), each id marked. */
function textPieces(text: Text, pattern: RegExp, mark: MarkId): PhrasingContent[] {
  const label = verifyLine.exec(text.value)?.[0].length ?? 0;
  const pieces: PhrasingContent[] = [];
  let from = 0;
  pattern.lastIndex = label;
  for (let match = pattern.exec(text.value); match; match = pattern.exec(text.value)) {
    if (match.index > from) pieces.push({ type: 'text', value: text.value.slice(from, match.index) });
    pieces.push(...mark(match[0], { type: 'text', value: match[0] }));
    from = match.index + match[0].length;
  }
  if (from === 0) return [text];
  if (from < text.value.length) pieces.push({ type: 'text', value: text.value.slice(from) });
  return pieces;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
