import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { HeraldError, UsageError } from '../../src/errors/message.ts';
import { describeGithubError } from '../../src/publish/github/errors.ts';
import { createGithubClient, type GithubClient } from '../../src/publish/github/client.ts';
import { upsertMarkedComment } from '../../src/publish/github/comments.ts';
import { githubSettings, type GithubSettings } from '../../src/publish/github/environment.ts';
import { listPullRequestFiles, pullRequestHeadSha } from '../../src/publish/github/pull-requests.ts';
import { createRelease, releaseTags, type KnownReleases } from '../../src/publish/github/releases.ts';
import { GithubEmulator } from './emulator.ts';

const marker = '<!-- herald-preview -->';

describe('GitHub client against the loopback emulator', () => {
  let github: GithubEmulator;
  let settings: GithubSettings;
  let client: GithubClient;
  let logged: string;
  const log = (line: string) => {
    logged += `${line}\n`;
  };

  beforeEach(async () => {
    github = await new GithubEmulator().start();
    settings = githubSettings(configSchema.parse({}), { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url });
    logged = '';
    client = createGithubClient(settings, { log });
  });
  afterEach(async () => {
    await github.stop();
  });

  it('finds the marked comment among 150 and updates it in place', async () => {
    github.addPull(7, []);
    for (let i = 0; i < 120; i++) github.addComment(7, `comment ${i}`);
    const sticky = github.addComment(7, `${marker}\nold preview`, 'github-actions[bot]');
    for (let i = 120; i < 149; i++) github.addComment(7, `comment ${i}`);
    github.addComment(7, `> ${marker}\n> quoted by a person`);
    expect(github.comments.get(7)).toHaveLength(151);

    const result = await upsertMarkedComment(client, settings, 7, marker, `${marker}\nnew preview`);

    expect(result).toMatchObject({ action: 'updated', id: sticky.id });
    expect(github.comments.get(7)).toHaveLength(151);
    expect(sticky.body).toBe(`${marker}\nnew preview`);
    const reads = github.requests.filter((r) => r.method === 'GET');
    expect(reads.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(github.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/repos/example/advisories/issues/comments/${sticky.id}`, body: { body: `${marker}\nnew preview` } });
  });

  it('creates the comment when none carries the marker, and leaves an identical one alone', async () => {
    github.addPull(8, []);
    for (let i = 0; i < 3; i++) github.addComment(8, `comment ${i}`);
    const first = await upsertMarkedComment(client, settings, 8, marker, `${marker}\nhello`);
    expect(first?.action).toBe('created');
    expect(github.comments.get(8)?.at(-1)?.body).toBe(`${marker}\nhello`);
    const second = await upsertMarkedComment(client, settings, 8, marker, `${marker}\nhello`);
    expect(second).toMatchObject({ action: 'unchanged', id: first?.id });
    expect(github.comments.get(8)).toHaveLength(4);
  });

  it('lists every file of a pull request across pages', async () => {
    github.addPull(9, Array.from({ length: 230 }, (_, i) => ({ filename: `notes/N-${String(i).padStart(4, '0')}.md`, status: 'added' })));
    const files = await listPullRequestFiles(client, settings, 9);
    expect(files).toHaveLength(230);
    expect(github.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(await pullRequestHeadSha(client, settings, 9)).toBe('a'.repeat(40));
  });

  describe('a "next" page that leads back to the first (a broken proxy or cache in front of GitHub)', () => {
    const expectLoopError = (error: unknown, action: string) => {
      expect(error).toBeInstanceOf(HeraldError);
      expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'github-unavailable', message: expect.stringMatching(new RegExp(`^Could not ${action}: .* gave an answer that is not GitHub's API \\(a "next" page that leads back to one it gave already`)) });
    };
    const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

    it('stops listing the files of a pull request at the first page given twice', async () => {
      github.addPull(11, Array.from({ length: 230 }, (_, i) => ({ filename: `notes/N-${String(i).padStart(4, '0')}.md`, status: 'added' })));
      github.nextLoopsBack = true;
      expectLoopError(await caught(listPullRequestFiles(client, settings, 11)), 'list the files of pull request #11');
      expect(github.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3', '1']);
    });

    it('stops looking for the marked comment at the first page given twice', async () => {
      for (let i = 0; i < 150; i++) github.addComment(12, `comment ${i}`);
      github.nextLoopsBack = true;
      expectLoopError(await caught(upsertMarkedComment(client, settings, 12, marker, `${marker}\nbody`)), 'list the comments of #12');
      expect(github.requests.filter((r) => r.method === 'GET').map((r) => r.query.page ?? '1')).toEqual(['1', '2', '1']);
      expect(github.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    });

    it('stops reading the releases at the first cursor given twice', async () => {
      for (let i = 0; i < 150; i++) github.addRelease(`OSSN-${String(i).padStart(4, '0')}-r0`);
      github.nextLoopsBack = true;
      expectLoopError(await caught(releaseTags(client, settings)), 'list the releases');
      expect(github.requests.filter((r) => r.path === '/graphql')).toHaveLength(3);
    }, 15_000);
  });

  it('retries a 502 and succeeds, saying nothing', async () => {
    github.addPull(13, [{ filename: 'notes/OSSN-0001.md', status: 'modified' }]);
    github.failNext({ kind: 'status', status: 502, message: 'Server Error' }, { path: /\/files$/ });
    expect((await listPullRequestFiles(client, settings, 13)).map((f) => f.filename)).toEqual(['notes/OSSN-0001.md']);
    expect(github.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(2);
    expect(logged).toBe('');
  });

  it('gives up on an answer that trickles a byte at a time, within the time limit of each try', async () => {
    github.addPull(14, [{ filename: 'notes/OSSN-0001.md', status: 'modified' }]);
    const hasty = createGithubClient(settings, { log, timeoutMs: 300 });
    for (let i = 0; i < 4; i++) github.failNext({ kind: 'trickle' }, { path: /\/files$/ });
    const started = Date.now();
    const error = await listPullRequestFiles(hasty, settings, 14).then(() => undefined, (caught: unknown) => caught);
    // Four tries of 0.3 s, and plugin-retry's waits of 1, 4 and 9 s between them.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'github-unavailable', message: expect.stringMatching(/^Could not list the files of pull request #14: GitHub answered no answer \(.*(timeout|aborted).*\)\.$/) });
    expect(github.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(4);
  }, 30_000);

  it.each([403, 429] as const)("waits out a primary rate limit (%i, x-ratelimit-remaining: 0) and succeeds", async (status) => {
    github.addPull(10, [{ filename: 'notes/OSSN-0001.md', status: 'modified' }]);
    github.failNext({ kind: "primary", status, resetIn: 1 }, { path: /\/files$/ });
    const started = Date.now();
    const files = await listPullRequestFiles(client, settings, 10);
    expect(files.map((f) => f.filename)).toEqual(['notes/OSSN-0001.md']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(github.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(2);
    expect(logged).toMatch(/rate limit reached .*waiting \d+ s/);
  });

  it('waits out a secondary rate limit (429, retry-after: 1) on a write and succeeds', async () => {
    github.addPull(11, []);
    github.failNext({ kind: 'secondary', status: 429, retryAfter: 1 }, { method: 'POST' });
    const started = Date.now();
    const result = await upsertMarkedComment(client, settings, 11, marker, `${marker}\nx`);
    expect(result?.action).toBe('created');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(logged).toMatch(/secondary rate limit hit .*waiting 1 s/);
  });

  it('gives up at once on a secondary rate limit that asks for longer than herald waits (retry-after: 7200), saying so', async () => {
    github.addPull(12, []);
    github.failNext({ kind: 'secondary', status: 403, retryAfter: 7200 }, { method: 'POST' });
    const started = Date.now();
    const error = await upsertMarkedComment(client, settings, 12, marker, `${marker}\nx`).catch((e: unknown) => e);
    // Gave up without waiting (the request count below says it was not tried again); waiting would be 900 s or more,
    // so a bound of 30 s tells the two apart and leaves a loaded machine room.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(logged).toMatch(/secondary rate limit hit for POST .*; GitHub asks to wait 7200 s, longer than herald waits \(900 s\); giving up/);
    // Said as GitHub being busy, not as the token refused.
    expect(error).toBeInstanceOf(HeraldError);
    const [message] = (error as HeraldError).messages;
    expect(message).toMatchObject({ ruleId: 'github-unavailable' });
    expect(message!.message).toMatch(/GitHub answered 403 You have exceeded a secondary rate limit.* \(a rate limit: GitHub asks to wait 7200 s before the next request\)\.$/);
  });

  it('reads every release tag through GraphQL, 100 per request, and names a missing repository', async () => {
    for (let n = 1; n <= 250; n++) github.addRelease(`OSSN-${String(n).padStart(4, '0')}-r0`);
    const { tags } = await releaseTags(client, settings);
    expect(tags.size).toBe(250);
    expect(tags.has('OSSN-0001-r0') && tags.has('OSSN-0250-r0')).toBe(true);
    expect(github.calls()).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql']);
    const error = await releaseTags(client, { ...settings, repo: 'elsewhere' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'github-not-found', message: "Could not list the releases: GitHub answered Could not resolve to a Repository with the name 'example/elsewhere'." });
  });

  it('turns GraphQL errors (answers of 200) into located messages by their type', () => {
    const graphqlError = (type: string, message: string) =>
      Object.assign(new Error(message), { name: 'GraphqlResponseError', request: { url: `${github.url}/graphql` }, errors: [{ type, message }] });
    const rule = (error: Error) => ((describeGithubError(error, 'list the releases') as HeraldError).messages[0]!.ruleId);
    expect(rule(graphqlError('FORBIDDEN', 'Resource not accessible by integration.'))).toBe('github-forbidden');
    expect(rule(graphqlError('RATE_LIMITED', 'API rate limit exceeded.'))).toBe('github-unavailable');
    expect(rule(graphqlError('NOT_FOUND', 'Could not resolve to a Repository.'))).toBe('github-not-found');
    expect(rule(graphqlError('MAX_NODE_LIMIT_EXCEEDED', 'Too many nodes.'))).toBe('github-unprocessable');
    expect((describeGithubError(graphqlError('FORBIDDEN', 'Resource not accessible by integration.'), 'list the releases') as HeraldError).messages[0]).toMatchObject({
      file: `${github.url}/graphql`,
      message: 'Could not list the releases: GitHub answered Resource not accessible by integration.',
    });
  });

  it('reads one page when the releases an earlier scan found still account for all of them', async () => {
    const tag = (n: number) => `OSSN-${String(n).padStart(4, '0')}-r0`;
    for (let n = 1; n <= 250; n++) github.addRelease(tag(n));
    const scan = async (known?: KnownReleases) => {
      github.requests.length = 0;
      const found = await releaseTags(client, settings, known);
      return { ...found, requests: github.calls().length };
    };
    const first = await scan();
    expect(first.requests).toBe(3);
    // Nothing changed, then two new releases: one request each time.
    expect(await scan(first.known)).toMatchObject({ requests: 1, tags: first.tags });
    github.addRelease(tag(251));
    github.addRelease(tag(252));
    const grown = await scan(first.known);
    expect(grown.requests).toBe(1);
    expect(grown.tags.size).toBe(252);
    // A deleted release (the count no longer adds up): every page again, and the tag is gone.
    github.releases.splice(github.releases.findIndex((r) => r.tag_name === tag(7)), 1);
    const shrunk = await scan(grown.known);
    expect(shrunk.requests).toBe(3);
    expect(shrunk.tags.has(tag(7))).toBe(false);
    // A deleted release made again (its tag now on a new release): still one request, still there.
    github.releases.splice(github.releases.findIndex((r) => r.tag_name === tag(9)), 1);
    github.addRelease(tag(9));
    expect(await scan(shrunk.known)).toMatchObject({ requests: 1, tags: shrunk.tags });
    // More new releases than a page holds: every page again.
    for (let n = 300; n < 420; n++) github.addRelease(tag(n));
    const many = await scan(shrunk.known);
    expect(many.requests).toBe(4);
    expect(many.tags.size).toBe(251 + 120);
    // Another repository's list is not used.
    expect((await scan({ ...many.known, repository: 'example/other' })).requests).toBe(4);
  });

  it('reads every page again when a known draft beyond the first page could have been published', async () => {
    const watched = (tag: string) => /-r\d+$/.test(tag);
    github.addRelease('OSSN-0001-r0', 'held back', { draft: true });
    github.addRelease('notes-v2', 'another tool\u2019s draft', { draft: true });
    for (let n = 2; n <= 150; n++) github.addRelease(`OSSN-${String(n).padStart(4, '0')}-r0`);
    const scan = async (known?: KnownReleases) => {
      github.requests.length = 0;
      const found = await releaseTags(client, settings, known, watched);
      return { ...found, requests: github.calls().length };
    };
    const first = await scan();
    expect(first.tags.has('OSSN-0001-r0')).toBe(false);
    // Still a draft: a draft counts as unsure, so every page again; the answer is the same.
    expect(await scan(first.known)).toMatchObject({ requests: 2, tags: first.tags });
    // A person publishes it: its place in the list (by creation) is unchanged, and the scan sees it.
    github.releases[0]!.draft = false;
    const published = await scan(first.known);
    expect(published.tags.has('OSSN-0001-r0')).toBe(true);
    // Known as published now, and another tool's draft is not watched: one request again.
    expect(await scan(published.known)).toMatchObject({ requests: 1, tags: published.tags });
  });

  it('treats a 422 already_exists on a release as done', async () => {
    github.addRelease('OSSN-0007-r0');
    expect([...(await releaseTags(client, settings)).tags]).toEqual(['OSSN-0007-r0']);
    expect(await createRelease(client, settings, { tag: 'OSSN-0007-r0', name: 'again', body: '' })).toBe('already-exists');
    expect(await createRelease(client, settings, { tag: 'OSSN-0007-r1', name: 'OSSN-0007 UPDATE 1', body: 'b', targetCommitish: 'abc' })).toBe('created');
    expect(github.releases.map((r) => r.tag_name)).toEqual(['OSSN-0007-r0', 'OSSN-0007-r1']);
    expect(github.requests.at(-1)?.body).toEqual({ tag_name: 'OSSN-0007-r1', name: 'OSSN-0007 UPDATE 1', body: 'b', target_commitish: 'abc' });
  });

  it('says that a server answering 200 with something that is not GitHub\u2019s API is not GitHub (a proxy page, GITHUB_API_URL without /api/v3), never a stack trace', async () => {
    github.addPull(11, [{ filename: 'notes/OSSN-0001.md', status: 'modified' }]);
    const page = { kind: 'answer', contentType: 'text/html', body: '<!doctype html><title>Sign in to the proxy</title>' } as const;
    const empty = { kind: 'answer', contentType: 'application/json', body: '{}' } as const;
    const refusal = async (call: Promise<unknown>) => {
      const error = await call.then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(HeraldError);
      return (error as HeraldError).messages[0]!;
    };
    const cases: [typeof page | typeof empty, RegExp, () => Promise<unknown>, RegExp][] = [
      [page, /\/files$/, () => listPullRequestFiles(client, settings, 11), /^Could not list the files of pull request #11: .*\/pulls\/11\/files gave an answer that is not GitHub's API \(an HTML or XML page\)\.$/],
      [empty, /\/files$/, () => listPullRequestFiles(client, settings, 11), /^Could not list the files of pull request #11: .*\/pulls\/11\/files gave an answer that is not GitHub's API \(the answer is not an array\)\.$/],
      [empty, /\/pulls\/11$/, () => pullRequestHeadSha(client, settings, 11), /^Could not read pull request #11: .* gave an answer that is not GitHub's API \(head is missing\)\.$/],
      [page, /graphql/, () => releaseTags(client, settings), /^Could not list the releases: .*graphql gave an answer that is not GitHub's API \(an HTML or XML page\)\.$/],
      [empty, /graphql/, () => releaseTags(client, settings), /^Could not list the releases: .* gave an answer that is not GitHub's API \(the answer is missing\)\.$/],
      [page, /\/comments/, () => upsertMarkedComment(client, settings, 11, marker, `${marker}\nbody`), /^Could not list the comments of #11: .* \(an HTML or XML page\)\.$/],
    ];
    for (const [fault, path, call, text] of cases) {
      github.failNext(fault, { path });
      const message = await refusal(call());
      expect(message).toMatchObject({ ruleId: 'github-unavailable', message: expect.stringMatching(text), hint: expect.stringContaining('/api/v3') });
    }
  });

  it('turns a 404 into a message naming what herald tried and what to check', async () => {
    const error = await listPullRequestFiles(client, settings, 404).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    const [message] = (error as HeraldError).messages;
    expect(message).toMatchObject({ ruleId: 'github-not-found', file: `${github.url}/repos/example/advisories/pulls/404/files` });
    expect(message?.message).toBe('Could not list the files of pull request #404: GitHub answered 404 Not Found.');
  });

  it('turns a 422 into a message with GitHub\u2019s reason, and a bad token into github-forbidden', async () => {
    github.addPull(12, []);
    const tooLong = `${marker}\n${'x'.repeat(70_000)}`;
    const error = await upsertMarkedComment(client, settings, 12, marker, tooLong).catch((e: unknown) => e);
    expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'github-unprocessable' });
    expect((error as HeraldError).messages[0]?.message).toContain('body is too long (maximum is 65536 characters)');

    const stranger = createGithubClient({ ...settings, token: 'wrong' }, { log });
    const denied = await pullRequestHeadSha(stranger, settings, 12).catch((e: unknown) => e);
    expect((denied as HeraldError).messages[0]).toMatchObject({ ruleId: 'github-forbidden' });
    expect((denied as HeraldError).message).not.toContain('wrong');
  });
});

describe('githubSettings', () => {
  const config = configSchema.parse({});
  it('reads the Actions variables, config first', () => {
    expect(githubSettings(config, { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b' })).toEqual({ token: 't', owner: 'a', repo: 'b', apiUrl: 'https://api.github.com' });
    const enterprise = configSchema.parse({ github: { repository: 'sec/notes', api_url: 'https://ghe.example.org/api/v3/' } });
    expect(githubSettings(enterprise, { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b' })).toMatchObject({ owner: 'sec', repo: 'notes', apiUrl: 'https://ghe.example.org/api/v3' });
  });
  it('refuses a missing token, a missing repository and a clear-text API off this machine', () => {
    expect(() => githubSettings(config, { GITHUB_REPOSITORY: 'a/b' })).toThrow(UsageError);
    expect(() => githubSettings(config, { GITHUB_TOKEN: 't' })).toThrow(/repository is unknown/);
    expect(() => githubSettings(config, { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b', GITHUB_API_URL: 'http://github.example.org' })).toThrow(/https/);
  });
});
