/**
 * Signs the CSAF provider directory of a build (CSAF 2.0, requirements 19
 * and 20): a detached armored signature `<file>.asc` beside every document,
 * the public key under `openpgp/`, and the provider metadata updated to
 * name the key and the `csaf_trusted_provider` role. Renderers stay pure;
 * this runs over the written tree, after the build and before the swap.
 *
 * Signatures are reproducible: the signature time is injected and
 * openpgp.js's random salt notation is off (EdDSA is deterministic).
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as openpgp from 'openpgp';
import type { Config } from '../../config/schema.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { settingPosition } from '../../config/setting-position.ts';
import { csafRoot, csafSitePath } from '../../render/csaf/layout.ts';
import { absoluteUrl } from '../../render/site/urls.ts';
import type { PostBuildStep } from '../../build/post-build.ts';

const signingConfig = { nonDeterministicSignaturesViaNotation: false } as const;

export interface CsafSigningKey {
  key: openpgp.PrivateKey;
  /** Upper-case hex fingerprint, as provider-metadata.json wants it. */
  fingerprint: string;
}

interface KeyContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The config file, for messages. */
  configFile: string;
}

/** `csaf-key-unavailable`, at the `csaf` setting `key` that names the key or its passphrase. */
function unavailable(context: KeyContext, key: string, text: string): HeraldError {
  const info = ruleInfo('csaf-key-unavailable');
  const at = settingPosition(context.cwd, context.configFile, ['csaf', key]);
  return new HeraldError([{ file: context.configFile, ...at, severity: info.severity, ruleId: 'csaf-key-unavailable', message: text, hint: info.hint }]);
}

async function readArmoredKey(config: Config, context: KeyContext): Promise<string | undefined> {
  const { signing_key_env: env, signing_key_file: file } = config.csaf;
  if (env !== undefined) {
    const value = context.env[env];
    if (!value) throw unavailable(context, 'signing_key_env', `The environment variable ${env} (the CSAF signing key) is not set`);
    return value;
  }
  if (file === undefined) return undefined;
  try {
    return await readFile(path.resolve(context.cwd, file), 'utf8');
  } catch (error) {
    // Name the path and the reason, never the contents.
    throw unavailable(context, 'signing_key_file', `Cannot read the CSAF signing key from ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The configured signing key, unlocked; `undefined` when none is configured. */
export async function loadCsafSigningKey(config: Config, context: KeyContext): Promise<CsafSigningKey | undefined> {
  const armored = await readArmoredKey(config, context);
  if (armored === undefined) return undefined;
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (error) {
    throw unavailable(context, config.csaf.signing_key_env !== undefined ? 'signing_key_env' : 'signing_key_file', `The CSAF signing key is not an armored OpenPGP secret key: ${(error as Error).message}`);
  }
  if (!key.isDecrypted()) {
    const variable = config.csaf.signing_passphrase_env;
    const passphrase = variable ? context.env[variable] : undefined;
    if (!passphrase) throw unavailable(context, 'signing_passphrase_env', variable ? `The environment variable ${variable} (the CSAF key passphrase) is not set` : 'The CSAF signing key has a passphrase: name its environment variable in `signing_passphrase_env`');
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw unavailable(context, 'signing_passphrase_env', `The passphrase in ${variable} does not unlock the CSAF signing key`);
    }
  }
  return { key, fingerprint: key.getFingerprint().toUpperCase() };
}

async function documentsUnder(dir: string): Promise<string[]> {
  const years = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && /^\d{4}$/.test(e.name));
  const files: string[] = [];
  for (const year of years) {
    for (const name of await readdir(path.join(dir, year.name))) if (name.endsWith('.json')) files.push(path.join(dir, year.name, name));
  }
  return files.sort();
}

async function detachedSignature(bytes: Uint8Array, signing: CsafSigningKey, date: Date): Promise<string> {
  const message = await openpgp.createMessage({ binary: bytes });
  const armored = await openpgp.sign({ message, signingKeys: signing.key, date, detached: true, format: 'armored', config: signingConfig });
  return armored.endsWith('\n') ? armored : `${armored}\n`;
}

/**
 * Signs every document of the CSAF directory under `outputRoot` (the
 * build's output folder), at time `date`. Returns the number of documents
 * signed; a build without CSAF output is left alone.
 */
export async function signCsafTree(outputRoot: string, signing: CsafSigningKey, options: { config: Config; date: Date }): Promise<number> {
  const dir = path.join(outputRoot, csafRoot);
  let documents: string[];
  try {
    documents = await documentsUnder(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  for (const file of documents) await writeFile(`${file}.asc`, await detachedSignature(await readFile(file), signing, options.date));

  const keyPath = `openpgp/${signing.fingerprint}.asc`;
  await mkdir(path.join(dir, 'openpgp'), { recursive: true });
  await writeFile(path.join(dir, keyPath), signing.key.toPublic().armor());
  const metadataFile = path.join(dir, 'provider-metadata.json');
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  metadata.public_openpgp_keys = [{ fingerprint: signing.fingerprint, url: absoluteUrl(options.config, `${csafSitePath}${keyPath}`) }];
  metadata.role = 'csaf_trusted_provider';
  const text = `${JSON.stringify(metadata, null, 2)}\n`;
  await writeFile(metadataFile, text);
  await writeFile(`${metadataFile}.asc`, await detachedSignature(Buffer.from(text), signing, options.date));
  return documents.length;
}

/** The signing as a post-build step (src/build/post-build.ts), for a build configured with a key. */
export function csafSigningStep(signing: CsafSigningKey, options: { config: Config; date: Date }): PostBuildStep {
  return {
    name: 'csaf-sign',
    async run(stagingDir, { log }) {
      const count = await signCsafTree(stagingDir, signing, options);
      if (count > 0) log(`herald: signed ${count} CSAF documents with key ${signing.fingerprint}`);
    },
  };
}
