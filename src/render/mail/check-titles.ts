/**
 * A step's `Verify:` line names its checks by id. In a mail, where nothing
 * links the id to its check, each id is followed by the check's title, as
 * the Verification section below spells it out: "Verify: `libvirt-tls`
 * (libvirt accepts only TLS)". Other lines are left as written.
 *
 * Pure: new nodes where a title was added, the same nodes otherwise.
 */
import type { Paragraph, PhrasingContent, RootContent } from 'mdast';
import { mapParagraphs } from '../../model/map-paragraphs.ts';

const verifyLine = /^[ \t]*verify:/i;

export function withCheckTitles(nodes: RootContent[], titles: ReadonlyMap<string, string>): RootContent[] {
  if (titles.size === 0) return nodes;
  const ids = new RegExp(`(?<![\\w.-])(${[...titles.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![\\w-]|\\.\\w)`, 'g');
  const out = nodes.map((node) => mapParagraphs(node, (paragraph) => titled(paragraph, titles, ids)));
  return out.some((node, index) => node !== nodes[index]) ? out : nodes;
}

function titled(paragraph: Paragraph, titles: ReadonlyMap<string, string>, ids: RegExp): Paragraph {
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
    if (inVerify && child.type === 'inlineCode' && titles.has(child.value)) {
      children.push(child, { type: 'text', value: ` (${titles.get(child.value)})` });
      changed = true;
    } else if (inVerify && child.type === 'text') {
      const [label, rest] = splitLabel(child.value);
      const value = label + rest.replace(ids, (id) => `${id} (${titles.get(id)})`);
      changed ||= value !== child.value;
      children.push(value === child.value ? child : { ...child, value });
    } else children.push(child);
  }
  return changed ? { ...paragraph, children } : paragraph;
}

/** The `Verify:` label and what follows it, so an id is never looked for in the label. */
function splitLabel(text: string): [string, string] {
  const label = verifyLine.exec(text)?.[0] ?? '';
  return [label, text.slice(label.length)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
