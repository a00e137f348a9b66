/**
 * `herald serve`, as a function: serve `<out>/site`, and with `watch`
 * rebuild on every change and reload open pages. The CLI command only parses
 * options and waits for a signal; tests call this directly.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { formatText } from '../errors/format.ts';
import { HeraldError } from '../errors/message.ts';
import { ruleInfo, type RuleId } from '../errors/catalog.ts';
import { basePath, siteRoot } from '../render/site/urls.ts';
import { LiveReloadHub } from './live-reload.ts';
import { startStaticServer, type RunningServer } from './static-server.ts';
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
  /** The first build's outcome, with `watch`. */
  initial?: BuildOutcome;
  close(): Promise<void>;
}

function fail(ruleId: RuleId, file: string, text: string): HeraldError {
  const info = ruleInfo(ruleId);
  return new HeraldError([{ file, line: 1, column: 1, severity: info.severity, ruleId, message: text, hint: info.hint }]);
}

function report(outcome: BuildOutcome, log: (line: string) => void): void {
  if (outcome.ok) {
    if (outcome.warnings.length > 0) log(formatText(outcome.warnings).trimEnd());
    log('herald: build succeeded; pages reloaded');
  } else {
    log(formatText(outcome.errors).trimEnd());
    log(`herald: build failed with ${outcome.errors.filter((m) => m.severity === 'error').length} error(s); still serving the last good build`);
  }
}

export async function serveSite(options: ServeOptions): Promise<SiteServer> {
  const config = await loadConfig(options.cwd, options.configFile);
  const root = path.resolve(options.cwd, options.out, siteRoot);
  const listen = async (extra: { intercept?: LiveReloadHub['intercept']; injectIntoHead?: string }): Promise<RunningServer> => {
    try {
      return await startStaticServer({ root, host: options.host, port: options.port, basePath: basePath(config), ...extra });
    } catch (error) {
      throw fail('serve-listen-failed', `${options.host}:${options.port}`, `Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    }
  };

  if (!options.watch) {
    if (!existsSync(root)) throw fail('serve-no-site', path.relative(options.cwd, root) || root, `There is no built site in ${path.relative(options.cwd, root) || root}`);
    const server = await listen({});
    return { url: server.url, close: () => server.close() };
  }

  const hub = new LiveReloadHub();
  const initial = await buildOnce(options);
  report(initial, options.log);
  if (!initial.ok) hub.failed(initial.errors);
  // Serve even when the first build failed: the page shows why.
  await mkdir(root, { recursive: true });
  const server = await listen({ intercept: hub.intercept, injectIntoHead: hub.headTags });
  const watcher = watchNotes(options, (outcome) => {
    report(outcome, options.log);
    if (outcome.ok) hub.succeeded();
    else hub.failed(outcome.errors);
    options.onBuild?.(outcome);
  });
  return {
    url: server.url,
    initial,
    close: async () => {
      await watcher.close();
      hub.close();
      await server.close();
    },
  };
}
