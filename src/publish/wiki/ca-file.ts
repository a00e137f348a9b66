/**
 * `wiki.ca_file`: a PEM bundle of CA certificates that the wiki's https is
 * trusted by, besides Node's own roots. It is read when a command talks to
 * the wiki, not when the config is loaded (a build needs no wiki, nor the
 * CA), and refused at the setting's line when it cannot be read or holds no
 * certificate, before any request.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { settingPosition } from '../../config/setting-position.ts';
import { HeraldError } from '../../errors/message.ts';

/** The CA certificates a wiki's TLS connections trust. */
export interface WikiTrust {
  /** `wiki.ca_file` as written in the config, for messages. */
  file: string;
  /** Node's bundled roots, then the file's certificates, each in PEM. */
  certificates: string[];
}

/** Where the config is, for a message at `wiki.ca_file`'s line. */
export interface CaFileContext {
  cwd: string;
  /** The config file as the user named it. */
  configFile: string;
}

const hint =
  'Set `wiki.ca_file` to the PEM file of the CA that signed the wiki\u2019s certificate (-----BEGIN CERTIFICATE----- blocks; a path relative to the working directory, or absolute), ' +
  'or remove the setting to trust Node\u2019s default CAs only. A DER file (.cer, .der) is converted with `openssl x509 -inform der -in ca.cer -out ca.pem`.';

const certificateBlock = /-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g;
const privateKeyBlock = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function invalid(context: CaFileContext, text: string): HeraldError {
  const at = settingPosition(context.cwd, context.configFile, ['wiki', 'ca_file']);
  return new HeraldError([{ file: context.configFile, ...at, severity: 'error', ruleId: 'config-invalid', message: text, hint }]);
}

/**
 * Reads `wiki.ca_file` (resolved from the working directory, as every path
 * in the config) and returns the certificates to trust: Node's roots and
 * the file's. A missing or unreadable file, or one without a readable
 * certificate, is `config-invalid` at the setting.
 */
export async function readWikiTrust(file: string, context: CaFileContext): Promise<WikiTrust> {
  const resolved = path.resolve(context.cwd, file);
  let text: string;
  try {
    text = await readFile(resolved, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${code ?? (error as Error).message})`;
    throw invalid(context, `\`wiki.ca_file\` names ${file} (${resolved}), but ${why}`);
  }
  const blocks = text.match(certificateBlock) ?? [];
  if (blocks.length === 0) {
    // A key in a file meant to be public is worth a word of its own.
    const what = privateKeyBlock.test(text) ? 'a private key and no certificate: give the CA\u2019s certificate, never a key' : 'no PEM certificate (no -----BEGIN CERTIFICATE----- block)';
    throw invalid(context, `\`wiki.ca_file\` ${file} holds ${what}`);
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw invalid(context, `\`wiki.ca_file\` ${file}: certificate ${index + 1} of ${blocks.length} cannot be read (${(error as Error).message})`);
    }
  });
  return { file, certificates: [...rootCertificates, ...blocks] };
}
