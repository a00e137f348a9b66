import { cpSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** A new folder under `work` holding a copy of the repository's notes/ and herald.config.yaml. */
export function bundledProject(work: string): string {
  const dir = mkdtempSync(path.join(work, 'project-'));
  cpSync(path.join(repo, 'notes'), path.join(dir, 'notes'), { recursive: true });
  cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
  return dir;
}
