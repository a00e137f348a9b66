/**
 * A small static file server for the built site, for authors on their own
 * machine: GET and HEAD only, files under the site folder only, the site's
 * security headers on every response, `404.html` for unknown paths.
 *
 * It answers only requests addressed to the host it listens on (or
 * `localhost`): a web page elsewhere cannot use DNS rebinding to read a
 * private preview through the author's browser.
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { securityHeaders } from '../render/site/headers.ts';

export interface StaticServerOptions {
  /** The built site, e.g. `dist/site`. */
  root: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The path the site lives under (from `site.base_url`), e.g. `/` or `/security/`. */
  basePath: string;
  /**
   * Requests the server handles before looking at files (the live-reload
   * endpoints); returns true when it answered.
   */
  intercept?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /** Markup inserted before `</head>` of every HTML page served (the live-reload script tag). */
  injectIntoHead?: string;
}

export interface RunningServer {
  /** `http://127.0.0.1:4173/` (with the base path). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wiki': 'text/plain; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8',
  '.yml': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
  '.sha256': 'text/plain; charset=utf-8',
  '.sha512': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.eml': 'message/rfc822',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

/** Feeds get their own types, so feed readers (and browsers) know them. */
const namedTypes: Record<string, string> = {
  'feed.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
  'security.txt': 'text/plain; charset=utf-8',
  _headers: 'text/plain; charset=utf-8',
  _redirects: 'text/plain; charset=utf-8',
};

function contentTypeOf(file: string): string {
  const name = path.basename(file);
  return namedTypes[name] ?? contentTypes[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostAllowed(request: IncomingMessage, boundHost: string): boolean {
  const header = request.headers.host;
  if (!header) return false;
  const hostname = header.replace(/:\d+$/, '').toLowerCase();
  return hostname === boundHost.toLowerCase() || hostname === `[${boundHost.toLowerCase()}]` || loopbackNames.has(hostname);
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

/** Maps a URL path to a file inside `root`, or null when it may not be served. */
async function resolveFile(root: string, relative: string): Promise<{ file: string; isDirectory: boolean } | null> {
  const segments = relative.split('/');
  // Dot files stay private, except the one folder the web defines for them.
  if (segments.some((segment, index) => segment.startsWith('.') && !(index === 0 && segment === '.well-known'))) return null;
  const candidate = path.resolve(root, ...segments);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + path.sep)) return null;
    const info = await stat(real);
    return { file: real, isDirectory: info.isDirectory() };
  } catch {
    return null;
  }
}

export async function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const root = await realpath(path.resolve(options.root));
  const basePath = options.basePath.endsWith('/') ? options.basePath : `${options.basePath}/`;

  const serveFile = async (request: IncomingMessage, response: ServerResponse, file: string, status: number) => {
    const type = contentTypeOf(file);
    const headers = { ...securityHeaders, 'Content-Type': type, 'Cache-Control': 'no-cache' };
    if (type.startsWith('text/html') && options.injectIntoHead) {
      const html = (await readFile(file, 'utf8')).replace('</head>', `${options.injectIntoHead}</head>`);
      response.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(html)) });
      response.end(request.method === 'HEAD' ? undefined : html);
      return;
    }
    const info = await stat(file);
    response.writeHead(status, { ...headers, 'Content-Length': String(info.size) });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file).pipe(response);
  };

  const notFound = async (request: IncomingMessage, response: ServerResponse) => {
    const page = await resolveFile(root, '404.html');
    if (page && !page.isDirectory) return serveFile(request, response, page.file, 404);
    if (options.injectIntoHead) {
      // Nothing built yet (the first build failed): a page the live-reload overlay can show its errors on.
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nothing built yet</title>${options.injectIntoHead}</head><body><main><h1>Nothing built yet</h1><p>The site has not been built; the errors are in the terminal and below.</p></main></body></html>`;
      return send(response, 404, html, { 'Content-Type': 'text/html; charset=utf-8' });
    }
    send(response, 404, 'Not found\n');
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!hostAllowed(request, options.host)) return send(response, 403, 'This server only answers requests addressed to its own host name.\n');
    if (options.intercept?.(request, response)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    let pathname: string;
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(response, 400, 'Bad request\n');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return send(response, 400, 'Bad request\n');
    if (!pathname.startsWith(basePath)) {
      if (pathname === '/' || `${pathname}/` === basePath) return send(response, 302, '', { Location: basePath });
      return notFound(request, response);
    }
    const found = await resolveFile(root, pathname.slice(basePath.length));
    if (!found) return notFound(request, response);
    if (found.isDirectory) {
      if (!pathname.endsWith('/')) {
        const query = (request.url ?? '').includes('?') ? (request.url ?? '').slice((request.url ?? '').indexOf('?')) : '';
        return send(response, 301, '', { Location: `${encodeURI(pathname)}/${query}` });
      }
      const index = await resolveFile(root, `${pathname.slice(basePath.length)}index.html`);
      if (!index || index.isDirectory) return notFound(request, response);
      return serveFile(request, response, index.file, 200);
    }
    return serveFile(request, response, found.file, 200);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, `Internal error: ${(error as Error).message}\n`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}${basePath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams stay open for ever: end them so close() returns.
        server.closeAllConnections();
      }),
  };
}
