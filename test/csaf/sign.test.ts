import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { HeraldError } from '../../src/errors/message.ts';
import { csafSigningStep, loadCsafSigningKey, signCsafTree, type CsafSigningKey } from '../../src/publish/csaf/sign.ts';
import { renderer } from '../../src/render/csaf/index.ts';
import { missingTools } from '../support/system.ts';
import { fixtureNotes, loadAdvisories, renderContext } from '../osv/notes.ts';
import { aggregates } from '../support/render.ts';

const csafDir = 'site/.well-known/csaf';
const signedAt = new Date('2016-03-02T10:00:00Z');

let work: string;
let armoredPrivate: string;
let armoredPublic: string;

async function writeBuild(out: string): Promise<void> {
  const advisories = await loadAdvisories([fixtureNotes]);
  const context = renderContext(advisories);
  const files = [...advisories.flatMap((a) => renderer.renderNote!(a, context)), ...aggregates(renderer, advisories, context)];
  for (const file of files) {
    await mkdir(path.dirname(path.join(out, file.path)), { recursive: true });
    await writeFile(path.join(out, file.path), file.contents);
  }
}

function configWith(csaf: Partial<Config['csaf']>): Config {
  const config = defaultConfig();
  Object.assign(config.csaf, csaf);
  return config;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'herald-csaf-sign-'));
  // A v4 EdDSA key, the kind gpg 2.2 (Debian 12) verifies; openpgp's default v6 keys are newer than it.
  const key = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Example Security Team', email: 'security@example.org' }], format: 'armored', date: new Date('2016-01-01T00:00:00Z') });
  armoredPrivate = key.privateKey;
  armoredPublic = key.publicKey;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('signing the CSAF provider directory', () => {
  let out: string;
  let signing: CsafSigningKey;

  beforeAll(async () => {
    out = path.join(work, 'dist');
    await writeBuild(out);
    signing = (await loadCsafSigningKey(configWith({ signing_key_env: 'CSAF_KEY' }), { cwd: work, env: { CSAF_KEY: armoredPrivate }, configFile: 'herald.config.yaml' }))!;
    const step = csafSigningStep(signing, { config: defaultConfig(), date: signedAt });
    const lines: string[] = [];
    await step.run(out, { log: (line) => lines.push(line) });
    expect(lines).toEqual([`herald: signed 5 CSAF documents with key ${signing.fingerprint}`]);
  });

  it('writes a detached signature beside every document that openpgp verifies', async () => {
    const publicKey = await openpgp.readKey({ armoredKey: armoredPublic });
    for (const document of ['2014/ossn-0901.json', '2015/ossn-0902.json', '2016/ossn-0904.json', 'provider-metadata.json']) {
      const file = path.join(out, csafDir, document);
      const signature = await openpgp.readSignature({ armoredSignature: await readFile(`${file}.asc`, 'utf8') });
      const message = await openpgp.createMessage({ binary: await readFile(file) });
      const { signatures } = await openpgp.verify({ message, signature, verificationKeys: publicKey });
      await expect(signatures[0]!.verified).resolves.toBe(true);
    }
  });

  it('publishes the public key and names it in provider-metadata.json', async () => {
    const metadata = JSON.parse(await readFile(path.join(out, csafDir, 'provider-metadata.json'), 'utf8'));
    expect(metadata.role).toBe('csaf_trusted_provider');
    expect(metadata.public_openpgp_keys).toEqual([{ fingerprint: signing.fingerprint, url: `https://security.example.org/.well-known/csaf/openpgp/${signing.fingerprint}.asc` }]);
    const published = await openpgp.readKey({ armoredKey: await readFile(path.join(out, csafDir, 'openpgp', `${signing.fingerprint}.asc`), 'utf8') });
    expect(published.isPrivate()).toBe(false);
    expect(published.getFingerprint().toUpperCase()).toBe(signing.fingerprint);
  });

  it('is reproducible: signing the same build again gives the same bytes', async () => {
    const again = path.join(work, 'again');
    await writeBuild(again);
    await signCsafTree(again, signing, { config: defaultConfig(), date: signedAt });
    const name = path.join(csafDir, '2014/ossn-0901.json.asc');
    expect(await readFile(path.join(again, name), 'utf8')).toBe(await readFile(path.join(out, name), 'utf8'));
  });

  const gpgReason = missingTools('gpg');
  it.skipIf(!!gpgReason)(`gpg verifies the signatures${gpgReason ? ` (${gpgReason})` : ''}`, async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'herald-gnupg-'));
    try {
      const keyFile = path.join(home, 'key.asc');
      await writeFile(keyFile, armoredPublic);
      const env = { ...process.env, GNUPGHOME: home };
      expect(spawnSync('gpg', ['--batch', '--import', keyFile], { env, encoding: 'utf8' }).status).toBe(0);
      const document = path.join(out, csafDir, '2014/ossn-0901.json');
      const verify = spawnSync('gpg', ['--batch', '--verify', `${document}.asc`, document], { env, encoding: 'utf8' });
      expect(verify.stderr).toContain('Good signature');
      expect(verify.status).toBe(0);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('reading the CSAF signing key', () => {
  const context = (env: NodeJS.ProcessEnv = {}) => ({ cwd: work, env, configFile: 'herald.config.yaml' });

  it('is not needed when none is configured', async () => {
    expect(await loadCsafSigningKey(defaultConfig(), context())).toBeUndefined();
  });

  it('reads a key file and unlocks it with the passphrase from the environment', async () => {
    const locked = await openpgp.encryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: armoredPrivate }), passphrase: 'correct horse' });
    await writeFile(path.join(work, 'locked.asc'), locked.armor());
    const config = configWith({ signing_key_file: 'locked.asc', signing_passphrase_env: 'CSAF_PASS' });
    const key = await loadCsafSigningKey(config, context({ CSAF_PASS: 'correct horse' }));
    expect(key!.key.isDecrypted()).toBe(true);
    const wrong = loadCsafSigningKey(config, context({ CSAF_PASS: 'wrong' }));
    await expect(wrong).rejects.toBeInstanceOf(HeraldError);
    await expect(wrong).rejects.toThrow(/does not unlock/);
  });

  it('says which variable is missing, and never prints the key', async () => {
    const error = await loadCsafSigningKey(configWith({ signing_key_env: 'CSAF_KEY' }), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'csaf-key-unavailable', message: 'The environment variable CSAF_KEY (the CSAF signing key) is not set' });
    const garbage = await loadCsafSigningKey(configWith({ signing_key_env: 'CSAF_KEY' }), context({ CSAF_KEY: 'not a key secret-material' })).catch((e: unknown) => e);
    expect((garbage as HeraldError).message).not.toContain('secret-material');
  });
});
