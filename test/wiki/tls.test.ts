/**
 * A wiki served over https with a certificate Node cannot verify (a
 * private CA, self-signed) is said as such at once, with how to trust the
 * CA: no retries as for a network error, never verification turned off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { MediaWikiApi } from '../../src/publish/wiki/api.ts';
import { makeCertificate } from '../mail/support/smtp.ts';
import { missingTools } from '../support/system.ts';

const reason = missingTools('openssl');

describe.skipIf(!!reason)('a wiki whose TLS certificate does not verify', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-wiki-tls-'));
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const certificate = makeCertificate(dir);
    server = createServer({ cert: certificate.cert, key: certificate.key }, (_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/w/api.php`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is wiki-certificate at the first attempt, naming the code and NODE_EXTRA_CA_CERTS', async () => {
    const waits: number[] = [];
    const api = new MediaWikiApi({ url, maxlag: 5, retries: 5, sleep: async (ms) => void waits.push(ms) });
    const error = await api.call({ action: 'query', meta: 'siteinfo' }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({
      ruleId: 'wiki-certificate',
      message: `The wiki at ${url} presented a TLS certificate that cannot be verified (DEPTH_ZERO_SELF_SIGNED_CERT)`,
      hint: expect.stringContaining('NODE_EXTRA_CA_CERTS'),
    });
    expect(waits).toEqual([]);
  });
});
