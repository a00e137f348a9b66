/**
 * The advisories the wiki tests render: the bundled notes (loaded and linted
 * as the build does) and the hostile fixtures (parsed without lint, so the
 * renderer also meets what lint would refuse, such as `javascript:` links).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isPublic, selectForBuild } from '../../../src/build/select.ts';
import { loadConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { loadNotes, parseNote } from '../../../src/model/load.ts';
import type { Advisory } from '../../../src/model/types.ts';
import type { RenderContext } from '../../../src/render/types.ts';
import { renderWikiPage } from '../../../src/render/wiki/index.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const fixturesDir = path.resolve(import.meta.dirname, '../fixtures');
export const hostileDir = path.join(fixturesDir, 'hostile');

/** The clock of every wiki test: after every bundled note's date. */
export const fixedNow = new Date('2026-01-01T00:00:00Z');

export function repoConfig(): Promise<Config> {
  return loadConfig(repoRoot);
}

/** Every bundled note that loads without errors, drafts and embargoed ones included. */
export async function bundledAdvisories(config: Config): Promise<Advisory[]> {
  const loaded = await loadNotes(['notes'], { config, now: fixedNow, cwd: repoRoot });
  const errors = loaded.messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) throw new Error(`bundled notes have errors:\n${errors.map((m) => `${m.file}:${m.line} ${m.ruleId} ${m.message}`).join('\n')}`);
  return loaded.advisories;
}

export async function hostileAdvisories(config: Config): Promise<Advisory[]> {
  const files = (await readdir(hostileDir)).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (name) => {
      const file = path.join(hostileDir, name);
      const note = parseNote(path.relative(repoRoot, file), await readFile(file), { config, now: fixedNow });
      if (!note.advisory) throw new Error(`${name} does not parse: ${note.messages.map((m) => m.message).join('; ')}`);
      return note.advisory;
    }),
  );
}

/** The context a build gives: public advisories, or a preview when `advisory` is not public. */
function contextFor(advisory: Advisory, config: Config, all: readonly Advisory[]): RenderContext {
  const preview = !isPublic(advisory, fixedNow);
  return { config, now: fixedNow, preview, all: selectForBuild(all, fixedNow, preview) };
}

export function renderPage(advisory: Advisory, config: Config, all: readonly Advisory[]): string {
  return renderWikiPage(advisory, contextFor(advisory, config, all));
}

/** A config with the wiki section changed. */
export function withWiki(config: Config, wiki: Partial<Config['wiki']>): Config {
  return { ...config, wiki: { ...config.wiki, ...wiki } };
}
