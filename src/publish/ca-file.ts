/**
 * `wiki.ca_file` and `mail.smtp.ca_file`: a PEM bundle of CA certificates
 * that the wiki's https, or the SMTP relay's TLS, is trusted by, besides
 * Node's own roots. It is read when a command talks to the server, not when
 * the config is loaded (a build needs neither, nor the CA), and refused at
 * the setting's line when it cannot be read or holds no certificate, before
 * any connection.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { settingPosition } from '../config/setting-position.ts';
import { HeraldError } from '../errors/message.ts';

/** The CA certificates a server's TLS connections trust. */
export interface TrustedCas {
  /** The `ca_file` setting as written in the config, for messages. */
  file: string;
  /** Node's bundled roots, then the file's certificates, each in PEM. */
  certificates: string[];
}

/** Where the config is, for a message at the setting's line. */
export interface CaFileContext {
  cwd: string;
  /** The config file as the user named it. */
  configFile: string;
}

/** The settings that name a CA file, and the server each one is for. */
const settings = { wiki: { path: ['wiki', 'ca_file'], server: 'the wiki' }, smtp: { path: ['mail', 'smtp', 'ca_file'], server: 'the SMTP server' } } as const;

export type CaFileSetting = keyof typeof settings;

const hintFor = (setting: CaFileSetting) =>
  `Set \`${settings[setting].path.join('.')}\` to the PEM file of the CA that signed ${settings[setting].server}\u2019s certificate (-----BEGIN CERTIFICATE----- blocks; a path relative to the working directory, or absolute), ` +
  'or remove the setting to trust Node\u2019s default CAs only. A DER file (.cer, .der) is converted with `openssl x509 -inform der -in ca.cer -out ca.pem`.';

const certificateBlock = /-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g;
const privateKeyBlock = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function invalid(setting: CaFileSetting, context: CaFileContext, text: string): HeraldError {
  const at = settingPosition(context.cwd, context.configFile, settings[setting].path);
  return new HeraldError([{ file: context.configFile, ...at, severity: 'error', ruleId: 'config-invalid', message: text, hint: hintFor(setting) }]);
}

/**
 * Reads a `ca_file` setting's file (resolved from the working directory, as
 * every path in the config) and returns the certificates to trust: Node's
 * roots and the file's. A missing or unreadable file, or one without a
 * readable certificate, is `config-invalid` at the setting.
 */
export function readCaFile(setting: CaFileSetting, file: string, context: CaFileContext): TrustedCas {
  const name = settings[setting].path.join('.');
  const resolved = path.resolve(context.cwd, file);
  let text: string;
  try {
    text = readFileSync(resolved, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${code ?? (error as Error).message})`;
    throw invalid(setting, context, `\`${name}\` names ${file} (${resolved}), but ${why}`);
  }
  const blocks = text.match(certificateBlock) ?? [];
  if (blocks.length === 0) {
    // A key in a file meant to be public is worth a word of its own.
    const what = privateKeyBlock.test(text) ? 'a private key and no certificate: give the CA\u2019s certificate, never a key' : 'no PEM certificate (no -----BEGIN CERTIFICATE----- block)';
    throw invalid(setting, context, `\`${name}\` ${file} holds ${what}`);
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw invalid(setting, context, `\`${name}\` ${file}: certificate ${index + 1} of ${blocks.length} cannot be read (${(error as Error).message})`);
    }
  });
  return { file, certificates: [...rootCertificates, ...blocks] };
}
