/**
 * A real MediaWiki for tests: Debian's `mediawiki` package installed into a
 * temporary folder (SQLite database, LocalSettings.php of its own), served
 * by `php -S` on a free loopback port in its own process group, stopped
 * and removed by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  /** Carol's bot password with every grant herald asks for; Carol is in a group that may edit but not create pages (`createpage` revoked). */
  noCreateUserBot: { user: string; password: string };
  /** Herald's user with a bot password without the grant "Create, edit, and move pages": it may edit pages, not create them. */
  editOnlyBot: { user: string; password: string };
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
  /**
   * Adds an enabled AbuseFilter filter (loading the extension and creating its tables with
   * update.php the first time) and returns its id; `disable` turns it off again.
   */
  addAbuseFilter(filter: AbuseFilterSpec): Promise<number>;
  disableAbuseFilter(id: number): void;
  stop(): Promise<void>;
}

/** A filter as AbuseFilter keeps it: a rule in its language, a public description, and what it does on a match. */
export interface AbuseFilterSpec {
  /** E.g. `added_lines contains "FORBIDDEN"`. */
  pattern: string;
  /** The filter's public description, which the wiki names in its refusal. */
  description: string;
  /** `disallow` refuses the edit; `warn` refuses it once per session, page and filter; `tag` marks the saved edit with this tag. */
  actions: { disallow?: true; warn?: true; tag?: string };
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
const noCreateBotPassword = '9876543210abcdefghijklmnopqrstuvw';
const editOnlyBotPassword = 'wvutsrqponmlkjihgfedcba0123456789';

/**
 * Inserts a filter into AbuseFilter's tables as Special:AbuseFilter would (the extension reads a
 * wiki's own filters from its database on every edit); prints its id. Its user is the Admin account (id 1).
 */
const insertFilterPhp = `
$db = new PDO('sqlite:' . $argv[1]);
$db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$filter = json_decode($argv[2], true);
$db->prepare('INSERT INTO abuse_filter (af_pattern, af_user, af_user_text, af_timestamp, af_enabled, af_comments, af_public_comments, af_hidden, af_hit_count, af_throttled, af_deleted, af_actions, af_global, af_group) VALUES (?, 1, ?, ?, 1, ?, ?, 0, 0, 0, 0, ?, 0, ?)')
  ->execute([$filter['pattern'], 'Admin', gmdate('YmdHis'), '', $filter['description'], implode(',', array_column($filter['consequences'], 0)), 'default']);
$id = (int)$db->lastInsertId();
foreach ($filter['consequences'] as [$consequence, $parameters]) {
  $db->prepare('INSERT INTO abuse_filter_action (afa_filter, afa_consequence, afa_parameters) VALUES (?, ?, ?)')->execute([$id, $consequence, $parameters]);
}
echo $id;
`;

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
  const abuseFilterFile = path.join(dir, 'abusefilter.on');
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
      // A group whose members may edit existing pages and never create one, whatever their other groups give.
      "$wgGroupPermissions['nocreate']['read'] = true; $wgRevokePermissions['nocreate']['createpage'] = true;",
      // The extension throws without Pygments, so it is loaded only when a test turns it on.
      `if ( file_exists( ${JSON.stringify(switchFile)} ) ) { wfLoadExtension( 'SyntaxHighlight_GeSHi' ); }`,
      // Loaded only once a test adds a filter: its tables are made then, by update.php.
      `if ( file_exists( ${JSON.stringify(abuseFilterFile)} ) ) { wfLoadExtension( 'AbuseFilter' ); }`,
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
  php(['maintenance/createAndPromote.php', '--custom-groups=nocreate', 'Carol', 'Carol-password-for-tests-1'], env);
  php(['maintenance/createBotPassword.php', '--appid=herald', '--grants=basic,editpage,createeditmovepage,highvolume', 'Carol', noCreateBotPassword], env);
  php(['maintenance/createBotPassword.php', '--appid=editonly', '--grants=basic,editpage,highvolume', 'Admin', editOnlyBotPassword], env);

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
    noCreateUserBot: { user: 'Carol@herald', password: noCreateBotPassword },
    editOnlyBot: { user: 'Admin@editonly', password: editOnlyBotPassword },
    protect(title) {
      php(['maintenance/protect.php', '--user=Admin', '--reason=test', title], env);
    },
    async addAbuseFilter({ pattern, description, actions }) {
      if (!existsSync(abuseFilterFile)) {
        await writeFile(abuseFilterFile, '');
        php(['maintenance/update.php', '--quick'], env);
      }
      const consequences: [string, string][] = [
        ...(actions.disallow ? [['disallow', 'abusefilter-disallowed'] as [string, string]] : []),
        ...(actions.warn ? [['warn', 'abusefilter-warning'] as [string, string]] : []),
        ...(actions.tag ? [['tag', actions.tag] as [string, string]] : []),
      ];
      const result = spawnSync('php', ['-r', insertFilterPhp, path.join(dir, 'db', 'herald.sqlite'), JSON.stringify({ pattern, description, consequences })], { cwd: mediawikiDir, env, encoding: 'utf8' });
      if (result.status !== 0 || !/^\d+$/.test(result.stdout.trim())) throw new Error(`adding the abuse filter failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      return Number(result.stdout.trim());
    },
    disableAbuseFilter(id) {
      php(['-r', `$db = new PDO('sqlite:' . $argv[1]); $db->prepare('UPDATE abuse_filter SET af_enabled = 0 WHERE af_id = ?')->execute([(int)$argv[2]]);`, path.join(dir, 'db', 'herald.sqlite'), String(id)], env);
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
