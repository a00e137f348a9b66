/**
 * A loopback HTTP proxy in front of the test wiki that fails the first
 * requests on purpose (an HTTP 503, a maxlag refusal, a dropped
 * connection), then passes everything through unchanged.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export type Fault = '503' | 'maxlag' | 'drop';

export interface FaultyProxy {
  url: string;
  /** Faults still to inject, in order. */
  faults: Fault[];
  /** Requests seen, faulty ones included. */
  requests: number;
  close(): Promise<void>;
}

function inject(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  if (fault === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (fault === '503') {
    res.writeHead(503, { 'retry-after': '0', 'content-type': 'text/plain' }).end('Service Unavailable');
    return;
  }
  res
    .writeHead(200, { 'retry-after': '0', 'content-type': 'application/json', 'x-database-lag': '7' })
    .end(JSON.stringify({ error: { code: 'maxlag', info: 'Waiting for 127.0.0.1: 7 seconds lagged.', lag: 7 } }));
}

export async function startFaultyProxy(target: string, faults: Fault[]): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const proxy: FaultyProxy = { url: '', faults: [...faults], requests: 0, close: async () => {} };
  const server = createServer((req, res) => {
    proxy.requests += 1;
    const fault = proxy.faults.shift();
    if (fault) return inject(fault, req, res);
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.socket?.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const path = upstream.pathname;
  proxy.url = `http://127.0.0.1:${port}${path}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}
