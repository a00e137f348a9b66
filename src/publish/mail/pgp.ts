/**
 * OpenPGP signing of announcements with openpgp.js: an inline cleartext
 * signature of the text body (as Debian's DSA and Ubuntu's USN mails are
 * signed), or PGP/MIME (RFC 3156) around the whole body.
 *
 * Signatures are deterministic: openpgp.js's random salt notation is off
 * and the signature time is the message's Date:, so a resumed or repeated
 * run produces the very same bytes (EdDSA is deterministic by design).
 */
import * as openpgp from 'openpgp';
import type { Config } from '../../config/schema.ts';
import { bodyEntity, type Announcement } from '../../render/mail/compose.ts';
import { entityText, pgpSignedEntity, textEntity, alternativeEntity, type MimeEntity } from '../../render/mail/mime.ts';
import { readSecret, type SecretContext } from './secrets.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';

const signingConfig = { nonDeterministicSignaturesViaNotation: false } as const;

/** An unlocked OpenPGP key and the configured signing mode. */
export interface PgpSigner {
  mode: 'inline' | 'pgp-mime';
  key: openpgp.PrivateKey;
  fingerprint: string;
}

/** The signer of `mail.signing`, unlocked; undefined when signing is not configured. */
export async function loadPgpSigner(config: Config, context: SecretContext): Promise<PgpSigner | undefined> {
  const signing = config.mail.signing;
  if (!signing) return undefined;
  const armored = await readSecret({ what: 'the OpenPGP signing key', file: signing.key_file, env: signing.key_env, section: ['mail', 'signing'] }, context);
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (error) {
    throw keyError(context, `The OpenPGP signing key cannot be read: ${(error as Error).message}`);
  }
  if (!key.isDecrypted()) {
    if (!signing.passphrase_env) throw keyError(context, 'The OpenPGP signing key is protected by a passphrase: name its environment variable in `passphrase_env`');
    const passphrase = await readSecret({ what: 'the signing key passphrase', env: signing.passphrase_env, section: ['mail', 'signing'], envKey: 'passphrase_env' }, context);
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw keyError(context, `The passphrase in ${signing.passphrase_env} does not unlock the OpenPGP signing key`);
    }
  }
  return { mode: signing.mode, key, fingerprint: key.getFingerprint().toUpperCase() };
}

function keyError(context: SecretContext, text: string): HeraldError {
  return new HeraldError([{ file: context.configFile, line: 1, column: 1, severity: 'error', ruleId: 'mail-key-unavailable', message: text, hint: ruleInfo('mail-key-unavailable').hint }]);
}

/**
 * The text wrapped in `-----BEGIN PGP SIGNED MESSAGE-----`, signed at
 * `date`, its lines ended by LF alone: openpgp.js ends the signed text's
 * lines with CR LF and its own with LF, and a CR in the text would make
 * the part quoted-printable (`textEntity`) though it is ASCII. The
 * signature is over the text's lines whatever ends them (RFC 4880 7.1).
 */
export async function clearsign(text: string, signer: PgpSigner, date: Date): Promise<string> {
  const message = await openpgp.createCleartextMessage({ text });
  const signed = (await openpgp.sign({ message, signingKeys: signer.key, date, format: 'armored', config: signingConfig })).replace(/\r\n/g, '\n');
  return signed.endsWith('\n') ? signed : `${signed}\n`;
}

const micalgNames = new Map<number, string>([
  [openpgp.enums.hash.sha256, 'pgp-sha256'],
  [openpgp.enums.hash.sha384, 'pgp-sha384'],
  [openpgp.enums.hash.sha512, 'pgp-sha512'],
  [openpgp.enums.hash.sha224, 'pgp-sha224'],
]);

/** A detached signature over the exact bytes of a MIME entity, with its `micalg`. */
export async function detachedSignature(bytes: string, signer: PgpSigner, date: Date): Promise<{ armored: string; micalg: string }> {
  const message = await openpgp.createMessage({ binary: Buffer.from(bytes, 'utf8') });
  const armored = await openpgp.sign({ message, signingKeys: signer.key, date, detached: true, format: 'armored', config: signingConfig });
  const signature = await openpgp.readSignature({ armoredSignature: armored });
  const algorithm = (signature.packets[0] as unknown as { hashAlgorithm: number }).hashAlgorithm;
  return { armored, micalg: micalgNames.get(algorithm) ?? 'pgp-sha256' };
}

/** The announcement's body entity, signed as configured. */
export async function signedBody(announcement: Announcement, signer: PgpSigner, date: Date): Promise<MimeEntity> {
  if (signer.mode === 'inline') {
    const text = textEntity(await clearsign(announcement.text, signer, date), 'plain');
    return announcement.html === undefined ? text : alternativeEntity([text, textEntity(announcement.html, 'html')]);
  }
  const inner = bodyEntity(announcement);
  const { armored, micalg } = await detachedSignature(entityText(inner), signer, date);
  return pgpSignedEntity(inner, armored, micalg);
}
