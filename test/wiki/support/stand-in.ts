/**
 * A stand-in for a MediaWiki action API on loopback, over http or https:
 * it answers the calls of a `wiki push --dry-run` (the extension tags, and
 * every page asked for as missing), sets a session cookie, and records each
 * request. Enough to test the transport (TLS, cookies, redirects) where a
 * real MediaWiki (mediawiki.test.ts) is too heavy or absent.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  params: Record<string, string>;
  cookie: string | undefined;
}

export interface StandInWiki {
  /** `http(s)://127.0.0.1:<port>/w/api.php` */
  apiUrl: string;
  requests: StandInRequest[];
  /** Answers the next request with this status and headers instead (e.g. a redirect). */
  override: { status: number; headers: Record<string, string> } | undefined;
  close(): Promise<void>;
}

function answer(params: Record<string, string>): unknown {
  if (params.meta === 'siteinfo') return { batchcomplete: true, query: { extensiontags: ['<pre>', '<nowiki>', '<syntaxhighlight>'] } };
  if (params.prop === 'revisions') {
    return { batchcomplete: true, curtimestamp: '2026-01-01T00:00:00Z', query: { pages: (params.titles ?? '').split('|').map((title) => ({ ns: 0, title, missing: true })) } };
  }
  return { error: { code: 'badvalue', info: 'The stand-in wiki answers only what a dry run asks.' } };
}

export async function startStandInWiki(tls?: { cert: Buffer; key: Buffer }): Promise<StandInWiki> {
  const wiki: StandInWiki = { apiUrl: '', requests: [], override: undefined, close: async () => {} };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      wiki.requests.push({ params, cookie: request.headers.cookie });
      const override = wiki.override;
      wiki.override = undefined;
      if (override) {
        response.writeHead(override.status, override.headers).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'standin_session=s3ss10n; path=/; HttpOnly' })
        .end(JSON.stringify(answer(params)));
    });
  };
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  wiki.apiUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/w/api.php`;
  wiki.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return wiki;
}
