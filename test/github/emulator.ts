/**
 * A small GitHub REST API on loopback, for the endpoints herald uses. It
 * answers with GitHub's status codes, JSON shapes and headers (`link`
 * pagination, `x-ratelimit-*`), can be told to answer the next matching
 * requests with a rate-limit error, and records every request so tests
 * assert on what was sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

export interface EmulatedComment {
  id: number;
  body: string;
  user: string;
}

export interface EmulatedRelease {
  id: number;
  tag_name: string;
  name: string;
  body: string;
  target_commitish: string;
  /** A draft: listed (and counted) by the GraphQL query, unknown to a lookup by tag. */
  draft: boolean;
}

export interface EmulatedPull {
  number: number;
  headSha: string;
  files: { filename: string; status: string; previous_filename?: string }[];
}

/** A rate-limit answer to give instead of the real one. */
export type Fault =
  /** 403 (or 429) with `x-ratelimit-remaining: 0` and a reset `resetIn` seconds ahead. */
  | { kind: 'primary'; status?: 403 | 429; resetIn?: number }
  /** A secondary limit: 403 or 429 with `retry-after`. */
  | { kind: 'secondary'; status?: 403 | 429; retryAfter?: number }
  /** An arbitrary status with GitHub's error body. */
  | { kind: 'status'; status: number; message: string }
  /** A 200 that is not GitHub's: a proxy's login page, an empty object. */
  | { kind: 'answer'; contentType: string; body: string }
  /** A 200 whose JSON comes a byte every 50 ms, for ever. */
  | { kind: 'trickle' };

interface PendingFault {
  fault: Fault;
  method?: string;
  pathPattern?: RegExp;
}

const rateLimit = 5000;
const timestamp = '2024-05-01T12:00:00Z';

export class GithubEmulator {
  readonly requests: RecordedRequest[] = [];
  readonly tokens = new Set<string>(['test-token']);
  readonly owner: string;
  readonly repo: string;
  readonly pulls = new Map<number, EmulatedPull>();
  readonly comments = new Map<number, EmulatedComment[]>();
  readonly releases: EmulatedRelease[] = [];
  /**
   * A broken cache or proxy in front of GitHub: the last page of a list
   * says there is a next page, the first one again (REST: a `Link`
   * rel="next" to page 1; GraphQL: `hasNextPage` with the cursor before
   * the first page), so a client that follows it never ends.
   */
  nextLoopsBack = false;
  /** Called after each answer: lets a test play another client acting in between two requests. */
  afterRequest?: (request: RecordedRequest) => void;
  private readonly faults: PendingFault[] = [];
  private nextId = 1000;
  private remaining = rateLimit;
  private server?: Server;
  url = '';

  constructor(repository = 'example/advisories') {
    const [owner, repo] = repository.split('/');
    this.owner = owner!;
    this.repo = repo!;
  }

  /** Starts listening on 127.0.0.1 with a free port. */
  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.send(response, 500, { message: `emulator error: ${String(error)}` });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next request matching `method` and `pathPattern` gets `fault` instead of its answer. */
  failNext(fault: Fault, match: { method?: string; path?: RegExp } = {}): void {
    this.faults.push({ fault, method: match.method, pathPattern: match.path });
  }

  addPull(number: number, files: EmulatedPull['files'], headSha = 'a'.repeat(40)): void {
    this.pulls.set(number, { number, headSha, files });
  }

  addComment(issue: number, body: string, user = 'someone'): EmulatedComment {
    const comment = { id: this.nextId++, body, user };
    const list = this.comments.get(issue) ?? [];
    list.push(comment);
    this.comments.set(issue, list);
    return comment;
  }

  addRelease(tag: string, name = tag, options: { draft?: boolean } = {}): EmulatedRelease {
    const release = { id: this.nextId++, tag_name: tag, name, body: '', target_commitish: 'main', draft: options.draft ?? false };
    this.releases.push(release);
    return release;
  }

  /** Requests other than rate-limited ones, as `METHOD /path`. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const text = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);

    const token = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) {
      this.send(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      return;
    }
    const faultIndex = this.faults.findIndex(
      (f) => (!f.method || f.method === recorded.method) && (!f.pathPattern || f.pathPattern.test(recorded.path)),
    );
    if (faultIndex >= 0) {
      const [pending] = this.faults.splice(faultIndex, 1);
      this.sendFault(response, pending!.fault);
      return;
    }
    this.remaining = Math.max(0, this.remaining - 1);
    this.route(recorded, url, response);
    this.afterRequest?.(recorded);
  }

  private route(request: RecordedRequest, url: URL, response: ServerResponse): void {
    const base = `/repos/${this.owner}/${this.repo}`;
    const path = request.path;
    if (request.method === 'POST' && path === '/graphql') return this.graphql(request, response);
    if (!path.startsWith(`${base}/`)) return this.notFound(response);
    const rest = path.slice(base.length);
    let m: RegExpExecArray | null;
    if (request.method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return this.notFound(response);
      return this.send(response, 200, this.pullJson(pull));
    }
    if (request.method === 'GET' && (m = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return this.notFound(response);
      const files = pull.files.map((f) => ({
        sha: 'b'.repeat(40),
        filename: f.filename,
        status: f.status,
        additions: 1,
        deletions: 0,
        changes: 1,
        blob_url: `https://github.com/${this.owner}/${this.repo}/blob/${pull.headSha}/${f.filename}`,
        raw_url: `https://github.com/${this.owner}/${this.repo}/raw/${pull.headSha}/${f.filename}`,
        contents_url: `${this.url}${base}/contents/${f.filename}?ref=${pull.headSha}`,
        patch: '@@ -0,0 +1 @@',
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      }));
      return this.sendPage(response, url, files);
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (!this.pulls.has(issue) && !this.comments.has(issue)) return this.notFound(response);
      if (request.method === 'GET') {
        return this.sendPage(response, url, (this.comments.get(issue) ?? []).map((c) => this.commentJson(issue, c)));
      }
      if (request.method === 'POST') {
        const body = bodyField(request.body, 'body');
        const invalid = this.checkCommentBody(body);
        if (invalid) return this.send(response, 422, invalid);
        const comment = this.addComment(issue, body!, 'github-actions[bot]');
        return this.send(response, 201, this.commentJson(issue, comment));
      }
    }
    if (request.method === 'PATCH' && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const id = Number(m[1]);
      for (const [issue, list] of this.comments) {
        const comment = list.find((c) => c.id === id);
        if (!comment) continue;
        const body = bodyField(request.body, 'body');
        const invalid = this.checkCommentBody(body);
        if (invalid) return this.send(response, 422, invalid);
        comment.body = body!;
        return this.send(response, 200, this.commentJson(issue, comment));
      }
      return this.notFound(response);
    }
    if (request.method === 'GET' && (m = /^\/releases\/tags\/(.+)$/.exec(rest))) {
      const release = this.releases.find((r) => r.tag_name === decodeURIComponent(m![1]!) && !r.draft);
      if (!release) return this.notFound(response);
      return this.send(response, 200, this.releaseJson(release));
    }
    if (request.method === 'POST' && rest === '/releases') {
      const tag = bodyField(request.body, 'tag_name');
      if (!tag) return this.send(response, 422, validationFailed({ resource: 'Release', code: 'missing_field', field: 'tag_name' }));
      if (this.releases.some((r) => r.tag_name === tag)) {
        return this.send(response, 422, validationFailed({ resource: 'Release', code: 'already_exists', field: 'tag_name' }));
      }
      const release: EmulatedRelease = {
        id: this.nextId++,
        tag_name: tag,
        name: bodyField(request.body, 'name') ?? tag,
        body: bodyField(request.body, 'body') ?? '',
        target_commitish: bodyField(request.body, 'target_commitish') ?? 'main',
        draft: false,
      };
      this.releases.push(release);
      return this.send(response, 201, this.releaseJson(release));
    }
    return this.notFound(response);
  }

  /**
   * The one GraphQL query herald sends (a repository's releases, 100 at a
   * time, newest first, with cursors), answered as GitHub does: errors with
   * status 200, `NOT_FOUND` for another repository.
   */
  private graphql(request: RecordedRequest, response: ServerResponse): void {
    const { query, variables } = (request.body ?? {}) as { query?: string; variables?: { owner?: string; repo?: string; after?: string | null } };
    if (!query || !/repository\(owner: \$owner, name: \$repo\)\s*\{\s*releases\(first: 100, after: \$after/.test(query)) {
      return this.send(response, 200, { errors: [{ message: 'The emulator answers only the releases query.' }] });
    }
    if (variables?.owner !== this.owner || variables.repo !== this.repo) {
      return this.send(response, 200, { data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: `Could not resolve to a Repository with the name '${variables?.owner}/${variables?.repo}'.` }] });
    }
    const newestFirst = [...this.releases].reverse();
    const start = variables.after ? Number(Buffer.from(variables.after, 'base64').toString().replace('cursor:', '')) + 1 : 0;
    const nodes = newestFirst.slice(start, start + 100).map((r) => ({ tagName: r.tag_name, isDraft: r.draft }));
    const last = start + nodes.length - 1;
    const cursor = nodes.length > 0 ? Buffer.from(`cursor:${last}`).toString('base64') : null;
    const pageInfo =
      this.nextLoopsBack && last + 1 >= newestFirst.length
        ? { hasNextPage: true, endCursor: Buffer.from('cursor:-1').toString('base64') }
        : { hasNextPage: last + 1 < newestFirst.length, endCursor: cursor };
    return this.send(response, 200, { data: { repository: { releases: { totalCount: newestFirst.length, nodes, pageInfo } } } });
  }

  private checkCommentBody(body: string | undefined): object | undefined {
    if (body === undefined || body === '') return validationFailed({ resource: 'IssueComment', code: 'missing_field', field: 'body' });
    if ([...body].length > 65536) {
      return validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' });
    }
    return undefined;
  }

  private sendPage(response: ServerResponse, url: URL, items: unknown[]): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string => {
      const target = new URL(url.href);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(p));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    else if (this.nextLoopsBack) links.push(link(1, 'next'));
    if (page > 1) links.push(link(1, 'first'));
    this.send(response, 200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
  }

  private sendFault(response: ServerResponse, fault: Fault): void {
    if (fault.kind === 'trickle') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.write('[');
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
      return;
    }
    if (fault.kind === 'answer') {
      response.writeHead(200, { 'content-type': fault.contentType, 'content-length': Buffer.byteLength(fault.body) });
      response.end(fault.body);
      return;
    }
    if (fault.kind === 'primary') {
      const reset = Math.ceil(Date.now() / 1000) + (fault.resetIn ?? 1);
      this.send(
        response,
        fault.status ?? 403,
        { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: String(fault.status ?? 403) },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      );
      return;
    }
    if (fault.kind === 'secondary') {
      this.send(
        response,
        fault.status ?? 429,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(fault.status ?? 429),
        },
        { 'retry-after': String(fault.retryAfter ?? 1) },
      );
      return;
    }
    this.send(response, fault.status, { message: fault.message, documentation_url: 'https://docs.github.com/rest', status: String(fault.status) });
  }

  private notFound(response: ServerResponse): void {
    this.send(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }

  private send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(rateLimit - this.remaining),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    response.end(text);
  }

  private pullJson(pull: EmulatedPull): object {
    return {
      id: pull.number + 500,
      number: pull.number,
      state: 'open',
      title: `Pull request ${pull.number}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`,
      head: { sha: pull.headSha, ref: `topic-${pull.number}`, repo: { full_name: `${this.owner}/${this.repo}` } },
      base: { sha: 'c'.repeat(40), ref: 'main', repo: { full_name: `${this.owner}/${this.repo}` } },
    };
  }

  private commentJson(issue: number, comment: EmulatedComment): object {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue}#issuecomment-${comment.id}`,
      issue_url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${issue}`,
      body: comment.body,
      user: { login: comment.user, id: 1, type: comment.user.endsWith('[bot]') ? 'Bot' : 'User' },
      author_association: 'NONE',
      created_at: timestamp,
      updated_at: timestamp,
    };
  }

  private releaseJson(release: EmulatedRelease): object {
    return {
      id: release.id,
      url: `${this.url}/repos/${this.owner}/${this.repo}/releases/${release.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/releases/tag/${encodeURIComponent(release.tag_name)}`,
      tag_name: release.tag_name,
      target_commitish: release.target_commitish,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: false,
      created_at: timestamp,
      published_at: timestamp,
      author: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      assets: [],
    };
  }
}

function validationFailed(error: object): object {
  return { message: 'Validation Failed', errors: [error], documentation_url: 'https://docs.github.com/rest', status: '422' };
}

function bodyField(body: unknown, key: string): string | undefined {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
