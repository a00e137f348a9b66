/**
 * The dev server's own thread: the static server (`static-server.ts`) and,
 * with `--watch`, the live-reload hub (`live-reload.ts`), run here so that
 * pages are answered while a rebuild keeps the main thread busy (an edited
 * note's page is in place before its listings and feeds are made).
 *
 * The main thread starts it with `startServerThread` and tells the hub
 * about builds through messages; `server-worker.ts` is the thread's side.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import type { HeraldMessage } from '../errors/message.ts';
import { packageRoot } from '../package-root.ts';
import type { StaticServerOptions } from './static-server.ts';

export interface ServerThreadOptions extends Pick<StaticServerOptions, 'root' | 'host' | 'port' | 'basePath'> {
  /** Live reload (`--watch`). */
  live: boolean;
}

/** What the main thread tells the hub. */
export type HubMessage = { type: 'succeeded'; changed: boolean } | { type: 'failed'; errors: readonly HeraldMessage[] } | { type: 'placed'; paths: readonly string[] } | { type: 'close' };

export type ThreadReply = { type: 'listening'; url: string; port: number } | { type: 'failed'; message: string } | { type: 'closed' } | { type: 'sent' };

export interface ServerThread {
  url: string;
  /** Settles with the reason if the thread stops by itself (a bug in herald); never after `close`. */
  failure: Promise<Error>;
  /** Tells the open pages about a build; resolves once the pages were told. */
  tell(message: Exclude<HubMessage, { type: 'close' }>): Promise<void>;
  close(): Promise<void>;
}

const entry = path.join(packageRoot, 'bin/serve-worker.js');

/** Starts the server on its thread; rejects with the reason when it cannot listen. */
export function startServerThread(options: ServerThreadOptions): Promise<ServerThread> {
  const worker = new Worker(entry, { workerData: options });
  const waiting: ((reply: ThreadReply) => void)[] = [];
  const next = () => new Promise<ThreadReply>((resolve) => waiting.push(resolve));
  worker.on('message', (reply: ThreadReply) => waiting.shift()?.(reply));
  // A thread that stopped answers nothing more: whoever waits is let go.
  let stopped: string | undefined;
  let closing = false;
  let failed: (error: Error) => void = () => {};
  const failure = new Promise<Error>((resolve) => (failed = resolve));
  const stop = (why: string) => {
    stopped ??= why;
    for (const resolve of waiting.splice(0)) resolve({ type: 'failed', message: why });
    if (!closing) failed(new Error(`the server thread stopped: ${why}`));
  };
  worker.on('error', (error) => stop(error.message));
  worker.on('exit', (code) => stop(`the server thread stopped (exit code ${code})`));
  return next().then((reply) => {
    if (reply.type !== 'listening') {
      void worker.terminate();
      throw new Error(reply.type === 'failed' ? reply.message : 'the server thread did not start');
    }
    // Posted at once, even while this thread then stays busy (a rebuild
    // goes on after telling the pages); the thread replies to each message
    // in turn.
    const send = async (message: HubMessage): Promise<void> => {
      if (stopped) return;
      const reply = next();
      worker.postMessage(message);
      await reply;
    };
    return {
      url: reply.url,
      failure,
      tell: send,
      close: async () => {
        closing = true;
        await send({ type: 'close' });
        await worker.terminate();
      },
    };
  });
}
