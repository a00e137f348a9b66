/**
 * A wiki served over https with a certificate Node cannot verify (a
 * private CA, self-signed) is said as such at once, with how to trust the
 * CA: no retries as for a network error, never verification turned off.
 * `wiki.ca_file` trusts a private CA for the wiki alone: a real https
 * server on loopback, its certificate signed by a CA made for the test,
 * answers a dry run once its CA is named, and nothing else in the process
 * trusts that CA.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectForBuild } from '../../src/build/select.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { HeraldError } from '../../src/errors/message.ts';
import { MediaWikiApi } from '../../src/publish/wiki/api.ts';
import { advisoryPage, pushToWiki, type AdvisoryPage } from '../../src/publish/wiki/push.ts';
import { makeCertificate } from '../mail/support/smtp.ts';
import { issueServerCertificate, makeCertificateAuthority, type CertificateAuthority } from '../support/certificates.ts';
import { missingTools } from '../support/system.ts';
import { runHerald } from './support/cli.ts';
import { bundledAdvisories, fixedNow, repoConfig, repoRoot } from './support/notes.ts';
import { startStandInWiki, type StandInWiki } from './support/stand-in.ts';

const reason = missingTools('openssl');

/** What a failed call threw. */
async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (caught: unknown) => caught);
}

describe.skipIf(!!reason)(`a wiki whose TLS certificate does not verify${reason ? ` (${reason})` : ''}`, () => {
  let dir = '';
  let server: Server;
  let url = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-tls-'));
    const certificate = makeCertificate(dir);
    server = createServer({ cert: certificate.cert, key: certificate.key }, (_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/w/api.php`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('is wiki-certificate at the first attempt, naming the code and how to trust a private CA', async () => {
    const waits: number[] = [];
    const api = new MediaWikiApi({ url, maxlag: 5, retries: 5, sleep: async (ms) => void waits.push(ms) });
    const error = await thrown(api.call({ action: 'query', meta: 'siteinfo' }));
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({
      ruleId: 'wiki-certificate',
      message: `The wiki at ${url} presented a TLS certificate that cannot be verified (DEPTH_ZERO_SELF_SIGNED_CERT)`,
      hint: expect.stringMatching(/`wiki\.ca_file`.*NODE_EXTRA_CA_CERTS/),
    });
    expect(waits).toEqual([]);
  });
});

describe.skipIf(!!reason)(`wiki.ca_file: a wiki on a private CA${reason ? ` (${reason})` : ''}`, () => {
  let dir = '';
  let wiki: StandInWiki;
  let privateCa: CertificateAuthority;
  let page: AdvisoryPage;
  let base: Config;

  /** The config in `dir` with the stand-in wiki and these settings, as loaded from the file. */
  async function configWith(wikiSettings: string): Promise<Config> {
    await writeFile(path.join(dir, 'herald.config.yaml'), `wiki:\n  api_url: ${wiki.apiUrl}\n  code: syntaxhighlight\n${wikiSettings}`);
    return loadConfig(dir);
  }

  const dryRun = (config: Config, waits: number[] = []) =>
    pushToWiki({ config, pages: [page], dryRun: true, cwd: dir, now: fixedNow, sleep: async (ms) => void waits.push(ms) });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-ca-'));
    privateCa = makeCertificateAuthority(dir, 'private');
    makeCertificateAuthority(dir, 'other');
    wiki = await startStandInWiki(issueServerCertificate(privateCa, dir, 'wiki'));
    base = await repoConfig();
    page = advisoryPage(selectForBuild(await bundledAdvisories(base), fixedNow, false)[0]!, base, fixedNow);
  });
  afterAll(async () => {
    await wiki?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('without it, the wiki\u2019s certificate does not verify: wiki-certificate, naming the setting, not retried', async () => {
    const waits: number[] = [];
    const error = await thrown(dryRun(await configWith(''), waits));
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({
      ruleId: 'wiki-certificate',
      message: `The wiki at ${wiki.apiUrl} presented a TLS certificate that cannot be verified (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      hint: expect.stringContaining('`wiki.ca_file`'),
    });
    expect(waits).toEqual([]);
    expect(wiki.requests).toEqual([]);
  });

  it('with the CA that signed it, the push talks to the wiki (a path relative to the working directory)', async () => {
    wiki.requests.length = 0;
    const report = await dryRun(await configWith('  ca_file: private-ca.pem\n'));
    expect(report.pages).toEqual([{ page: expect.stringMatching(/^OSSN\//), advisory: page.advisory.id, action: 'created' }]);
    expect(wiki.requests.map((request) => request.params.meta ?? request.params.prop)).toEqual(['siteinfo', 'revisions']);
    // One wiki, one session: the cookie the first answer set goes back with the next request.
    expect(wiki.requests[1]!.cookie).toBe('standin_session=s3ss10n');
  });

  it('trusts the CA for the wiki alone: nothing else in the process does', async () => {
    const error = (await thrown(fetch(wiki.apiUrl, { method: 'POST' }))) as { cause?: { code?: string } };
    expect(error?.cause?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('with another CA, the certificate still does not verify, and the message names the file', async () => {
    const error = await thrown(dryRun(await configWith('  ca_file: other-ca.pem\n')));
    expect((error as HeraldError).messages[0]).toMatchObject({
      ruleId: 'wiki-certificate',
      message: expect.stringContaining('(UNABLE_TO_VERIFY_LEAF_SIGNATURE), neither by Node\u2019s CAs nor by those in other-ca.pem (wiki.ca_file)'),
    });
  });

  it('is read from a bundle of several certificates, as `herald wiki push` runs it', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'herald-wiki-ca-cli-'));
    try {
      await cp(path.join(repoRoot, 'notes'), path.join(work, 'notes'), { recursive: true });
      await writeFile(path.join(work, 'bundle.pem'), `${await readFile(path.join(dir, 'other-ca.pem'), 'utf8')}${await readFile(privateCa.certFile, 'utf8')}`);
      const config = await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8');
      await writeFile(path.join(work, 'herald.config.yaml'), config.replace(/^wiki:\n/m, `wiki:\n  api_url: ${wiki.apiUrl}\n  ca_file: bundle.pem\n`));
      const run = await runHerald(['wiki', 'push', '--dry-run', 'OSSN-0002'], { cwd: work, env: {}, now: fixedNow });
      expect(run.stderr).not.toContain('wiki-certificate');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('would create  OSSN/OSSN-0002');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
