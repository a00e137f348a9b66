/**
 * Signatures judged by the real tools: `gpg --verify` for the inline
 * cleartext signature and for PGP/MIME (RFC 3156), Debian's dkimpy for
 * DKIM (with List-Unsubscribe-Post among the signed headers).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { listAudience } from '../../src/render/mail/audience.ts';
import { loadDkimSigner } from '../../src/publish/mail/dkim.ts';
import { loadPgpSigner } from '../../src/publish/mail/pgp.ts';
import { prepareMessage } from '../../src/publish/mail/prepare.ts';
import { missingTools } from '../support/system.ts';
import { dkimVerify, gpgKeyring, makeDkimKey, makePgpKey, missingDkimpy, type PgpKeyPair } from './support/keys.ts';
import { fixtureAdvisory, temporaryDir, testConfig, testNow } from './support/notes.ts';

const gpgMissing = missingTools('gpg');

/** The parts of a multipart/signed message, byte for byte as sent. */
function signedParts(raw: Buffer): { signed: string; signature: string; contentType: string } {
  const text = raw.toString('utf8');
  const headerEnd = text.indexOf('\r\n\r\n');
  const headers = text.slice(0, headerEnd).replace(/\r\n\s+/g, ' ');
  const contentType = /^Content-Type: (.*)$/im.exec(headers)![1]!;
  const boundary = /boundary="([^"]+)"/.exec(contentType)![1]!;
  const body = text.slice(headerEnd + 4);
  const parts = body.split(`--${boundary}`);
  // parts: preamble, signed part, signature part, epilogue; each part ends with the CRLF before the delimiter.
  const signed = parts[1]!.slice(2, -2);
  const signaturePart = parts[2]!.slice(2, -2);
  const signature = signaturePart.slice(signaturePart.indexOf('\r\n\r\n') + 4);
  return { signed, signature, contentType };
}

describe.skipIf(!!gpgMissing)('OpenPGP signatures, verified by gpg', () => {
  let key: PgpKeyPair;
  let keyring: Awaited<ReturnType<typeof gpgKeyring>>;
  let temp: Awaited<ReturnType<typeof temporaryDir>>;

  beforeAll(async () => {
    key = await makePgpKey();
    keyring = await gpgKeyring(key.publicKey);
    temp = await temporaryDir();
  });
  afterAll(async () => {
    keyring?.remove();
    await temp?.remove();
  });

  const secrets = () => ({ cwd: temp.dir, env: { HERALD_PGP_KEY: key.privateKey }, configFile: 'herald.config.yaml' });

  async function prepared(note: string, mode: 'inline' | 'pgp-mime', extra: Record<string, unknown> = {}) {
    const config = testConfig({ signing: { mode, key_env: 'HERALD_PGP_KEY' }, ...extra });
    const pgp = await loadPgpSigner(config, secrets());
    return prepareMessage(fixtureAdvisory(note, config), listAudience(config.mail.lists[0]!), config, { date: testNow, signers: { pgp } });
  }

  it('signs the text body inline, and gpg finds the signature good', async () => {
    for (const note of ['OSSN-0100.md', 'OSSN-0102.md', 'OSSN-0103.md']) {
      const message = await prepared(note, 'inline');
      const parsed = await simpleParser(message.bytes);
      expect(parsed.text).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA\d+\n\n/);
      // An ASCII note's signed text is sent as it reads (7bit), not quoted-printable, unless a line starts with "From "
      // (which an mbox relay would turn into ">From ", breaking the signature); the raw bytes, CR LF and all, verify too.
      const ascii = !/[^\x20-\x7e\n]/.test(parsed.text!) && !/^From /m.test(parsed.text!);
      expect(String(message.bytes).includes('Content-Transfer-Encoding: 7bit'), note).toBe(ascii);
      expect(ascii, note).toBe(note === 'OSSN-0103.md');
      if (ascii) {
        const raw = String(message.bytes).split('\r\n\r\n').slice(1).join('\r\n\r\n');
        writeFileSync(path.join(temp.dir, `${note}.raw.txt`), raw);
        expect((await keyring.verify(path.join(temp.dir, `${note}.raw.txt`))).status).toContain(`[GNUPG:] VALIDSIG ${key.fingerprint}`);
      }
      const file = path.join(temp.dir, `${note}.txt`);
      writeFileSync(file, parsed.text!);
      const result = await keyring.verify(file);
      expect(result.status, note).toContain(`[GNUPG:] VALIDSIG ${key.fingerprint}`);
      expect(result.code).toBe(0);
      // A changed word breaks it.
      writeFileSync(file, parsed.text!.replace('compute', 'c0mpute').replace('Zertifikate', 'Zertifikat').replace('OSSN-0', 'OSSN-9'));
      expect((await keyring.verify(file)).status).toContain('[GNUPG:] BADSIG');
    }
  });

  it('signs PGP/MIME (RFC 3156) over the exact part bytes, and gpg finds it good', async () => {
    const message = await prepared('OSSN-0102.md', 'pgp-mime', { html_alternative: true });
    const { signed, signature, contentType } = signedParts(message.bytes);
    expect(contentType).toMatch(/^multipart\/signed; micalg=pgp-sha(256|512); protocol="application\/pgp-signature"; boundary=/);
    expect(signed).toMatch(/^Content-Type: multipart\/alternative;/);
    writeFileSync(path.join(temp.dir, 'part.txt'), signed);
    writeFileSync(path.join(temp.dir, 'part.sig'), signature);
    const result = await keyring.verify(path.join(temp.dir, 'part.sig'), path.join(temp.dir, 'part.txt'));
    expect(result.status).toContain(`[GNUPG:] VALIDSIG ${key.fingerprint}`);
    const parsed = await simpleParser(message.bytes);
    expect(parsed.text).toContain('Grüße from the team');
  });

  it('is deterministic: the same edition and date give the same signed bytes', async () => {
    const first = await prepared('OSSN-0100.md', 'inline');
    const second = await prepared('OSSN-0100.md', 'inline');
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it('unlocks a passphrase-protected key from the environment, and names what is missing', async () => {
    const locked = await makePgpKey('correct horse');
    const config = testConfig({ signing: { mode: 'inline', key_file: 'key.asc', passphrase_env: 'HERALD_PGP_PASSPHRASE' } });
    writeFileSync(path.join(temp.dir, 'key.asc'), locked.privateKey);
    const context = (env: NodeJS.ProcessEnv) => ({ cwd: temp.dir, env, configFile: 'herald.config.yaml' });
    await expect(loadPgpSigner(config, context({ HERALD_PGP_PASSPHRASE: 'correct horse' }))).resolves.toMatchObject({ fingerprint: locked.fingerprint });
    await expect(loadPgpSigner(config, context({}))).rejects.toThrow(/HERALD_PGP_PASSPHRASE .*is not set/);
    await expect(loadPgpSigner(config, context({ HERALD_PGP_PASSPHRASE: 'wrong' }))).rejects.toThrow(/does not unlock/);
    const missingFile = testConfig({ signing: { mode: 'inline', key_file: 'absent.asc' } });
    const error = await loadPgpSigner(missingFile, context({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'mail-key-unavailable', message: expect.stringContaining('absent.asc: ENOENT') });
  });
});

const dkimMissing = missingDkimpy();

describe.skipIf(!!dkimMissing)('DKIM, verified by dkimpy', () => {
  it('signs once per message with List-Unsubscribe-Post among the signed headers', async () => {
    const temp = await temporaryDir();
    try {
      const dkimKey = makeDkimKey();
      writeFileSync(path.join(temp.dir, 'dkim.pem'), dkimKey.privateKey);
      const config = testConfig({ dkim: { domain: 'example.org', selector: 'herald', key_file: 'dkim.pem' } });
      const dkim = await loadDkimSigner(config, { cwd: temp.dir, env: {}, configFile: 'herald.config.yaml' });
      const message = await prepareMessage(fixtureAdvisory('OSSN-0100.md', config), listAudience(config.mail.lists[0]!), config, { date: testNow, signers: { dkim } });
      expect(message.bytes.toString('utf8')).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example.org;/);
      const verdict = dkimVerify(message.bytes, dkimKey.publicKeyBase64);
      expect(verdict.ok).toBe(true);
      expect(verdict.signedHeaders).toEqual(expect.arrayContaining(['from', 'subject', 'date', 'message-id', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post']));
      const tampered = Buffer.from(message.bytes.toString('utf8').replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=Two-Click'));
      expect(dkimVerify(tampered, dkimKey.publicKeyBase64).ok).toBe(false);
      writeFileSync(path.join(temp.dir, 'bad.pem'), 'not a key');
      const bad = testConfig({ dkim: { domain: 'example.org', selector: 'herald', key_file: 'bad.pem' } });
      await expect(loadDkimSigner(bad, { cwd: temp.dir, env: {}, configFile: 'herald.config.yaml' })).rejects.toThrow(/not a PEM private key/);
    } finally {
      await temp.remove();
    }
  });
});
