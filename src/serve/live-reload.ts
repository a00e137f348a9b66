/**
 * Live reload for `herald serve --watch`: open pages hold a Server-Sent
 * Events stream; after each rebuild the hub tells them to reload, or sends
 * the build's errors, which the page shows in an overlay until a build
 * succeeds. The browser side is `site/live-reload.js` (a file, not inline
 * script: the pages keep their Content-Security-Policy).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { HeraldMessage } from '../errors/message.ts';
import { securityHeaders } from '../render/site/headers.ts';
import { browserDir } from '../render/site/assets.ts';

/** URL prefix of the live-reload endpoints; outside any site path. */
export const liveReloadPrefix = '/__herald/';

const client = {
  js: readFileSync(path.join(browserDir, 'live-reload.js'), 'utf8'),
  css: readFileSync(path.join(browserDir, 'live-reload.css'), 'utf8'),
};

/** What the hub last told the pages: a build number, and the errors of a failed build. */
export interface BuildState {
  build: number;
  /** Null after a successful build. */
  errors: readonly HeraldMessage[] | null;
  /**
   * Pages of the build running now already in place (its edited notes'),
   * by URL path: such a page reloads at once, and counts as having seen
   * that build when it ends.
   */
  early?: { build: number; paths: readonly string[] };
}

export class LiveReloadHub {
  private readonly clients = new Set<ServerResponse>();
  private state: BuildState = { build: 0, errors: null };
  /** A failed build had put pages in place before it failed (and took them back): the next build that succeeds reloads them, changed or not. */
  private placedThenFailed = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps proxies and idle timeouts from closing the stream.
    this.heartbeat = setInterval(() => this.broadcast(': keep-alive\n\n'), 15_000);
    this.heartbeat.unref();
  }

  /** Tags for the `<head>` of every page served. */
  readonly headTags = `<link rel="stylesheet" href="${liveReloadPrefix}live-reload.css"><script type="module" src="${liveReloadPrefix}live-reload.js"></script>`;

  /**
   * A build succeeded: every page reloads (but those that did when the
   * build placed them). One that changed no output file reloads none (a
   * note saved as it was, touched): the pages only drop the errors they
   * show, if any.
   */
  succeeded(changed = true): void {
    if (!changed && !this.placedThenFailed) {
      if (this.state.errors === null) return;
      this.state = { build: this.state.build, errors: null };
    } else this.state = { build: this.state.build + 1, errors: null };
    this.placedThenFailed = false;
    this.broadcast(this.event());
  }

  /**
   * A build failed: every page shows the errors, and keeps its content.
   * One that placed pages first still counts as a build, so that those
   * pages reload with the next one that succeeds.
   */
  failed(errors: readonly HeraldMessage[]): void {
    this.placedThenFailed ||= this.state.early !== undefined;
    this.state = { build: this.state.early ? this.state.early.build : this.state.build, errors };
    this.broadcast(this.event());
  }

  /** The running build passed its checks and put these pages (URL paths) in place ahead of the rest: they reload now. */
  placed(paths: readonly string[]): void {
    const build = this.state.build + 1;
    const known = this.state.early?.build === build ? this.state.early.paths : [];
    this.state = { build: this.state.build, errors: null, early: { build, paths: [...new Set([...known, ...paths])] } };
    this.broadcast(this.event());
  }

  private event(): string {
    return `event: state\ndata: ${JSON.stringify(this.state)}\n\n`;
  }

  private broadcast(text: string): void {
    for (const response of this.clients) response.write(text);
  }

  /** Handles the live-reload endpoints; false for any other request. */
  intercept = (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = request.url ?? '';
    if (!url.startsWith(liveReloadPrefix)) return false;
    const name = url.slice(liveReloadPrefix.length).split('?')[0];
    if (name === 'events') {
      response.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      response.write(`retry: 1000\n\n${this.event()}`);
      this.clients.add(response);
      request.on('close', () => this.clients.delete(response));
      return true;
    }
    const file = name === 'live-reload.js' ? { type: 'text/javascript', body: client.js } : name === 'live-reload.css' ? { type: 'text/css', body: client.css } : null;
    if (!file) return false;
    response.writeHead(200, { ...securityHeaders, 'Content-Type': `${file.type}; charset=utf-8`, 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : file.body);
    return true;
  };

  close(): void {
    clearInterval(this.heartbeat);
    for (const response of this.clients) response.end();
    this.clients.clear();
  }
}
