/**
 * The sticky pull-request comment: a hidden marker first, so the next run
 * finds and edits it, then the preview sized to GitHub's limit.
 */
import type { Nodes } from 'mdast';
import { parseMarkdownWithPositions } from '../markdown/parse.ts';
import { mentionBreaks } from './markdown.ts';
import { commentLimit, renderPreview, type NotePreview } from './preview.ts';

/** The first line of herald's comment; invisible when GitHub renders it. */
export const commentMarker = '<!-- herald-preview -->';

/** Ends the body of a preview that shows no note, so the job posting it knows not to create a comment. */
const emptyMarker = '<!-- herald-preview: no notes -->';

/** The comment body for `previews`, at most 65,536 characters, starting with the marker. */
export function previewCommentBody(previews: readonly NotePreview[], now: Date): string {
  const head = `${commentMarker}\n`;
  if (previews.length === 0) return `${head}${renderPreview([], { now, limit: commentLimit })}\n${emptyMarker}`;
  return head + renderPreview(previews, { now, limit: commentLimit - head.length });
}

/**
 * True for the body of a preview that shows no note: it may replace an
 * earlier preview, but is not worth a new comment.
 */
export function isEmptyPreview(body: string): boolean {
  return body.trimEnd().endsWith(emptyMarker);
}

/**
 * A body received from elsewhere (a file made by a read-only job) made safe
 * to post: starting with the marker, within the limit. An over-long body is
 * cut at a line end with a note, never rejected by GitHub.
 */
export function normalizeCommentBody(body: string): string {
  const marked = body.startsWith(commentMarker) ? body : `${commentMarker}\n${body}`;
  if (marked.length <= commentLimit) return marked;
  const notice = '\n\n_The preview was cut to fit GitHub\u2019s 65,536-character comment limit._';
  const room = marked.slice(0, commentLimit - notice.length);
  const cut = room.lastIndexOf('\n');
  return `${cut > commentMarker.length ? room.slice(0, cut) : room}${notice}`;
}

/**
 * A body made by the pull request's own job, which the pull request can
 * rewrite at will, before the trusted job posts it as its bot: within the
 * limit and marked (`normalizeCommentBody`), and with every `@name` outside
 * code and links broken as herald breaks them in what it writes itself, so
 * the comment can ping no one. Code and links are left as written (GitHub
 * mentions no one there, and an entity there would show, or break the URL).
 */
export function untrustedCommentBody(received: string): string {
  // Past the limit it is cut anyway: the rest is never parsed.
  const body = received.length > commentLimit ? received.slice(0, commentLimit + 1) : received;
  const unmentioned = noMentionRanges(parseMarkdownWithPositions(body));
  let out = '';
  let last = 0;
  for (const at of mentionBreaks(body)) {
    if (unmentioned.some(([start, end]) => at >= start && at < end)) continue;
    out += `${body.slice(last, at + 1)}&#8203;`;
    last = at + 1;
  }
  return normalizeCommentBody(out + body.slice(last));
}

/** Where GitHub makes no mention: code, and links (a URL such as npm's `/package/@scope/name` too). */
const noMention = new Set(['code', 'inlineCode', 'link', 'definition', 'image']);

/** The source offsets of what `noMention` names. */
function noMentionRanges(tree: Nodes): [number, number][] {
  const ranges: [number, number][] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (noMention.has(node.type) && node.position?.start.offset !== undefined && node.position.end.offset !== undefined) {
      ranges.push([node.position.start.offset, node.position.end.offset]);
    } else if ('children' in node) stack.push(...(node.children as Nodes[]));
  }
  return ranges;
}
