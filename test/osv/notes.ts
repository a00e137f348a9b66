/** The fixture notes of the export tests, loaded with the real loader. */
import path from 'node:path';
import { defaultConfig, loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { loadNotes } from '../../src/model/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import type { RenderContext } from '../../src/render/types.ts';

export const fixtureNotes = path.join(import.meta.dirname, 'notes');
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const testNow = new Date('2026-01-15T12:00:00Z');

/** Loads notes (files or folders); fails the test on any error message. */
export async function loadAdvisories(paths: string[], config: Config = defaultConfig(), cwd = repoRoot): Promise<Advisory[]> {
  const { advisories, messages } = await loadNotes(paths, { config, now: testNow, cwd });
  const errors = messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture notes have errors:\n${errors.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`).join('\n')}`);
  return advisories;
}

export function renderContext(advisories: readonly Advisory[], options: Partial<RenderContext> = {}): RenderContext {
  return { config: defaultConfig(), now: testNow, preview: false, all: advisories, ...options };
}

/** The bundled notes, with the repository's own config (their mailing lists are configured there). */
export async function loadBundled(): Promise<{ advisories: Advisory[]; config: Config }> {
  const config = await loadConfig(repoRoot);
  return { advisories: await loadAdvisories([path.join(repoRoot, 'notes')], config), config };
}
