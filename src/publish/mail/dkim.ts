/**
 * DKIM signing with nodemailer's signer, once per prepared message (not
 * once per recipient: recipients differ only in the envelope).
 */
import { createPrivateKey } from 'node:crypto';
import DKIM from 'nodemailer/lib/dkim';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import type { Config } from '../../config/schema.ts';
import { readSecret, type SecretContext } from './secrets.ts';

/**
 * Signed headers: nodemailer's RFC 4871 list plus what a list mail needs
 * protected, `List-Unsubscribe-Post` above all (RFC 8058 requires it
 * signed, or a forger could turn one-click unsubscribe against readers).
 */
export const dkimSignedHeaders = [
  'From', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding',
  'In-Reply-To', 'References', 'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted',
].join(':');

/** Signs a whole message, returning it with its DKIM-Signature header first. */
export interface DkimSigner {
  sign(message: string): Promise<Buffer>;
}

/** The signer of `mail.dkim`; undefined when DKIM is not configured. */
export async function loadDkimSigner(config: Config, context: SecretContext): Promise<DkimSigner | undefined> {
  const dkim = config.mail.dkim;
  if (!dkim) return undefined;
  const privateKey = await readSecret({ what: 'the DKIM private key', file: dkim.key_file, env: dkim.key_env, section: ['mail', 'dkim'] }, context);
  try {
    // nodemailer's signer silently leaves a message unsigned when the key is bad: check it here.
    createPrivateKey(privateKey);
  } catch (error) {
    throw new HeraldError([
      { file: context.configFile, line: 1, column: 1, severity: 'error', ruleId: 'mail-key-unavailable', message: `The DKIM private key is not a PEM private key: ${(error as Error).message}`, hint: ruleInfo('mail-key-unavailable').hint },
    ]);
  }
  const signer = new DKIM({ domainName: dkim.domain, keySelector: dkim.selector, privateKey, headerFieldNames: dkimSignedHeaders });
  return {
    async sign(message) {
      const chunks: Buffer[] = [];
      for await (const chunk of signer.sign(Buffer.from(message, 'utf8'))) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}
