import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/parse.ts';

const fullGfm = unified().use(remarkParse).use(remarkGfm).freeze();
const withoutPositions = (tree: unknown) => JSON.parse(JSON.stringify(tree, (key, value: unknown) => (key === 'position' ? undefined : value))) as unknown;
const notesDir = path.resolve(import.meta.dirname, '../../notes');

const samples = {
  table: '| a | b |\n|:--|--:|\n| `x` | [l](https://e.org) |\n',
  strikethrough: 'a ~~gone~~ and ~one~ b\n',
  footnote: 'Claim.[^1]\n\n[^1]: Source.\n',
  tasks: '- [ ] open\n- [x] done\n1. [ ] numbered\n',
  autolinks: 'See https://example.org/a_(b), www.example.com and security@example.org.\n',
  'autolink in emphasis': '*see https://example.org/x* and `https://not.a.link`\n',
  'no gfm at all': '# Title\n\nJust text with a | pipe and a ~ tilde.\n',
};

describe('parseMarkdown (only the GFM extensions a note needs)', () => {
  it.each(Object.entries(samples))('gives the same tree as full GFM: %s', (_, text) => {
    expect(withoutPositions(parseMarkdown(text))).toEqual(withoutPositions(fullGfm.parse(text)));
  });

  it.each(readdirSync(notesDir))('gives the same tree as full GFM for notes/%s', (file) => {
    const text = readFileSync(path.join(notesDir, file), 'utf8').split(/^---$/m).slice(2).join('---');
    expect(withoutPositions(parseMarkdown(text))).toEqual(withoutPositions(fullGfm.parse(text)));
  });
});
