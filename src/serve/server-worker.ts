/**
 * The server thread's side (see `server-thread.ts`), run by
 * bin/serve-worker.js: the static server, the live-reload hub, and the
 * main thread's messages about builds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LiveReloadHub } from './live-reload.ts';
import type { HubMessage, ServerThreadOptions, ThreadReply } from './server-thread.ts';
import { startStaticServer } from './static-server.ts';

async function serveOnThisThread(options: ServerThreadOptions): Promise<void> {
  const port = parentPort!;
  const hub = options.live ? new LiveReloadHub() : undefined;
  let server;
  try {
    server = await startStaticServer({ root: options.root, host: options.host, port: options.port, basePath: options.basePath, ...(hub ? { intercept: hub.intercept, injectIntoHead: hub.headTags } : {}) });
  } catch (error) {
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies ThreadReply);
    return;
  }
  port.on('message', (message: HubMessage) => {
    if (message.type === 'close') {
      hub?.close();
      void server.close().then(() => port.postMessage({ type: 'closed' } satisfies ThreadReply));
      return;
    }
    if (message.type === 'succeeded') hub?.succeeded(message.changed);
    else if (message.type === 'failed') hub?.failed(message.errors);
    else hub?.placed(message.paths);
    port.postMessage({ type: 'sent' } satisfies ThreadReply);
  });
  port.postMessage({ type: 'listening', url: server.url, port: server.port } satisfies ThreadReply);
}

await serveOnThisThread(workerData as ServerThreadOptions);
