/**
 * An announcement as a message: headers and bodies composed from the
 * validated advisory, the config and an audience. Pure and deterministic:
 * the same inputs give the same bytes. Signing happens later, at send time
 * (`src/publish/mail/`), because it needs a secret key.
 */
import type { Config } from '../../config/schema.ts';
import type { Advisory } from '../../model/types.ts';
import type { Audience } from './audience.ts';
import { planContent } from './content.ts';
import { assertHeadersSafe, formatDate, type HeaderField } from './headers.ts';
import { renderHtmlBody } from './html.ts';
import { currentEdition, messageIdFor, threadHeaders, threadOf, type Edition, type MessageIdOptions } from './identity.ts';
import { alternativeEntity, serializeMessage, textEntity, type MimeEntity } from './mime.ts';
import { renderSubject } from './subject.ts';
import { renderTextBody } from './text/body.ts';

/** What varies between messages of one edition: the date, the preview mark and the audience. */
export interface ComposeOptions {
  /** The Date: header; the only part of the message that changes from run to run. */
  date: Date;
  preview: boolean;
  /** Whom the headers address; without one, `undisclosed-recipients:;`. */
  audience?: Audience;
  /** The Message-ID each earlier edition was mailed with, when known (`herald send`'s ledger). */
  mailed?: MessageIdOptions['mailed'];
}

/** A composed, unsigned announcement. */
export interface Announcement {
  edition: Edition;
  /** The editions it replies to, oldest first, the parent last (`In-Reply-To:`). */
  thread: Edition[];
  messageId: string;
  subject: string;
  /** Top-level headers except MIME-Version and Content-*. */
  headers: HeaderField[];
  /** The text/plain body, LF line ends, 72 columns. */
  text: string;
  /** The text/html alternative, when `mail.html_alternative` is on. */
  html?: string;
}

function listHeaders(audience: Audience): HeaderField[] {
  const fields: HeaderField[] = [['List-Id', audience.description ? `${audience.description} <${audience.listId}>` : `<${audience.listId}>`]];
  if (audience.unsubscribe) {
    fields.push(['List-Unsubscribe', `<${audience.unsubscribe}>`]);
    // RFC 8058 one-click: only an https URL can take the POST.
    if (audience.unsubscribe.startsWith('https://')) fields.push(['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']);
  }
  return fields;
}

/** Composes the announcement of the advisory's current edition; throws `header-control-char` on an unsafe header. */
export function composeAnnouncement(advisory: Advisory, config: Config, options: ComposeOptions): Announcement {
  const mail = config.mail;
  const edition = currentEdition(advisory);
  const ids: MessageIdOptions = { domain: mail.domain, preview: options.preview, mailed: options.mailed };
  const messageId = messageIdFor(advisory, edition, ids);
  const subject = renderSubject(mail.subject, advisory, edition, options.preview);
  const headers: HeaderField[] = [
    ['Date', formatDate(options.date)],
    ['From', mail.from],
    ...(mail.reply_to ? [['Reply-To', mail.reply_to] as const] : []),
    ['To', options.audience?.address ?? 'undisclosed-recipients:;'],
    ['Subject', subject],
    ['Message-ID', messageId],
  ];
  const thread = threadOf(edition, ids);
  headers.push(...threadHeaders(advisory, thread, ids));
  if (options.audience) headers.push(...listHeaders(options.audience));
  if (mail.auto_submitted) headers.push(['Auto-Submitted', 'auto-generated']);
  assertHeadersSafe(headers, advisory.source.path);

  const plan = planContent(advisory, config);
  const text = renderTextBody(plan, { preview: options.preview });
  const html = mail.html_alternative ? renderHtmlBody(plan, { preview: options.preview, subject }) : undefined;
  return { edition, thread, messageId, subject, headers, text, ...(html !== undefined ? { html } : {}) };
}

/** The body entity before signing: text/plain, or multipart/alternative with the HTML. */
export function bodyEntity(announcement: Pick<Announcement, 'text' | 'html'>): MimeEntity {
  const text = textEntity(announcement.text, 'plain');
  return announcement.html === undefined ? text : alternativeEntity([text, textEntity(announcement.html, 'html')]);
}

/** The RFC 5322 message, CRLF line ends, unsigned. */
export function serializeAnnouncement(announcement: Announcement, entity: MimeEntity = bodyEntity(announcement)): string {
  return serializeMessage(announcement.headers, entity);
}
