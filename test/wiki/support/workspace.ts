/**
 * What the tests that push to a real MediaWiki share: the wiki, a working
 * folder with the bundled notes and a config pointing at the wiki (`pre`:
 * no SyntaxHighlight, whose pygmentize runs would only slow these tests
 * down), the published advisories, and loopback proxies in front of the
 * wiki, one per test (the ledger keeps each API URL apart, so tests do not
 * see each other's pages).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { selectForBuild } from '../../../src/build/select.ts';
import { loadConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { loadNotes } from '../../../src/model/load.ts';
import type { Advisory } from '../../../src/model/types.ts';
import { runHerald, type CliRun } from './cli.ts';
import { startMediaWiki, type TestWiki } from './mediawiki.ts';
import { fixedNow, repoRoot } from './notes.ts';
import { startFaultyProxy, type FaultyProxy } from './proxy.ts';

export interface PushWorkspace {
  wiki: TestWiki;
  work: string;
  config: Config;
  published: Advisory[];
  /** A proxy of the test's own in front of the wiki. */
  proxy(): Promise<FaultyProxy>;
  /** The latest revision of a page, read anonymously from the wiki itself; undefined when there is none. */
  latest(title: string): Promise<{ content: string; tags: string[] } | undefined>;
  /** `herald wiki push ...args` in the working folder, with a config of the repository's and these wiki settings, logging in with `password`. */
  herald(settings: Record<string, unknown>, password: string, ...args: string[]): Promise<CliRun>;
  stop(): Promise<void>;
}

export async function startPushWorkspace(name: string): Promise<PushWorkspace> {
  const wiki = await startMediaWiki();
  const work = await mkdtemp(path.join(tmpdir(), `herald-wiki-${name}-`));
  const proxies: FaultyProxy[] = [];
  const writeConfig = async (file: string, settings: Record<string, unknown>) => {
    const base = parseYaml(await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(work, file), stringifyYaml({ ...base, wiki: { ...(base.wiki as object), user: wiki.bot.user, code: 'pre', ...settings } }));
  };
  await cp(path.join(repoRoot, 'notes'), path.join(work, 'notes'), { recursive: true });
  await writeConfig('herald.config.yaml', { api_url: wiki.apiUrl });
  const config = await loadConfig(work);
  const loaded = await loadNotes(['notes'], { config, now: fixedNow, cwd: work });
  return {
    wiki,
    work,
    config,
    published: selectForBuild(loaded.advisories, fixedNow, false),
    async proxy() {
      const started = await startFaultyProxy(wiki.apiUrl, []);
      proxies.push(started);
      return started;
    },
    async herald(settings, password, ...args) {
      await writeConfig('push.yaml', settings);
      return runHerald(['wiki', 'push', '-c', 'push.yaml', ...args], { cwd: work, env: { HERALD_WIKI_PASSWORD: password }, now: fixedNow });
    },
    async latest(title) {
      const response = await fetch(wiki.apiUrl, {
        method: 'POST',
        body: new URLSearchParams({ format: 'json', formatversion: '2', action: 'query', prop: 'revisions', titles: title, rvprop: 'content|tags', rvslots: 'main' }),
      });
      const answer = (await response.json()) as { query: { pages: { revisions?: { tags: string[]; slots: { main: { content: string } } }[] }[] } };
      const revision = answer.query.pages[0]!.revisions?.[0];
      return revision && { content: revision.slots.main.content, tags: revision.tags };
    },
    async stop() {
      for (const started of proxies) await started.close();
      await wiki.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}
