/**
 * `herald serve`, as a function: serve `<out>/site`, and with `watch`
 * rebuild on every change and reload open pages. The CLI command only parses
 * options and waits for a signal; tests call this directly.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { formatText } from '../errors/format.ts';
import { missingPath } from '../io/find-notes.ts';
import { makeFolders } from '../io/write-file.ts';
import { folderError } from '../build/check-folders.ts';
import { HeraldError } from '../errors/message.ts';
import { ruleInfo, type RuleId } from '../errors/catalog.ts';
import { basePath, siteRoot } from '../render/site/urls.ts';
import { startServerThread, type ServerThread } from './server-thread.ts';
import { buildOnce, watchNotes, type BuildOutcome, type RebuildOptions } from './watch.ts';

export interface ServeOptions extends RebuildOptions {
  host: string;
  port: number;
  watch: boolean;
  /** Called after each rebuild of a watching server (tests wait on it). */
  onBuild?: (outcome: BuildOutcome) => void;
}

export interface SiteServer {
  url: string;
  /**
   * Settles with the reason if serving stops by itself: a `HeraldError`
   * when watching fails (`serve-watch-limit`), any other error a bug in
   * herald (the server thread died). Never after `close`.
   */
  failure: Promise<Error>;
  /** The first build's outcome, with `watch`. */
  initial?: BuildOutcome;
  close(): Promise<void>;
}

function fail(ruleId: RuleId, file: string, text: string): HeraldError {
  const info = ruleInfo(ruleId);
  return new HeraldError([{ file, line: 1, column: 1, severity: info.severity, ruleId, message: text, hint: info.hint }]);
}

function report(outcome: BuildOutcome, log: (line: string) => void, hadSite = true): void {
  if (outcome.ok) {
    if (outcome.warnings.length > 0) log(formatText(outcome.warnings).trimEnd());
    log(outcome.changed ? 'herald: build succeeded; pages reloaded' : 'herald: build succeeded; no output changed, no page reloaded');
  } else {
    log(formatText(outcome.errors).trimEnd());
    const serving = hadSite ? 'still serving the last good build' : 'the page shows the errors until a build succeeds';
    log(`herald: build failed with ${outcome.errors.filter((m) => m.severity === 'error').length} error(s); ${serving}`);
  }
}

export async function serveSite(options: ServeOptions): Promise<SiteServer> {
  const config = await loadConfig(options.cwd, options.configFile);
  const root = path.resolve(options.cwd, options.out, siteRoot);
  // On a thread of its own: pages are answered while a rebuild keeps this one busy.
  const listen = async (live: boolean): Promise<ServerThread> => {
    try {
      return await startServerThread({ root, host: options.host, port: options.port, basePath: basePath(config), live });
    } catch (error) {
      throw fail('serve-listen-failed', `${options.host}:${options.port}`, `Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    }
  };

  if (!options.watch) {
    if (!existsSync(root)) throw fail('serve-no-site', path.relative(options.cwd, root) || root, `There is no built site in ${path.relative(options.cwd, root) || root}`);
    const server = await listen(false);
    return { url: server.url, failure: server.failure, close: () => server.close() };
  }

  // A missing notes folder is the command run in the wrong place, not a build to show in the page.
  if (!existsSync(path.resolve(options.cwd, options.notes))) throw missingPath(options.notes, options.cwd);
  const hadSite = existsSync(root);
  const initial = await buildOnce(options);
  // Serve even when the first build failed: the page shows why, from a site folder made here if need be.
  try {
    makeFolders(root);
  } catch (error) {
    // No folder to serve from (under a file, under /proc, a permission): the build said so too.
    throw folderError('output-unwritable', root, error, options.cwd, path.relative(options.cwd, path.resolve(options.cwd, options.out)) || '.');
  }
  report(initial, options.log, hadSite);
  const server = await listen(true);
  if (!initial.ok) await server.tell({ type: 'failed', errors: initial.errors });
  // An edited note's pages reload as soon as the rebuild puts them in place, before its listings and feeds are made.
  const onNotesPlaced = (files: readonly string[]) => void server.tell({ type: 'placed', paths: pageUrls(files, basePath(config)) });
  const watcher = watchNotes({ ...options, onNotesPlaced }, (outcome) => {
    report(outcome, options.log);
    void server.tell(outcome.ok ? { type: 'succeeded', changed: outcome.changed } : { type: 'failed', errors: outcome.errors });
    options.onBuild?.(outcome);
  });
  // Not serving (nor saying so) before an edit would be seen.
  const broken = await Promise.race([watcher.ready.then(() => undefined), watcher.failure]);
  if (broken) {
    await watcher.close();
    await server.close();
    throw broken;
  }
  return {
    url: server.url,
    failure: Promise.race([server.failure, watcher.failure]),
    initial,
    close: async () => {
      await watcher.close();
      await server.close();
    },
  };
}

/** The URL paths (under `base`, ending in `/`) of the site's HTML pages among output files: a folder's index page under both of its paths. */
export function pageUrls(files: readonly string[], base: string): string[] {
  const prefix = `${siteRoot}/`;
  return files
    .filter((file) => file.startsWith(prefix) && file.endsWith('.html'))
    .flatMap((file) => {
      const url = base + file.slice(prefix.length);
      return url.endsWith('/index.html') ? [url.slice(0, -'index.html'.length), url] : [url];
    });
}
