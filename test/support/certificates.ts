/**
 * Throwaway certificates made with openssl for TLS tests: a private CA and
 * a server certificate it signs for 127.0.0.1 and localhost. Callers check
 * `missingTools('openssl')` first.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CertificateAuthority {
  /** The CA's certificate (PEM), what a client is told to trust. */
  certFile: string;
  keyFile: string;
}

export interface ServerCertificate {
  cert: Buffer;
  key: Buffer;
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** A CA certificate and key in `dir`, named `<name>-ca.pem` and `<name>-ca-key.pem`. */
export function makeCertificateAuthority(dir: string, name: string): CertificateAuthority {
  const certFile = path.join(dir, `${name}-ca.pem`);
  const keyFile = path.join(dir, `${name}-ca-key.pem`);
  openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=herald test CA ${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', keyFile, '-out', certFile,
  ]);
  return { certFile, keyFile };
}

/** A server certificate for 127.0.0.1 and localhost, signed by `ca`. */
export function issueServerCertificate(ca: CertificateAuthority, dir: string, name: string): ServerCertificate {
  const keyFile = path.join(dir, `${name}-key.pem`);
  const requestFile = path.join(dir, `${name}.csr`);
  const certFile = path.join(dir, `${name}.pem`);
  const extensionsFile = path.join(dir, `${name}.ext`);
  writeFileSync(extensionsFile, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', keyFile, '-out', requestFile]);
  openssl(['x509', '-req', '-in', requestFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-days', '1', '-extfile', extensionsFile, '-out', certFile]);
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
