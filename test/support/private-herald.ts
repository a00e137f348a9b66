/**
 * herald run as a child process from a private copy of its package, on a
 * project of the bundled notes and config: for tests that change herald
 * itself as a developer or an upgrade would (a template, its version).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

export interface PrivateHerald {
  /** The package copy (`src/`, `templates/`, `site/`, `bin/`, `package.json`). */
  pkg: string;
  /** The project: `notes/` and `herald.config.yaml`. */
  project: string;
  /** Copies the package and the project; call in `beforeAll`. */
  setUp(): void;
  /** `herald build --json` with `args` in the project, at the tests' clock: its summary. */
  build<T>(...args: string[]): T;
}

/** Call at the top of a test file: the folders are removed after its tests. */
export function privateHerald(prefix: string): PrivateHerald {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const pkg = path.join(work, 'herald');
  const project = path.join(work, 'project');
  return {
    pkg,
    project,
    setUp() {
      for (const dir of ['src', 'templates', 'site', 'bin']) cpSync(path.join(repo, dir), path.join(pkg, dir), { recursive: true });
      cpSync(path.join(repo, 'package.json'), path.join(pkg, 'package.json'));
      symlinkSync(path.join(repo, 'node_modules'), path.join(pkg, 'node_modules'));
      cpSync(path.join(repo, 'notes'), path.join(project, 'notes'), { recursive: true });
      cpSync(path.join(repo, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
    },
    build<T>(...args: string[]): T {
      const stdout = execFileSync(process.execPath, [path.join(pkg, 'bin/herald.js'), 'build', '--json', '--render-timeout', '30000', ...args], {
        cwd: project,
        env: { ...process.env, HERALD_NOW: '2026-01-15T12:00:00Z' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return JSON.parse(stdout) as T;
    },
  };
}
