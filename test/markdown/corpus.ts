/** Markdown inputs the parser and writer tests share: note bodies found on disk. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { splitFrontMatter } from '../../src/model/frontmatter.ts';

/** The Markdown body of a note (the whole text when it has no front matter). */
export const bodyOf = (text: string): string => {
  const split = splitFrontMatter(text);
  return split.ok ? split.value.body : text;
};

/** Every `.md` file below `dir`. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join(dir, file));
}
