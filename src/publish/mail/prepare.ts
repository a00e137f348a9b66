/**
 * The bytes that go on the wire for one edition and one audience:
 * composed, OpenPGP-signed, DKIM-signed, once. Every recipient of the
 * audience gets these same bytes; only the envelope (RCPT TO) differs.
 */
import type { Config } from '../../config/schema.ts';
import type { Advisory } from '../../model/types.ts';
import type { Audience } from '../../render/mail/audience.ts';
import { composeAnnouncement, serializeAnnouncement } from '../../render/mail/compose.ts';
import { serializeMessage } from '../../render/mail/mime.ts';
import type { Edition, MessageIdOptions } from '../../render/mail/identity.ts';
import type { DkimSigner } from './dkim.ts';
import { signedBody, type PgpSigner } from './pgp.ts';

/** Final bytes for an audience, with what the ledger and summary need to name them. */
export interface PreparedMessage {
  edition: Edition;
  audience: Audience;
  messageId: string;
  subject: string;
  bytes: Buffer;
}

/** The signers loaded for this run; absent ones are not configured. */
export interface Signers {
  pgp?: PgpSigner | undefined;
  dkim?: DkimSigner | undefined;
}

/** Composes and signs the edition for one audience. */
export async function prepareMessage(advisory: Advisory, audience: Audience, config: Config, options: { date: Date; signers: Signers; mailed?: MessageIdOptions['mailed'] }): Promise<PreparedMessage> {
  const announcement = composeAnnouncement(advisory, config, { date: options.date, preview: false, audience, mailed: options.mailed });
  const text = options.signers.pgp
    ? serializeMessage(announcement.headers, await signedBody(announcement, options.signers.pgp, options.date))
    : serializeAnnouncement(announcement);
  const bytes = options.signers.dkim ? await options.signers.dkim.sign(text) : Buffer.from(text, 'utf8');
  return { edition: announcement.edition, audience, messageId: announcement.messageId, subject: announcement.subject, bytes };
}
