import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateCorpus } from '../../bench/generate.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';

const repo = path.resolve(import.meta.dirname, '../..');

/** A temporary project of `count` notes of the bench's corpus under `notes/`, with the bundled config. */
export async function generatedProject(prefix: string, count: number): Promise<{ dir: string; config: Config }> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dir, 'notes'));
  for (const generated of generateCorpus(count)) writeFileSync(path.join(dir, 'notes', generated.fileName), generated.text);
  cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
  return { dir, config: await loadConfig(dir) };
}
