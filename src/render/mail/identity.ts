/**
 * Which announcement a message is, and its deterministic Message-ID.
 * An edition is one (advisory, revision) as mailed; a withdrawal is an
 * edition of its own, so withdrawing after UPDATE 2 is mailed even though
 * UPDATE 2 was.
 */
import { createHash } from 'node:crypto';
import type { Advisory } from '../../model/types.ts';
import { currentRevision } from '../../model/types.ts';

/** One mailing of an advisory. */
export interface Edition {
  id: string;
  /** 0 for the original publication, n for UPDATE n. */
  revision: number;
  withdrawn: boolean;
}

/** The edition an advisory is at now: its latest revision, withdrawn or not. */
export function currentEdition(advisory: Advisory): Edition {
  return { id: advisory.id, revision: currentRevision(advisory), withdrawn: advisory.status === 'withdrawn' };
}

/** `OSSN-0007 r2` or `OSSN-0007 r2 withdrawn`: how people and the ledger name an edition. */
export function editionLabel(edition: Edition): string {
  return `${edition.id} r${edition.revision}${edition.withdrawn ? ' withdrawn' : ''}`;
}

/**
 * `<ossn-0007.r2.<hash>@<domain>>`. The hash covers what makes the edition
 * unique beyond its id (first publication date, withdrawal, preview), so a
 * private preview never shares an id with the real message (receivers would
 * drop the real one as a duplicate) and a reused id never threads under an
 * unrelated note. It does not cover the text: a resend after a crash keeps
 * the id, and receivers can deduplicate.
 */
export function messageIdFor(advisory: Advisory, edition: Edition, options: { domain: string; preview: boolean }): string {
  // Mailed before herald: that message is the original, and a resend of it by herald is the same message.
  if (advisory.messageId && edition.revision === 0 && !edition.withdrawn && !options.preview) return advisory.messageId;
  const hash = createHash('sha256')
    .update(JSON.stringify([advisory.id, edition.revision, advisory.date, edition.withdrawn, options.preview, options.domain.toLowerCase()]))
    .digest('hex')
    .slice(0, 16);
  const local = advisory.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `<${local}.r${edition.revision}${edition.withdrawn ? '.withdrawn' : ''}.${hash}@${options.domain.toLowerCase()}>`;
}

/** The Message-ID of the original announcement (revision 0), which every update and withdrawal replies to. */
export function originalMessageId(advisory: Advisory, options: { domain: string; preview: boolean }): string {
  return messageIdFor(advisory, { id: advisory.id, revision: 0, withdrawn: false }, options);
}
