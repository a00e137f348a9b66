/**
 * A small, deterministic MIME writer: the same parts always give the same
 * bytes (boundaries are derived from content, not random), which golden
 * files, resends and signatures all rely on.
 */
import { createHash } from 'node:crypto';
import { encode as encodeQuotedPrintable, wrap as wrapQuotedPrintable } from 'nodemailer/lib/qp';
import { formatHeader, type HeaderField } from './headers.ts';

/** One MIME entity: its own Content-* headers and its encoded body (CRLF line ends). */
export interface MimeEntity {
  headers: HeaderField[];
  body: string;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/**
 * Plain 7bit when the text allows it; quoted-printable otherwise. "From "
 * at a line start is encoded too, since mbox-style relays rewrite it to
 * ">From " and would break an inline signature.
 */
function needsEncoding(text: string): boolean {
  if (/[^\x20-\x7e\n\t]/.test(text)) return true;
  // Now LF is the only line end: plain string searches for "From " and blanks at line ends.
  return text.startsWith('From ') || text.includes('\nFrom ') || /[ \t]\n/.test(text) || /[ \t]$/.test(text) || hasLongLine(text, 900);
}

function hasLongLine(text: string, limit: number): boolean {
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    if (end - start > limit) return true;
    start = end + 1;
  }
  return text.length - start > limit;
}

/** A text part (`plain` or `html`) in UTF-8. */
export function textEntity(text: string, subtype: 'plain' | 'html'): MimeEntity {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!needsEncoding(body)) {
    return {
      headers: [['Content-Type', `text/${subtype}; charset=utf-8`], ['Content-Transfer-Encoding', '7bit']],
      // 7bit text holds no CR: every LF becomes CRLF.
      body: body.replaceAll('\n', '\r\n'),
    };
  }
  const escapeFrom = (text: string) => text.replace(/(^|\r\n)From /g, '$1=46rom ');
  // Before wrapping for the note's own lines; after, for a soft break that happens to land before "From ".
  const encoded = escapeFrom(wrapQuotedPrintable(escapeFrom(encodeQuotedPrintable(Buffer.from(crlf(body), 'utf8'))), 76));
  return {
    headers: [['Content-Type', `text/${subtype}; charset=utf-8`], ['Content-Transfer-Encoding', 'quoted-printable']],
    body: encoded.endsWith('\r\n') ? encoded : `${encoded}\r\n`,
  };
}

/** The entity's own bytes as they appear inside a multipart: headers, blank line, body. */
export function entityText(entity: MimeEntity): string {
  return `${entity.headers.map((field) => formatHeader(field)).join('\r\n')}\r\n\r\n${entity.body}`;
}

/** A boundary that is a function of the parts and appears in none of them. */
function boundaryFor(parts: readonly string[]): string {
  for (let salt = 0; ; salt += 1) {
    const hash = createHash('sha256').update(String(salt)).update(parts.join('\0')).digest('hex').slice(0, 24);
    const boundary = `=_herald_${hash}`;
    if (!parts.some((part) => part.includes(boundary))) return boundary;
  }
}

function multipart(subtype: string, parts: readonly MimeEntity[], parameters: string): MimeEntity {
  const texts = parts.map(entityText);
  const boundary = boundaryFor(texts);
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046), so a part's bytes, as
  // signed in multipart/signed, are exactly its entity text.
  const body = `${texts.map((text) => `--${boundary}\r\n${text}\r\n`).join('')}--${boundary}--\r\n`;
  return { headers: [['Content-Type', `multipart/${subtype};${parameters} boundary="${boundary}"`]], body };
}

/** multipart/alternative: plain text first, so text-only readers and signatures see it. */
export function alternativeEntity(parts: readonly MimeEntity[]): MimeEntity {
  return multipart('alternative', parts, '');
}

/** RFC 3156 multipart/signed around `signed`, with the armored detached signature. */
export function pgpSignedEntity(signed: MimeEntity, armoredSignature: string, micalg: string): MimeEntity {
  const signature: MimeEntity = {
    headers: [
      ['Content-Type', 'application/pgp-signature; name="signature.asc"'],
      ['Content-Description', 'OpenPGP digital signature'],
      ['Content-Disposition', 'attachment; filename="signature.asc"'],
    ],
    body: crlf(armoredSignature.endsWith('\n') ? armoredSignature : `${armoredSignature}\n`),
  };
  return multipart('signed', [signed, signature], ` micalg=${micalg}; protocol="application/pgp-signature";`);
}

/** The whole message: top-level headers, then the entity's headers and body. */
export function serializeMessage(headers: readonly HeaderField[], entity: MimeEntity): string {
  const all: HeaderField[] = [...headers, ['MIME-Version', '1.0'], ...entity.headers];
  return `${all.map((field) => formatHeader(field)).join('\r\n')}\r\n\r\n${entity.body}`;
}
