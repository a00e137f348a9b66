/**
 * The one Markdown parser: CommonMark + GFM (tables, strikethrough, task
 * lists, autolink literals) into mdast. Each note is parsed once; every
 * output is rendered from the same tree.
 */
import type { Root } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';

const parser = unified().use(remarkParse).use(remarkGfm).freeze();

export function parseMarkdown(text: string): Root {
  return parser.parse(text) as Root;
}
