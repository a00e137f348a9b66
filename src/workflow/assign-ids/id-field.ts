/**
 * Rewrites the `id` field of a note's front matter and nothing else: the
 * rest of the file stays byte for byte as the author wrote it (quoting,
 * comments, key order, line endings), so the bot's diff is one line.
 */
import { isScalar } from 'yaml';
import { splitFrontMatter } from '../../model/frontmatter.ts';

/**
 * `text` with the `id` value `from` replaced by `to`, or undefined when the
 * front matter has no `id` scalar whose value is `from`.
 */
export function replaceIdField(text: string, from: string, to: string): string | undefined {
  const split = splitFrontMatter(text);
  if (!split.ok) return undefined;
  const { doc, lineCounter } = split.value;
  const node = doc.get('id', true);
  if (!isScalar(node) || node.value !== from || !node.range) return undefined;
  // Node ranges are offsets into the YAML text, whose line n is the file's
  // line n: go through line and column to land on the file's offset.
  const start = fileOffset(text, lineCounter.linePos(node.range[0]));
  const end = fileOffset(text, lineCounter.linePos(node.range[1]));
  const source = text.slice(start, end);
  const at = source.indexOf(from);
  if (at === -1) return undefined;
  return text.slice(0, start + at) + to + text.slice(start + at + from.length);
}

function fileOffset(text: string, position: { line: number; col: number }): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + position.col - 1;
}
