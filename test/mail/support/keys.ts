/**
 * Keys made at test time (nothing secret is committed) and the real tools
 * that judge signatures: gpg for OpenPGP, Debian's dkimpy for DKIM.
 */
import { execFile, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';

const execFileAsync = promisify(execFile);

export interface PgpKeyPair {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

/** A v4 curve25519 (EdDSA legacy) key, the kind gpg 2.2 verifies. */
export async function makePgpKey(passphrase?: string): Promise<PgpKeyPair> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Example Security Team', email: 'security@example.org' }],
    date: new Date('2010-01-01T00:00:00Z'),
    format: 'armored',
    ...(passphrase ? { passphrase } : {}),
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase() };
}

/** A gpg home with the public key imported; `verify` runs `gpg --verify` and returns its status lines. */
export async function gpgKeyring(publicKey: string): Promise<{ verify: (...files: string[]) => Promise<{ code: number; status: string }>; dir: string; remove: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-gnupg-'));
  const imported = spawnSync('gpg', ['--homedir', dir, '--batch', '--import'], { input: publicKey, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`gpg --import failed: ${imported.stderr}`);
  return {
    dir,
    async verify(...files) {
      try {
        const { stdout } = await execFileAsync('gpg', ['--homedir', dir, '--batch', '--status-fd', '1', '--verify', ...files]);
        return { code: 0, status: stdout };
      } catch (error) {
        const failure = error as { code?: number; stdout?: string };
        return { code: failure.code ?? 1, status: failure.stdout ?? '' };
      }
    },
    remove: () => {
      spawnSync('gpgconf', ['--homedir', dir, '--kill', 'all']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function makeDkimKey(): { privateKey: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/**
 * Verifies a DKIM signature with dkimpy (Debian python3-dkim), the DNS
 * lookup answered with the test key. Returns dkimpy's verdict and the
 * signed header names.
 */
export function dkimVerify(message: Buffer, publicKeyBase64: string): { ok: boolean; signedHeaders: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-dkim-'));
  try {
    const file = path.join(dir, 'message.eml');
    writeFileSync(file, message);
    const script = [
      'import dkim, sys',
      'record = ("v=DKIM1; k=rsa; p=" + sys.argv[2]).encode()',
      'data = open(sys.argv[1], "rb").read()',
      'd = dkim.DKIM(data)',
      'ok = d.verify(dnsfunc=lambda name, timeout=5: record)',
      'print("ok" if ok else "bad")',
      'print(":".join(h[0].decode() for h in d.signed_headers))',
    ].join('\n');
    const result = spawnSync('/usr/bin/python3', ['-c', script, file, publicKeyBase64], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`dkimpy failed: ${result.stderr}`);
    const [verdict, headers] = result.stdout.trim().split('\n');
    return { ok: verdict === 'ok', signedHeaders: (headers ?? '').split(':').map((h) => h.toLowerCase()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why the DKIM judge is unavailable, or undefined when python3-dkim is installed. */
export function missingDkimpy(): string | undefined {
  const result = spawnSync('/usr/bin/python3', ['-c', 'import dkim'], { encoding: 'utf8' });
  if (result.status === 0) return undefined;
  const reason = 'needs Debian python3-dkim (dkimpy) to verify DKIM signatures';
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
}
