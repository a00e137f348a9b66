/**
 * The words of a legacy note and of its import, for the word-for-word
 * check: the same words in the same order, whatever the wrapping and the
 * markup. Only the markup of the original is left out of its words: the
 * `---` under the title, the `#` of headings, snippet begin/end lines
 * (their file name moves into the fence's info string), list markers,
 * the backquotes around a word set as code (`` `br100` `` becomes code). A
 * heading herald reads as one of its sections counts as that section's
 * name, as the importer writes it ("Recommended Action" → "Recommended
 * Actions").
 */
import type { Nodes } from 'mdast';
import { parse as parseYaml } from 'yaml';
import { parseMarkdown } from '../../src/markdown/parse.ts';
import { canonicalSectionFor } from '../../src/model/body.ts';

const phrasingParents = new Set(['paragraph', 'heading', 'emphasis', 'strong', 'delete', 'link', 'tableCell']);
const listMarker = /^([-*•+]|\d{1,2}[.)])$/;

function textOf(node: Nodes): string {
  if (node.type === 'break') return ' ';
  if ('value' in node && typeof node.value === 'string') return node.value;
  if (!('children' in node)) return '';
  return (node.children as Nodes[]).map(textOf).join(phrasingParents.has(node.type) ? '' : ' ');
}

const words = (text: string) => text.split(/\s+/).filter((w) => w !== '' && !listMarker.test(w));

/** Words of an e-mail format note. */
export function originalWords(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const firstHeading = lines.findIndex((l) => /^\s*#{2,}/.test(l));
  const rule = lines.findIndex((l, i) => i < firstHeading && /^\s*-{3,}\s*$/.test(l));
  const kept = lines.filter((l, i) => i !== rule && !/^\s*-{3,}\s*(begin|being|end)\b.*-{3,}\s*$/i.test(l));
  const heading = (line: string) => {
    const text = line.replace(/^\s*#{2,}|#+\s*$/g, '');
    return /^\s*#{2,}/.test(line) ? (canonicalSectionFor(text.trim()) ?? text) : text;
  };
  return words(kept.map(heading).join('\n').replace(/`([^`\s](?:[^`\n]*[^`\s])?)`/g, '$1'));
}

/** Words of an imported herald note: its title, then its body as a reader sees it. */
export function importedWords(note: string): string[] {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(note);
  if (!front) throw new Error('the imported note has no front matter');
  const { title } = parseYaml(front[1]!) as { title: string };
  return words(`${title} ${textOf(parseMarkdown(note.slice(front[0].length)))}`);
}

/** The first place where two word lists differ, with some context, or `undefined`. */
export function firstDifference(expected: string[], actual: string[]): { index: number; expected: string[]; actual: string[] } | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i += 1) {
    if (expected[i] !== actual[i]) return { index: i, expected: expected.slice(Math.max(0, i - 3), i + 4), actual: actual.slice(Math.max(0, i - 3), i + 4) };
  }
  return undefined;
}
