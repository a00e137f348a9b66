/**
 * One form POST to the wiki with node:http(s), through an agent of the
 * wiki's own. node:https rather than fetch: its agent takes the CA
 * certificates to trust (`wiki.ca_file`) for this wiki alone, which
 * Node 20's fetch does only through the undici package's `Agent`.
 */
import http from 'node:http';
import https from 'node:https';
import type { TrustedCas } from '../ca-file.ts';

/** An answer, read whole. */
export interface PostAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * How a request failed: `network` (no connection, or it closed before any
 * answer: Node's error code), `no-answer` (none began within the time
 * limit), `too-slow` (an answer began but did not end within it), `cut`
 * (the connection closed mid-answer), `too-large` (longer than the limit:
 * not read further).
 */
export type PostFailureKind = 'network' | 'no-answer' | 'too-slow' | 'cut' | 'too-large';

/** Why a request got no whole answer: its kind, Node's error code (`ECONNRESET`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …) and text. */
export class PostFailure extends Error {
  readonly code: string | undefined;
  readonly kind: PostFailureKind;
  constructor(message: string, code: string | undefined, kind: PostFailureKind = 'network') {
    super(message);
    this.name = 'PostFailure';
    this.code = code;
    this.kind = kind;
  }
}

const seconds = (milliseconds: number) => `${Math.round(milliseconds / 100) / 10} s`;

/**
 * The agent for one wiki: connections kept open between requests, and over
 * https the certificates of `trust` (Node's roots and the file's) instead of
 * Node's roots alone. Plain http is for loopback only (the config refuses it
 * elsewhere).
 */
export function wikiAgent(url: URL, trust: TrustedCas | undefined): http.Agent {
  if (url.protocol !== 'https:') return new http.Agent({ keepAlive: true });
  return new https.Agent({ keepAlive: true, ...(trust ? { ca: trust.certificates } : {}) });
}

/**
 * POSTs `body` (form-encoded) to `url` and reads the whole answer within
 * `timeoutMs`, up to `maxBytes` (an answer said or found to be longer is
 * not read further); no redirect is followed.
 */
export function postForm(url: URL, body: string, options: { agent: http.Agent; headers: Record<string, string>; timeoutMs: number; maxBytes: number }): Promise<PostAnswer> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  const signal = AbortSignal.timeout(options.timeoutMs);
  /** Bytes of the answer read so far; undefined until it begins. */
  let received: number | undefined;
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      if (received === undefined) {
        reject(signal.aborted ? new PostFailure(`no answer within ${seconds(options.timeoutMs)}`, undefined, 'no-answer') : new PostFailure(error.message, error.code));
      } else if (signal.aborted) {
        reject(new PostFailure(`the wiki sent its answer too slowly (${received} bytes in ${seconds(options.timeoutMs)}, and not the whole answer)`, undefined, 'too-slow'));
      } else {
        reject(new PostFailure(`the wiki stopped mid-answer (the connection closed after ${received} bytes: ${error.code ?? error.message})`, error.code, 'cut'));
      }
    };
    const request = send(
      url,
      {
        method: 'POST',
        agent: options.agent,
        headers: { ...options.headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        received = 0;
        const tooLarge = (size: string) => {
          reject(new PostFailure(`${size}, more than the ${options.maxBytes / 2 ** 20} MiB herald reads of an answer`, undefined, 'too-large'));
          request.destroy();
        };
        const declared = Number(response.headers['content-length']);
        if (declared > options.maxBytes) return tooLarge(`an answer of ${declared} bytes (its Content-Length)`);
        response.on('data', (chunk: Buffer) => {
          received! += chunk.length;
          if (received! > options.maxBytes) return tooLarge(`an answer longer than ${options.maxBytes} bytes`);
          chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}
