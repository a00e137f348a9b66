/**
 * `herald serve`: the static server's rules (loopback, no traversal, the
 * site's headers, 404 page), the watch loop (rebuild, reload, errors shown
 * without stopping), the overlay in Chromium, and the command itself.
 */
import { cp, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { contentSecurityPolicy } from '../../src/render/site/headers.ts';
import { serveSite, type SiteServer } from '../../src/serve/serve.ts';
import { startServerThread } from '../../src/serve/server-thread.ts';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import type { BuildOutcome } from '../../src/serve/watch.ts';
import { spawnCollected, type SpawnedRun } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { chromiumArgs, chromiumPath, fixtureConfig, fixturesDir, fixtureNotes, loadAdvisories, renderFiles, repoRoot, testNow, writeTree } from './support.ts';

/** A raw GET, so the path reaches the server exactly as written (fetch would normalize `..`). */
function rawGet(url: string, pathAsIs: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path: pathAsIs, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the static server', () => {
  let tree: string;
  let server: RunningServer;

  beforeAll(async () => {
    const config = await fixtureConfig();
    tree = await writeTree(renderFiles(await loadAdvisories([fixtureNotes], { config }), { config }));
    await writeFile(path.join(tree, 'secret.txt'), 'outside the site');
    server = await startStaticServer({ root: path.join(tree, 'site'), host: '127.0.0.1', port: 0, basePath: '/' });
  });

  afterAll(async () => {
    await server?.close();
    if (tree) await rm(tree, { recursive: true, force: true });
  });

  it('serves pages with the site\u2019s security headers', async () => {
    const response = await rawGet(server.url, '/advisories/OSSN-0101/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('<h1>Compute nodes accept unauthenticated libvirt connections over TCP</h1>');
  });

  it('redirects a folder without its slash, and answers HEAD without a body', async () => {
    const redirect = await rawGet(server.url, '/advisories/OSSN-0101?x=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/advisories/OSSN-0101/?x=1');
    const head = await rawGet(server.url, '/feed.xml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(head.body).toBe('');
  });

  it('answers unknown paths with the 404 page and status 404', async () => {
    const response = await rawGet(server.url, '/no/such/page/');
    expect(response.status).toBe(404);
    expect(response.body).toContain('<h1>Page not found</h1>');
  });

  it('never serves a file outside the site, nor a dot file', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/advisories/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/.%2e/secret.txt', '/%00']) {
      const response = await rawGet(server.url, attempt);
      expect([400, 404], attempt).toContain(response.status);
      expect(response.body, attempt).not.toContain('outside the site');
    }
    expect((await rawGet(server.url, '/.well-known/security.txt')).status).toBe(200);
  });

  it('refuses requests addressed to another host name (DNS rebinding) and methods other than GET and HEAD', async () => {
    expect((await rawGet(server.url, '/', { Host: 'attacker.example' })).status).toBe(403);
    expect((await rawGet(server.url, '/', { Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await rawGet(server.url, '/', {}, 'POST')).status).toBe(405);
  });

  it('serves a site under the base path of site.base_url, sending / there', async () => {
    const config = await fixtureConfig();
    const hosted = { ...config, site: { ...config.site, base_url: 'https://example.org/security/' } };
    const other = await writeTree(renderFiles(await loadAdvisories([fixtureNotes], { config: hosted }), { config: hosted }));
    const under = await startStaticServer({ root: path.join(other, 'site'), host: '127.0.0.1', port: 0, basePath: '/security/' });
    try {
      expect(under.url).toMatch(/\/security\/$/);
      const root = await rawGet(under.url, '/');
      expect(root.status).toBe(302);
      expect(root.headers.location).toBe('/security/');
      const page = await rawGet(under.url, '/security/advisories/OSSN-0101/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('href="/security/assets/site.');
    } finally {
      await under.close();
      await rm(other, { recursive: true, force: true });
    }
  });

  it('tells whoever waits when its thread stops by itself, and not after a close', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'herald-thread-'));
    try {
      const thread = await startServerThread({ root, host: '127.0.0.1', port: 0, basePath: '/', live: true });
      // A message the hub cannot take stands in for a bug on that thread.
      await thread.tell({ type: 'placed', paths: undefined as unknown as string[] });
      expect((await thread.failure).message).toMatch(/^the server thread stopped: /);
      await thread.close();

      const closed = await startServerThread({ root, host: '127.0.0.1', port: 0, basePath: '/', live: false });
      let failed = false;
      void closed.failure.then(() => (failed = true));
      await closed.close();
      // Nothing is left to happen after a close to wait for: a failure told late would come within this window.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(failed).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses to serve when nothing was built', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'herald-empty-'));
    try {
      const attempt = serveSite({ cwd: empty, notes: 'notes', out: 'dist', preview: false, now: () => testNow, log: () => {}, host: '127.0.0.1', port: 0, watch: false });
      await expect(attempt).rejects.toBeInstanceOf(HeraldError);
      await expect(attempt).rejects.toMatchObject({ messages: [{ ruleId: 'serve-no-site', file: 'dist/site' }] });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

/** Reads Server-Sent Events from the live-reload endpoint. */
async function eventStream(url: string): Promise<{
  next(): Promise<{ build: number; errors: { ruleId: string; file: string; line: number; severity: string }[] | null; early?: { build: number; paths: string[] } }>;
  close(): void;
}> {
  const controller = new AbortController();
  const response = await fetch(new URL('/__herald/events', url), { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const match = /event: state\ndata: (.*)\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          return JSON.parse(match[1]!);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}

describe('herald serve --watch', () => {
  let project: string;
  let server: SiteServer;
  const outcomes: BuildOutcome[] = [];
  let waiters: ((outcome: BuildOutcome) => void)[] = [];
  const nextBuild = () => new Promise<BuildOutcome>((resolve) => waiters.push(resolve));
  const note = () => path.join(project, 'notes', 'OSSN-0103.md');

  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'herald-watch-'));
    await cp(fixtureNotes, path.join(project, 'notes'), { recursive: true });
    await cp(path.join(fixturesDir, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
    server = await serveSite({
      cwd: project,
      notes: 'notes',
      out: 'dist',
      preview: false,
      workers: 0,
      now: () => testNow,
      log: () => {},
      host: '127.0.0.1',
      port: 0,
      watch: true,
      onBuild: (outcome) => {
        outcomes.push(outcome);
        const ready = waiters;
        waiters = [];
        for (const resolve of ready) resolve(outcome);
      },
    });
  });

  afterAll(async () => {
    await server?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('builds first, rebuilds on a change and tells open pages to reload', async () => {
    expect(server.initial).toMatchObject({ ok: true });
    const page = await rawGet(server.url, '/advisories/OSSN-0103/');
    expect(page.body).toContain('<script type="module" src="/__herald/live-reload.js"></script></head>');
    const events = await eventStream(server.url);
    try {
      expect(await events.next()).toEqual({ build: 0, errors: null });
      const built = nextBuild();
      await writeFile(note(), (await readFile(note(), 'utf8')).replace('title: Nova console proxy allows open redirects', 'title: Nova console proxy allows open redirects to any host'));
      // The edited note's page first, before its listings and feeds: that page reloads at once.
      const early = await events.next();
      expect(early).toEqual({ build: 0, errors: null, early: { build: 1, paths: ['/advisories/OSSN-0103/', '/advisories/OSSN-0103/index.html'] } });
      expect(await built).toMatchObject({ ok: true });
      expect(await events.next()).toEqual({ build: 1, errors: null });
      expect((await rawGet(server.url, '/advisories/OSSN-0103/')).body).toContain('<h1>Nova console proxy allows open redirects to any host</h1>');
    } finally {
      events.close();
    }
  });

  it('reloads no page after a build that changed no output: a note saved as it was, or touched', async () => {
    const events = await eventStream(server.url);
    try {
      const state = await events.next();
      expect(state.errors).toBeNull();
      // The next event, whenever it comes: it must be the edit's below, not one of these two builds'.
      const next = events.next();
      let built = nextBuild();
      await writeFile(note(), await readFile(note(), 'utf8'));
      expect(await built).toMatchObject({ ok: true, changed: false });
      built = nextBuild();
      const later = new Date(Date.now() + 5000);
      await utimes(note(), later, later);
      expect(await built).toMatchObject({ ok: true, changed: false });
      // An edit still reloads the pages. The hub hears of builds in order, so had either build above told the
      // pages anything, that would be the next event, not the edit's page placed and then its build ended.
      built = nextBuild();
      await writeFile(note(), `${await readFile(note(), 'utf8')}\nA sentence added.\n`);
      expect(await built).toMatchObject({ ok: true, changed: true });
      expect(await next).toEqual({ build: state.build, errors: null, early: { build: state.build + 1, paths: ['/advisories/OSSN-0103/', '/advisories/OSSN-0103/index.html'] } });
      expect(await events.next()).toEqual({ build: state.build + 1, errors: null });
    } finally {
      events.close();
    }
  });

  it('builds a note added while watching, and drops one removed', async () => {
    const added = path.join(project, 'notes', 'OSSN-0199.md');
    const text = (await readFile(note(), 'utf8')).replace(/^id: OSSN-0103$/m, 'id: OSSN-0199').replace(/^title: .*$/m, 'title: A note added while watching');
    let built = nextBuild();
    await writeFile(added, text);
    expect(await built).toMatchObject({ ok: true });
    expect((await rawGet(server.url, '/advisories/OSSN-0199/')).body).toContain('<h1>A note added while watching</h1>');
    built = nextBuild();
    await rm(added);
    expect(await built).toMatchObject({ ok: true });
    expect((await rawGet(server.url, '/advisories/OSSN-0199/')).status).toBe(404);
  });

  it('reports a lint error to the page and keeps serving the last good build, until it is fixed', async () => {
    const events = await eventStream(server.url);
    try {
      await events.next();
      const good = await readFile(note(), 'utf8');
      const failed = nextBuild();
      await writeFile(note(), good.replace('severity: low', 'severity: catastrophic'));
      const outcome = await failed;
      expect(outcome.ok).toBe(false);
      const state = await events.next();
      expect(state.errors?.filter((m) => m.severity === 'error')).toEqual([expect.objectContaining({ ruleId: 'schema-type', file: 'notes/OSSN-0103.md', line: 6 })]);
      expect((await rawGet(server.url, '/advisories/OSSN-0103/')).status).toBe(200);
      const fixed = nextBuild();
      await writeFile(note(), good);
      expect(await fixed).toMatchObject({ ok: true });
      expect((await events.next()).errors).toBeNull();
    } finally {
      events.close();
    }
  });

  const reason = missingTools(chromiumPath);
  // Twice in three full CI runs on 4 December, Chromium's renderer crashed
  // ("Page crashed") at the reload after the fix, right after `npm ci`,
  // beside the MediaWiki tests; never when run alone or paired with them.
  // One more try, from the note as it was, tells that apart from a real fault.
  it.skipIf(!!reason)('shows the errors over the page in Chromium, then reloads once they are fixed', { retry: 1 }, async () => {
    const profile = await mkdtemp(path.join(os.tmpdir(), 'herald-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const good = await readFile(note(), 'utf8');
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(new URL('/advisories/OSSN-0103/', server.url).href);
      await page.waitForFunction(() => document.querySelector('script[src="/__herald/live-reload.js"]') !== null);
      const failed = nextBuild();
      await writeFile(note(), good.replace('severity: low', 'severity: catastrophic'));
      await failed;
      const overlay = page.locator('.herald-overlay');
      await overlay.waitFor({ state: 'visible' });
      expect(await overlay.innerText()).toContain('notes/OSSN-0103.md:6:');
      expect(await overlay.innerText()).toContain('schema-type');
      await mkdir(path.join(repoRoot, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'serve-error-overlay.png') });
      const reloaded = page.waitForEvent('load');
      await writeFile(note(), good.replace('allows open redirects to any host', 'allows open redirects (fixed title)'));
      await reloaded;
      await expect.poll(() => page.locator('h1').innerText()).toBe('Nova console proxy allows open redirects (fixed title)');
      expect(await page.locator('.herald-overlay').count()).toBe(0);

      // An edit of the open page's note reloads it once, when the note is in place, not again at the end of the build.
      let loads = 0;
      page.on('load', () => (loads += 1));
      const home = await browser.newPage();
      await home.goto(server.url);
      await home.waitForFunction(() => document.querySelector('script[src="/__herald/live-reload.js"]') !== null);
      const homeReloaded = home.waitForEvent('load');
      const built = nextBuild();
      await writeFile(note(), good.replace('allows open redirects to any host', 'allows open redirects (second edit)'));
      await built;
      await homeReloaded;
      await expect.poll(() => loads).toBe(1);
      expect(await page.locator('h1').innerText()).toBe('Nova console proxy allows open redirects (second edit)');
      // A second reload would follow the build's end, which the home page's reload shows has been told; no event
      // says one will not come, so it is given half a second (a window that can only miss it, never fail).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(loads).toBe(1);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
      if ((await readFile(note(), 'utf8')) !== good) {
        const restored = nextBuild();
        await writeFile(note(), good);
        await restored;
      }
    }
  });
});

describe('the serve command', () => {
  const bin = path.join(repoRoot, 'bin', 'herald.js');

  function run(args: string[], cwd: string): SpawnedRun {
    return spawnCollected(process.execPath, [bin, ...args], { cwd, env: { ...process.env, HERALD_NOW: testNow.toISOString() } });
  }

  it('serves a built site until stopped, and exits 0', async () => {
    const config = await fixtureConfig();
    const tree = await writeTree(renderFiles(await loadAdvisories([fixtureNotes], { config }), { config }));
    try {
      const serve = run(['serve', '--port', '0', '--out', '.'], tree);
      await expect.poll(() => serve.stdout(), { timeout: 30_000 }).toMatch(/^Serving http:\/\/127\.0\.0\.1:\d+\/\n/);
      const url = serve.stdout().slice('Serving '.length).trim();
      expect((await rawGet(url, '/')).status).toBe(200);
      serve.child.kill('SIGTERM');
      expect(await serve.exit).toBe(0);
    } finally {
      await rm(tree, { recursive: true, force: true });
    }
  });

  it('watching a new repository whose first note fails serves why, and replaces that page once the note builds', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'herald-watch-new-'));
    let site: SiteServer | undefined;
    try {
      await mkdir(path.join(project, 'notes'));
      await cp(path.join(fixturesDir, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
      const good = await readFile(path.join(fixtureNotes, 'OSSN-0103.md'), 'utf8');
      await writeFile(path.join(project, 'notes', 'OSSN-0103.md'), good.replace(/^title: .*$/m, 'title: [unclosed'));
      let waiter: ((outcome: BuildOutcome) => void) | undefined;
      const options = { cwd: project, notes: 'notes', out: 'dist', preview: false, workers: 0, now: () => testNow, log: () => {}, host: '127.0.0.1', port: 0, watch: true };
      site = await serveSite({ ...options, onBuild: (outcome) => waiter?.(outcome) });
      expect(site.initial).toMatchObject({ ok: false });
      const built = new Promise<BuildOutcome>((resolve) => (waiter = resolve));
      await writeFile(path.join(project, 'notes', 'OSSN-0103.md'), good);
      // The folder serve made for its page of errors is no output of someone else's: the build replaces it.
      expect(await built).toMatchObject({ ok: true });
      expect((await rawGet(site.url, '/advisories/OSSN-0103/')).status).toBe(200);
    } finally {
      await site?.close();
      await rm(project, { recursive: true, force: true });
    }
  });

  it('exits 1 with a located message when there is nothing to serve, and 2 on a bad port or no notes to watch', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'herald-empty-'));
    try {
      const missing = run(['serve', '--port', '0'], empty);
      expect(await missing.exit).toBe(1);
      expect(missing.stderr()).toContain('dist/site:1:1  error  serve-no-site  There is no built site in dist/site');
      const badPort = run(['serve', '--port', 'eighty'], empty);
      expect(await badPort.exit).toBe(2);
      expect(badPort.stderr()).toContain('--port must be a port number');
      // Watching in a folder without notes: the wrong folder, said at once, not a failed build served forever.
      const noNotes = run(['serve', '--watch', '--port', '0'], empty);
      expect(await noNotes.exit).toBe(2);
      expect(noNotes.stderr()).toContain(`no such file or folder: notes (in ${empty}); run herald in the folder that holds the notes folder`);
      expect(noNotes.stdout()).toBe('');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('watching into an output folder that cannot be made exits 1 with output-unwritable: not a hang under /proc, not a stack trace under a file', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'herald-watch-unmade-'));
    try {
      await mkdir(path.join(project, 'notes'));
      await cp(path.join(fixturesDir, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
      await cp(path.join(fixtureNotes, 'OSSN-0103.md'), path.join(project, 'notes', 'OSSN-0103.md'));
      await writeFile(path.join(project, 'plain'), 'a file\n');
      for (const [out, code] of [['/proc/self/herald-x/y', 'ENOENT'], ['plain/out', 'ENOTDIR']]) {
        // Killed after a minute: Node's recursive mkdir under /proc never returns, and a hang must fail the test.
        const serve = spawnCollected('timeout', ['-s', 'KILL', '60', process.execPath, bin, 'serve', '--watch', '--port', '0', '--out', out!], { cwd: project, env: { ...process.env, HERALD_NOW: testNow.toISOString() } });
        expect(await serve.exit, out).toBe(1);
        expect(serve.stderr(), out).toMatch(new RegExp(`:1:1  error  output-unwritable  The output folder cannot be written: .*${out}/site \\(${code}\\)`));
        expect(serve.stderr(), out).not.toMatch(/internal error|\n\s+at /);
        expect(serve.stdout(), out).toBe('');
      }
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});
