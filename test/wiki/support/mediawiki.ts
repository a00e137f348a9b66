/**
 * A real MediaWiki for tests: Debian's `mediawiki` package installed into a
 * temporary folder (SQLite database, LocalSettings.php of its own), served
 * by `php -S` on a free loopback port in its own process group, stopped
 * and removed by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, appendFile, writeFile, unlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MediaWikiApi } from '../../../src/publish/wiki/api.ts';
import { MediaWikiClient } from '../../../src/publish/wiki/client.ts';

export const mediawikiDir = '/usr/share/mediawiki';
export const pygmentize = '/usr/bin/pygmentize';

export interface TestWiki {
  apiUrl: string;
  /** The bot password herald logs in with (`Admin@herald`). */
  bot: { user: string; password: string };
  /** A second account, for edits "by hand". */
  human: { user: string; password: string };
  /** The second account's bot password with the "Basic rights" grant alone: it may log in and read, never edit. */
  readOnlyBot: { user: string; password: string };
  /** Turns the SyntaxHighlight extension on or off (read on every request). */
  setSyntaxHighlight(on: boolean): Promise<void>;
  /** Sets `$wgMaxArticleSize` (KiB; MediaWiki refuses longer pages), or back to MediaWiki's default with undefined. */
  setMaxArticleSize(kib: number | undefined): Promise<void>;
  /** Puts the wiki in read-only mode (`$wgReadOnly`, with this reason), or back to writable with undefined. */
  setReadOnly(reason: string | undefined): Promise<void>;
  /** Blocks a user (`Admin`: herald's), with autoblock of the IP addresses it used; unblocks it (and its autoblocks) with `block: false`. */
  setBlocked(user: string, block: boolean, reason?: string): void;
  /** Blocks a user from editing one page alone (a partial block, through the API as the wiki's administrator). */
  blockFromPage(user: string, title: string): Promise<void>;
  /** Limits every user to one edit an hour (`$wgRateLimits`; no group keeps `noratelimit`), or lifts that limit. */
  setRateLimited(on: boolean): Promise<void>;
  /** Empties the wiki's session store, as a restart of it would: every logged-in client is anonymous again. */
  forgetSessions(): void;
  /** Protects a page so that only administrators with the `protect` grant may edit it. */
  protect(title: string): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function php(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync('php', args, { cwd: mediawikiDir, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`php ${args[0]} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

async function waitForApi(apiUrl: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`php -S exited with ${server.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${apiUrl}?action=query&meta=siteinfo&format=json`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`MediaWiki did not answer at ${apiUrl}:\n${log()}`);
}

const adminPassword = 'Admin-password-for-tests-1';
// Bot passwords must match ^[0-9a-w]{32,}$ for createBotPassword.php.
const botPassword = '0123456789abcdefghijklmnopqrstuvw';
const humanBotPassword = 'wvutsrqponmlkjihgfedcba9876543210';
const readOnlyBotPassword = 'abcdefghijklmnopqrstuvw0123456789';

/** Installs and starts a wiki; about two seconds. */
export async function startMediaWiki(): Promise<TestWiki> {
  const dir = await mkdtemp(path.join(tmpdir(), 'herald-mediawiki-'));
  const port = await freePort();
  const server = `http://127.0.0.1:${port}`;
  const settings = path.join(dir, 'LocalSettings.php');
  const env = { ...process.env, MW_CONFIG_FILE: settings };
  php(
    [
      'maintenance/install.php',
      '--dbtype=sqlite',
      `--dbpath=${path.join(dir, 'db')}`,
      '--dbname=herald',
      `--server=${server}`,
      '--scriptpath=',
      `--confpath=${dir}`,
      `--pass=${adminPassword}`,
      '--lang=en',
      '--quiet',
      'HeraldTest',
      'Admin',
    ],
    env,
  );
  const switchFile = path.join(dir, 'syntaxhighlight.on');
  const maxSizeFile = path.join(dir, 'max-article-size');
  const readOnlyFile = path.join(dir, 'read-only');
  const rateLimitFile = path.join(dir, 'rate-limited');
  await appendFile(
    settings,
    [
      '',
      '$wgShowExceptionDetails = true;',
      // Jobs run by a request would slow every edit; nothing in the tests needs them.
      '$wgJobRunRate = 0;',
      // SyntaxHighlight runs pygmentize per code block; the limit.sh wrapper around it costs more than the run.
      '$wgMaxShellMemory = 0; $wgMaxShellFileSize = 0; $wgMaxShellTime = 0; $wgMaxShellWallClockTime = 0;',
      '$wgMainCacheType = CACHE_DB;',
      // The extension throws without Pygments, so it is loaded only when a test turns it on.
      `if ( file_exists( ${JSON.stringify(switchFile)} ) ) { wfLoadExtension( 'SyntaxHighlight_GeSHi' ); }`,
      `if ( file_exists( ${JSON.stringify(maxSizeFile)} ) ) { $wgMaxArticleSize = (int)file_get_contents( ${JSON.stringify(maxSizeFile)} ); }`,
      `if ( file_exists( ${JSON.stringify(readOnlyFile)} ) ) { $wgReadOnly = file_get_contents( ${JSON.stringify(readOnlyFile)} ); }`,
      `if ( file_exists( ${JSON.stringify(rateLimitFile)} ) ) { foreach ( array_keys( $wgGroupPermissions ) as $group ) { $wgGroupPermissions[$group]['noratelimit'] = false; } $wgRateLimits['edit']['user'] = [ 1, 3600 ]; }`,
      '',
    ].join('\n'),
  );
  php(['maintenance/createBotPassword.php', '--appid=herald', '--grants=basic,editpage,createeditmovepage,highvolume', 'Admin', botPassword], env);
  php(['maintenance/createAndPromote.php', 'Alice', 'Alice-password-for-tests-1'], env);
  php(['maintenance/createBotPassword.php', '--appid=hand', '--grants=basic,editpage,createeditmovepage', 'Alice', humanBotPassword], env);
  php(['maintenance/createBotPassword.php', '--appid=reader', '--grants=basic', 'Alice', readOnlyBotPassword], env);

  let output = '';
  // OPcache keeps MediaWiki's compiled code between requests; without it every request compiles it again.
  const child = spawn('php', ['-d', 'opcache.enable_cli=1', '-S', `127.0.0.1:${port}`, '-t', mediawikiDir], { cwd: mediawikiDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const apiUrl = `${server}/api.php`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // The server runs in its own process group: end the group, workers included.
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForApi(apiUrl, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiUrl,
    bot: { user: 'Admin@herald', password: botPassword },
    human: { user: 'Alice@hand', password: humanBotPassword },
    readOnlyBot: { user: 'Alice@reader', password: readOnlyBotPassword },
    protect(title) {
      php(['maintenance/protect.php', '--user=Admin', '--reason=test', title], env);
    },
    setBlocked(user, block, reason = 'test') {
      const result = spawnSync('php', ['maintenance/blockUsers.php', `--reason=${reason}`, ...(block ? [] : ['--unblock'])], { cwd: mediawikiDir, env, input: `${user}\n`, encoding: 'utf8' });
      if (result.status !== 0 || !result.stdout.includes('succeeded')) throw new Error(`blockUsers.php failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    },
    async blockFromPage(user, title) {
      const api = new MediaWikiApi({ url: apiUrl, maxlag: 5, retries: 0 });
      try {
        await new MediaWikiClient(api).login('Admin', adminPassword);
        const token = ((await api.call({ action: 'query', meta: 'tokens', type: 'csrf' })).query as { tokens: { csrftoken: string } }).tokens.csrftoken;
        await api.call({ action: 'block', user, partial: true, pagerestrictions: title, allowusertalk: true, expiry: 'infinite', reason: 'test', token });
      } finally {
        api.close();
      }
    },
    async setRateLimited(on) {
      if (on) await writeFile(rateLimitFile, '');
      else await unlink(rateLimitFile).catch(() => {});
    },
    async setReadOnly(reason) {
      if (reason === undefined) await unlink(readOnlyFile).catch(() => {});
      else await writeFile(readOnlyFile, reason);
    },
    forgetSessions() {
      // Sessions live in the object cache ($wgMainCacheType = CACHE_DB): SQLite's wikicache database.
      php(['-r', `$db = new PDO('sqlite:' . $argv[1]); $db->exec("DELETE FROM objectcache WHERE keyname LIKE '%:MWSession:%'");`, path.join(dir, 'db', 'wikicache.sqlite')], env);
    },
    async setMaxArticleSize(kib) {
      if (kib === undefined) await unlink(maxSizeFile).catch(() => {});
      else await writeFile(maxSizeFile, String(kib));
    },
    async setSyntaxHighlight(on) {
      if (on) await writeFile(switchFile, '');
      else await unlink(switchFile).catch(() => {});
    },
    stop,
  };
}
