/**
 * Notices at the top of a page: the private-preview mark (every page of a
 * preview build carries it) and the withdrawal notice.
 */
import type { Advisory } from '../../model/types.ts';
import { escapeText } from './escape.ts';

const boxStyle = 'border: 2px solid #d33; padding: 0.5em 1em; margin-bottom: 1em;';

export function previewBanner(): string {
  return `<div style="${boxStyle}">'''PRIVATE PREVIEW: NOT FOR PUBLICATION.''' This page comes from a preview build that includes drafts and embargoed notes. Do not copy it to a public wiki.</div>`;
}

export function withdrawnBanner(advisory: Advisory): string {
  const reason = advisory.withdrawnReason ? ` ${escapeText(advisory.withdrawnReason)}` : '';
  return `<div style="${boxStyle}">'''This advisory has been withdrawn.'''${reason}</div>`;
}

/** HTML comment at the top of every page herald writes, telling editors where the text comes from. */
export function generatedComment(what: string): string {
  // `--` inside a comment could end it; the text is ours, but ids of blog posts come from file names.
  const safe = what.replace(/-{2,}/g, '-').replace(/[<>]/g, '');
  return `<!-- Written by herald from ${safe}. Edit the note and run "herald wiki push": herald does not overwrite edits made here unless run with --force. -->`;
}
