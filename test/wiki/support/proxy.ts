/**
 * A loopback HTTP proxy in front of the test wiki that fails requests on
 * purpose (an HTTP 503, a maxlag refusal, a dropped connection, an HTML
 * page, an answer a byte at a time, cut half way or without end, an error for every request), then
 * passes everything through unchanged. `before` sees each request's form
 * (e.g. to change the wiki between herald's read and its write) and may
 * answer it with a fault instead. With `stripCookies`, it passes requests
 * and answers without their cookies, as a proxy that drops them would.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * - `503`, `maxlag`, `drop`: what a busy wiki or network does.
 * - `429`: Too Many Requests, with the proxy's `retryAfter` as Retry-After (delay-seconds, or an HTTP-date
 *   `retryAfter` ms after the answer's Date header with `retryAfterAsDate`).
 * - `lose-answer`: the request goes to the wiki, which acts on it, and its answer is lost (the connection to herald closed).
 * - `html`: a 200 with a login wall's HTML page instead of JSON.
 * - `trickle`: a 200 whose JSON comes a byte every 50 ms, for ever.
 * - `silent`: no answer at all, the connection held open.
 * - `cut`: a 200 whose JSON stops half way, the connection closed.
 * - `huge`: a 200 whose JSON goes on, a MiB at a time, until herald hangs up.
 * - `huge-declared`: a 200 whose Content-Length says 10 GiB.
 * - `error`: a 200 with `{"error": …}`, as a wiki broken behind its API answers every request.
 */
export type Fault = '429' | 'lose-answer' | '503' | 'maxlag' | 'drop' | 'html' | 'trickle' | 'silent' | 'cut' | 'huge' | 'huge-declared' | 'error';

export interface ProxiedRequest {
  params: URLSearchParams;
}

export interface FaultyProxy {
  url: string;
  /** Faults still to inject, in order. */
  faults: Fault[];
  /** Requests seen, faulty ones included. */
  requests: number;
  /** The form of every request seen, in order. */
  forms: URLSearchParams[];
  /** Called with each request's form before it is answered; a fault it returns answers that request. */
  before: ((params: URLSearchParams) => Fault | undefined | Promise<Fault | undefined>) | undefined;
  /** Drops the Cookie header of requests and the Set-Cookie header of answers. */
  stripCookies: boolean;
  /** The Retry-After of a `429` (seconds; 1 unless set). */
  retryAfter: string;
  /** Sends `retryAfter` as an HTTP-date that many seconds after the answer's own Date header. */
  retryAfterAsDate: boolean;
  close(): Promise<void>;
}

/** The Retry-After header of a 429 (and the Date header it counts from, when an HTTP-date). */
function retryAfterHeaders(proxy: Pick<FaultyProxy, 'retryAfter' | 'retryAfterAsDate'>): Record<string, string> {
  if (!proxy.retryAfterAsDate) return { 'retry-after': proxy.retryAfter };
  const now = Date.now();
  return { date: new Date(now).toUTCString(), 'retry-after': new Date(now + Number(proxy.retryAfter) * 1000).toUTCString() };
}

function inject(fault: Fault, res: ServerResponse, retryAfter: Record<string, string>): void {
  if (fault === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (fault === '429') {
    res.writeHead(429, { ...retryAfter, 'content-type': 'text/plain' }).end('Too Many Requests');
    return;
  }
  if (fault === '503') {
    res.writeHead(503, { 'retry-after': '0', 'content-type': 'text/plain' }).end('Service Unavailable');
    return;
  }
  if (fault === 'html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html><head><title>Sign in - Corporate SSO</title></head><body><form action="/login">…</form></body></html>\n');
    return;
  }
  if (fault === 'trickle') {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
    res.write('{"batchcomplete":true');
    return;
  }
  if (fault === 'silent') return;
  if (fault === 'cut') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"batchcomplete":true,"query":{', () => res.socket?.destroy());
    return;
  }
  if (fault === 'huge') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"batchcomplete":true,"padding":"');
    const more = () => {
      while (!res.destroyed && res.write(' '.repeat(2 ** 20)));
    };
    res.on('drain', more);
    more();
    return;
  }
  if (fault === 'huge-declared') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 2 ** 30) });
    res.write('{"batchcomplete":true,"padding":"');
    return;
  }
  if (fault === 'error') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal_api_error_DBConnectionError', info: '[a1b2c3] Exception caught: Cannot access the database' } }));
    return;
  }
  res
    .writeHead(200, { 'retry-after': '0', 'content-type': 'application/json', 'x-database-lag': '7' })
    .end(JSON.stringify({ error: { code: 'maxlag', info: 'Waiting for 127.0.0.1: 7 seconds lagged.', lag: 7 } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultyProxy(target: string, faults: Fault[]): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const proxy: FaultyProxy = { url: '', faults: [...faults], requests: 0, forms: [], before: undefined, stripCookies: false, retryAfter: '1', retryAfterAsDate: false, close: async () => {} };
  const server = createServer(async (req, res) => {
    proxy.requests += 1;
    const body = await readBody(req);
    const params = new URLSearchParams(body.toString('utf8'));
    proxy.forms.push(params);
    const fault = proxy.faults.shift() ?? (await proxy.before?.(params));
    if (fault && fault !== 'lose-answer') return inject(fault, res, retryAfterHeaders(proxy));
    const headers = { ...req.headers, host: upstream.host };
    if (proxy.stripCookies) delete headers.cookie;
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
      (answer) => {
        if (fault === 'lose-answer') {
          answer.resume().on('end', () => res.socket?.destroy());
          return;
        }
        const answerHeaders = { ...answer.headers };
        if (proxy.stripCookies) delete answerHeaders['set-cookie'];
        res.writeHead(answer.statusCode ?? 502, answerHeaders);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.socket?.destroy());
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const path = upstream.pathname;
  proxy.url = `http://127.0.0.1:${port}${path}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
