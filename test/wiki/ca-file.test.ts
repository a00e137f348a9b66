/**
 * `wiki.ca_file` is checked before herald talks to the wiki: a file that is
 * missing, unreadable, a folder, or holds no readable certificate is
 * `config-invalid` at the setting's line, with a hint; a good one adds its
 * certificates to Node's roots. No TLS here (tls.test.ts has the server).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { HeraldError, type HeraldMessage } from '../../src/errors/message.ts';
import { readCaFile } from '../../src/publish/ca-file.ts';
import { pushToWiki } from '../../src/publish/wiki/push.ts';
import { runHerald } from './support/cli.ts';
import { fixedNow } from './support/notes.ts';
import { startStandInWiki, type StandInWiki } from './support/stand-in.ts';

/** A config whose `ca_file` is on line 4, column 3. */
const configText = (apiUrl: string, caFile: string) => `# wiki settings\nwiki:\n  api_url: ${apiUrl}\n  ca_file: ${caFile}\n  code: pre\n`;

const aCertificate = rootCertificates[0]!;

describe('wiki.ca_file', () => {
  let dir = '';
  let wiki: StandInWiki;

  /** What `wiki push --dry-run` says with this `ca_file`; the stand-in wiki must see no request. */
  async function refusal(caFile: string): Promise<HeraldMessage> {
    await writeFile(path.join(dir, 'herald.config.yaml'), configText(wiki.apiUrl, caFile));
    const config = await loadConfig(dir);
    const error = await pushToWiki({ config, pages: [], dryRun: true, cwd: dir, now: fixedNow }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeraldError);
    expect(wiki.requests).toEqual([]);
    const [message] = (error as HeraldError).messages;
    expect(message).toMatchObject({ file: 'herald.config.yaml', line: 4, column: 3, severity: 'error', ruleId: 'config-invalid', hint: expect.stringContaining('Set `wiki.ca_file` to the PEM file of the CA') });
    return message!;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-ca-file-'));
    // Plain http: ca_file is checked whatever the URL, before any request.
    wiki = await startStandInWiki();
  });
  afterAll(async () => {
    await wiki?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a file that does not exist, naming where it was looked for', async () => {
    expect((await refusal('certs/wiki-ca.pem')).message).toBe(`\`wiki.ca_file\` names certs/wiki-ca.pem (${path.join(dir, 'certs/wiki-ca.pem')}), but there is no such file`);
  });

  it('refuses a folder', async () => {
    await mkdir(path.join(dir, 'certs'), { recursive: true });
    expect((await refusal('certs')).message).toMatch(/, but it is a folder$/);
  });

  it('refuses a file it cannot read, naming the reason', async () => {
    // A link to itself cannot be read by anyone, root too (a locked file would not stop root).
    await symlink('loop.pem', path.join(dir, 'loop.pem'));
    expect((await refusal('loop.pem')).message).toMatch(/, but it cannot be read \(ELOOP\)$/);
  });

  it('refuses a file without a PEM certificate', async () => {
    await writeFile(path.join(dir, 'empty.pem'), 'not a certificate\n');
    expect((await refusal('empty.pem')).message).toBe('`wiki.ca_file` empty.pem holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)');
    // DER is binary: no PEM block either, and the hint says how to convert it.
    await writeFile(path.join(dir, 'ca.der'), Buffer.from([0x30, 0x82, 0x03, 0x0b, 0x30, 0x82, 0x01, 0xf3]));
    expect((await refusal('ca.der')).hint).toContain('openssl x509 -inform der');
  });

  it('refuses a private key in place of a certificate, and never shows the key', async () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n';
    await writeFile(path.join(dir, 'key.pem'), key);
    const message = await refusal('key.pem');
    expect(message.message).toBe('`wiki.ca_file` key.pem holds a private key and no certificate: give the CA\u2019s certificate, never a key');
    expect(JSON.stringify(message)).not.toContain('MC4CAQ');
  });

  it('refuses a certificate block that is not a certificate, saying which', async () => {
    await writeFile(path.join(dir, 'broken.pem'), `${aCertificate}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
    expect((await refusal('broken.pem')).message).toMatch(/^`wiki\.ca_file` broken\.pem: certificate 2 of 2 cannot be read \(/);
  });

  it('adds the file\u2019s certificates to Node\u2019s roots, relative to the working directory', async () => {
    await writeFile(path.join(dir, 'good.pem'), `Subject: a comment before the block\n${aCertificate}\n`);
    const trust = readCaFile('wiki', 'good.pem', { cwd: dir, configFile: 'herald.config.yaml' });
    expect(trust.file).toBe('good.pem');
    expect(trust.certificates).toEqual([...rootCertificates, aCertificate]);
  });

  it('is printed at the setting\u2019s line by `herald wiki push`', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'herald-wiki-ca-file-cli-'));
    try {
      await writeFile(path.join(work, 'herald.config.yaml'), configText(wiki.apiUrl, 'missing.pem'));
      await mkdir(path.join(work, 'notes'));
      const run = await runHerald(['wiki', 'push', '--dry-run'], { cwd: work, env: {}, now: fixedNow });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`herald.config.yaml:4:3  error  config-invalid  \`wiki.ca_file\` names missing.pem (${path.join(work, 'missing.pem')}), but there is no such file\n    hint: Set \`wiki.ca_file\``);
      expect(wiki.requests).toEqual([]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
