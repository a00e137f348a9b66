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

/** Where an edition's Message-ID comes from beyond the note: the ids herald mailed them with. */
export interface MessageIdOptions {
  domain: string;
  preview: boolean;
  /**
   * The Message-ID an edition was mailed with, when known (`herald send`
   * reads its ledger): a first date corrected since then would derive
   * another id, and the thread would break.
   */
  mailed?: ((edition: Edition) => string | undefined) | undefined;
}

/**
 * `<ossn-0007.r2.<hash>@<domain>>`. The hash covers what makes the edition
 * unique beyond its id (first publication date, withdrawal, preview), so a
 * private preview never shares an id with the real message (receivers would
 * drop the real one as a duplicate) and a reused id never threads under an
 * unrelated note. It does not cover the text: a resend after a crash keeps
 * the id, and receivers can deduplicate.
 */
export function messageIdFor(advisory: Advisory, edition: Edition, options: MessageIdOptions): string {
  // Mailed before herald: that message is the original, and a resend of it by herald is the same message.
  if (advisory.messageId && edition.revision === 0 && !edition.withdrawn && !options.preview) return advisory.messageId;
  const mailed = options.preview ? undefined : options.mailed?.(edition);
  if (mailed) return mailed;
  const hash = createHash('sha256')
    .update(JSON.stringify([advisory.id, edition.revision, advisory.date, edition.withdrawn, options.preview, options.domain.toLowerCase()]))
    .digest('hex')
    .slice(0, 16);
  const local = advisory.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `<${local}.r${edition.revision}${edition.withdrawn ? '.withdrawn' : ''}.${hash}@${options.domain.toLowerCase()}>`;
}

/**
 * The editions an edition replies to, oldest first: the original and every
 * update before it, so a reader threads UPDATE 2 under UPDATE 1 under the
 * original, and still finds the original when UPDATE 1 never reached them.
 * The last is the parent. A withdrawal at revision n also replies to
 * revision n as published when it is the original, or was mailed before
 * (only the ledger knows: `herald withdraw` adds a revision no one got
 * unwithdrawn). Empty for the original.
 */
export function threadOf(edition: Edition, options: MessageIdOptions): Edition[] {
  const ancestors: Edition[] = [];
  for (let revision = 0; revision < edition.revision; revision += 1) ancestors.push({ id: edition.id, revision, withdrawn: false });
  const unwithdrawn: Edition = { id: edition.id, revision: edition.revision, withdrawn: false };
  if (edition.withdrawn && (edition.revision === 0 || (!options.preview && options.mailed?.(unwithdrawn)))) ancestors.push(unwithdrawn);
  return ancestors;
}

/**
 * `In-Reply-To:` and `References:` for a thread (`threadOf`; RFC 5322 3.6.4: the parent's
 * References, then the parent's Message-ID), or none for the original.
 */
export function threadHeaders(advisory: Advisory, thread: readonly Edition[], options: MessageIdOptions): [name: string, value: string][] {
  const ids = thread.map((ancestor) => messageIdFor(advisory, ancestor, options));
  return ids.length === 0 ? [] : [['In-Reply-To', ids.at(-1)!], ['References', ids.join(' ')]];
}
