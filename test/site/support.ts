/**
 * Builds the site test fixtures: loads notes with the fixture config, runs
 * the renderers (the whole registry, as the build does, so links to other
 * formats resolve), writes the tree to a temporary folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { selectForBuild } from '../../src/build/select.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { loadNotes } from '../../src/model/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import { partFiles, planParts, searchFolderFiles, searchPageOf } from '../../src/render/site/search.ts';
import { pagefindAssets } from '../../src/search/index.ts';
import { startStaticServer, type RunningServer } from '../../src/serve/static-server.ts';
import type { OutputFile } from '../../src/render/types.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const fixturesDir = path.join(import.meta.dirname, 'fixtures');
export const fixtureNotes = path.join(fixturesDir, 'notes');
export const hostileNotes = path.join(fixturesDir, 'hostile');
export const bundledNotes = path.join(repoRoot, 'notes');

export const chromiumPath = '/usr/bin/chromium';

/** Flags for a quiet, hermetic headless Chromium (no sandbox: CI runs as root in a container). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The clock of every site test: a few days after the newest fixture revision. */
export const testNow = new Date('2024-01-02T12:00:00Z');

export function fixtureConfig(): Promise<Config> {
  return loadConfig(fixturesDir, 'herald.config.yaml');
}

/**
 * Loads notes. `bypassLint` keeps notes that lint refuses (the hostile
 * fixture), to prove the site is safe even when that first line of defence
 * is gone.
 */
export async function loadAdvisories(dirs: readonly string[], options: { config: Config; bypassLint?: boolean }): Promise<Advisory[]> {
  const loaded = await loadNotes(dirs, { config: options.config, now: testNow, cwd: repoRoot });
  if (options.bypassLint) return loaded.notes.flatMap((note) => (note.advisory ? [note.advisory] : []));
  const errors = loaded.messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture notes have errors:\n${errors.map((m) => `${m.file}:${m.line} ${m.ruleId} ${m.message}`).join('\n')}`);
  return loaded.advisories;
}

export function renderFiles(advisories: readonly Advisory[], options: { config: Config; preview?: boolean; now?: Date }): OutputFile[] {
  const now = options.now ?? testNow;
  const preview = options.preview ?? false;
  return renderAdvisories(selectForBuild(advisories, now, preview), { config: options.config, now, preview });
}

export async function writeTree(files: readonly OutputFile[], prefix = 'herald-site-'): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  for (const file of files) {
    const target = path.join(root, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.contents);
  }
  return root;
}

export function fileText(files: readonly OutputFile[], filePath: string): string {
  const file = files.find((f) => f.path === filePath);
  if (!file) throw new Error(`no output ${filePath}; have ${files.map((f) => f.path).filter((p) => p.startsWith('site/')).join(', ')}`);
  return typeof file.contents === 'string' ? file.contents : new TextDecoder().decode(file.contents);
}


/** The site search over a rendered tree's advisory pages, as the build writes it (parts of a few hundred pages). */
export async function searchFilesOf(advisories: readonly Advisory[], files: readonly OutputFile[]): Promise<OutputFile[]> {
  const records = new Map(advisories.flatMap((advisory) => {
    const record = searchPageOf(advisory.slug, files);
    return record ? [[advisory.slug, record] as const] : [];
  }));
  const members = [...records.keys()].map((slug) => ({ slug, sha256: createHash('sha256').update(records.get(slug)!.hash).digest('hex') }));
  const parts = planParts(members, 'test');
  return [...searchFolderFiles(await pagefindAssets(), parts), ...parts.flatMap((part) => partFiles(part, part.members.map((member) => records.get(member.slug)!)))];
}

/**
 * A headless Chromium on a profile of its own (remove `profile` when done).
 * Every console error and script error of its pages is added to `errors`:
 * a Content-Security-Policy violation is one.
 */
export async function launchChromium(errors: string[], options: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<{ context: BrowserContext; profile: string }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'herald-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs, ...options });
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.location().url}: ${message.text()}`);
  });
  context.on('weberror', (error) => errors.push(error.error().message));
  return { context, profile };
}

/** A site served by herald's own server (its search included) and a Chromium reading it. */
export interface ServedSite {
  server: RunningServer;
  context: BrowserContext;
  page: Page;
  /** Closes the browser and the server, and removes the tree and the browser's profile. */
  close(): Promise<void>;
}

/** Renders the advisories with their search, serves the site and opens a Chromium on it (console errors into `errors`). */
export async function serveInChromium(advisories: readonly Advisory[], config: Config, errors: string[]): Promise<ServedSite> {
  const files = renderFiles(advisories, { config });
  const tree = await writeTree([...files, ...(await searchFilesOf(advisories, files))]);
  const server = await startStaticServer({ root: path.join(tree, 'site'), host: '127.0.0.1', port: 0, basePath: '/' });
  const { context, profile } = await launchChromium(errors);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    server,
    context,
    page,
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
      await rm(tree, { recursive: true, force: true });
    },
  };
}
