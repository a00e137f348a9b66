/**
 * Links between notes. Authors link another note as GitHub shows the
 * repository, by its file (`[OSSN-0004](OSSN-0004.md)`, `../notes/x.md#update-1`);
 * every output needs that advisory's page instead. The page is found from
 * the file name alone (`<ID>.md` is `advisories/<ID>/`, a post
 * `YYYY-MM-DD-slug.md` is `advisories/slug/`), so a note's outputs depend on
 * no other note; the checks across notes (lint/run.ts) then make sure the
 * file is a note whose page that is.
 */
import path from 'node:path';
import type { Nodes, Root } from 'mdast';
import type { Position } from './types.ts';
import { noteFileExtension } from '../io/note-file.ts';
import { fragmentOf, headingIdPrefix } from '../markdown/heading-ids.ts';
import { keepsFragment } from './page-anchors.ts';

/** A link to another note's file, as the checks across notes read it. */
export interface NoteLink {
  /** The linked file, resolved from the linking note's folder, as note paths are written (`notes/OSSN-0004.md`). */
  target: string;
  /** The page's slug the link was given (`OSSN-0004`). */
  slug: string;
  /** The place in that page the link names, percent-decoded (`discussion`), when it names one. */
  fragment?: string;
  line: number;
  column: number;
}

const scheme = /^[a-z][a-z0-9+.-]*:/i;
const postName = /^\d{4}-\d{2}-\d{2}-(.+)$/;

/** Whether a link target is a relative path to a Markdown file: a link to a note. */
function noteTarget(url: string): { file: string; fragment: string } | undefined {
  if (scheme.test(url) || url.startsWith('/') || url.startsWith('#')) return undefined;
  const hash = url.indexOf('#');
  const file = hash < 0 ? url : url.slice(0, hash);
  if (!noteFileExtension.test(file)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(file);
  } catch {
    return undefined;
  }
  return { file: decoded, fragment: hash < 0 ? '' : url.slice(hash) };
}

/** The slug of the page a note file has when its name says it (a post may set another with `slug:`). */
function slugOfNoteFile(file: string): string {
  const stem = path.posix.basename(file).replace(noteFileExtension, '');
  return postName.exec(stem)?.[1] ?? stem;
}

/**
 * Points every link to a note's file in `body` at that advisory's page
 * (`advisoryUrl(slug)` plus the link's fragment: a heading's, `#discussion`,
 * as that heading's id, `#section-discussion`, `page-anchors.ts`), in place, and returns
 * those links. `source` and `bodyOffset` place each one: the fast parse
 * gives inline nodes no position, so a link is found by its URL in the
 * text, in document order.
 */
export function resolveNoteLinks(body: Root, notePath: string, advisoryUrl: (slug: string) => string, source: string, bodyOffset: number): NoteLink[] {
  const links: NoteLink[] = [];
  const folder = path.posix.dirname(notePath.split(path.sep).join('/'));
  let searchFrom = bodyOffset;
  // In document order, without recursion (inline nesting may be deep), as lint's walk (src/lint/body-nodes.ts).
  const stack: Nodes[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'link' || node.type === 'definition') {
      const target = noteTarget(node.url);
      if (target) {
        const slug = slugOfNoteFile(target.file);
        const found = source.indexOf(node.url, searchFrom);
        const at = positionOf(source, found < 0 ? (node.position?.start.offset ?? bodyOffset) : found);
        if (found >= 0) searchFrom = found + 1;
        const fragment = fragmentOf(target.fragment);
        links.push({ target: path.posix.normalize(path.posix.join(folder, target.file)), slug, ...(fragment ? { fragment } : {}), ...at });
        node.url = `${advisoryUrl(slug)}${fragment === undefined || keepsFragment(fragment) ? target.fragment : `#${headingIdPrefix}${target.fragment.slice(1)}`}`;
      }
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return links;
}

function positionOf(source: string, offset: number): Pick<Position, 'line' | 'column'> {
  let line = 1;
  let lineStart = 0;
  for (let index = source.indexOf('\n'); index >= 0 && index < offset; index = source.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
