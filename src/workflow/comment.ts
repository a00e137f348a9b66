/**
 * The sticky pull-request comment: a hidden marker first, so the next run
 * finds and edits it, then the preview sized to GitHub's limit.
 */
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
