/**
 * herald itself, run as a user runs it: a fresh `node bin/herald.js build`
 * process per build, in a project folder holding the corpus and the
 * bundled herald.config.yaml.
 *
 * The benchmark runs a snapshot of the working tree, not the tree itself:
 * herald's cache is keyed by its own sources, so any edit to `src/` during
 * a run would turn every rebuild into a cold one (and the figures would
 * belong to no particular version).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCacheDir } from '../../src/build/cache-dir.ts';
import type { CommandSpec } from '../measure.ts';
import type { Tool, ToolOptions, ToolProject, WatchSpec } from './types.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** What a herald snapshot needs to run; node_modules is linked, not copied. */
const snapshotEntries = ['bin', 'src', 'templates', 'site', 'scripts', 'tsconfig.json', 'package.json'];

/** Where herald keeps its persistent build cache, relative to the project. */
export const heraldCacheDir = defaultCacheDir;

async function hashTree(dir: string, hash: ReturnType<typeof createHash>): Promise<void> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    hash.update(entry.name);
    if (entry.isDirectory()) await hashTree(full, hash);
    else if (entry.isFile()) hash.update(await readFile(full));
  }
}

/**
 * What the `#!` line of `bin/herald.js` runs the `herald` command with
 * (`npx herald`, an installed `herald`): environment settings and Node
 * flags. The bench runs `node <flags> bin/herald.js` with that
 * environment, as that command does.
 */
export function launcher(bin: string): { env: Record<string, string>; flags: string[] } {
  const first = readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\S*env(?: -S)?((?: [A-Z_]+=\S+)*) node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (!match) throw new Error(`${bin}: unexpected first line ${JSON.stringify(first)}`);
  const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
  return { env: Object.fromEntries(words(match[1]!).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)])), flags: words(match[2]!) };
}

class HeraldProject implements ToolProject {
  constructor(
    private readonly root: string,
    private readonly dir: string,
    private readonly options: ToolOptions,
  ) {}

  private get bin(): string {
    return path.join(this.root, 'bin', 'herald.js');
  }

  /** `herald <args>` in the project folder, as the `herald` command runs it. */
  private command(args: string[]): CommandSpec {
    const { env, flags } = launcher(this.bin);
    const { nodeOptions, now, timeoutMs } = this.options;
    return {
      command: process.execPath,
      node: true,
      args: [...flags, this.bin, ...args],
      cwd: this.dir,
      env: { ...env, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}), ...(now ? { HERALD_NOW: now } : {}) },
      timeoutMs,
    };
  }

  async setUp(corpus: string): Promise<void> {
    await cp(corpus, path.join(this.dir, 'notes'), { recursive: true });
    await copyFile(path.join(repoRoot, 'herald.config.yaml'), path.join(this.dir, 'herald.config.yaml'));
  }

  async clean(): Promise<void> {
    await this.cleanOutput();
    await rm(path.join(this.dir, heraldCacheDir), { recursive: true, force: true });
  }

  /** The site's title: every page shows it, so every note is rendered again. */
  async changeConfig(run: number): Promise<void> {
    await this.markSiteSetting('title', run);
  }

  /** The site's description: only the index page and the feeds show it. */
  async changeListingsConfig(run: number): Promise<void> {
    await this.markSiteSetting('description', run);
  }

  private async markSiteSetting(setting: 'title' | 'description', run: number): Promise<void> {
    const file = path.join(this.dir, 'herald.config.yaml');
    const text = await readFile(file, 'utf8');
    const changed = text.replace(new RegExp(`^(  ${setting}: .*?)(?: \\(config change \\d+\\))?$`, 'm'), `$1 (config change ${run})`);
    if (changed === text) throw new Error(`the bench config has no site ${setting} to change`);
    await writeFile(file, changed);
  }

  async cleanOutput(): Promise<void> {
    await rm(path.join(this.dir, 'dist'), { recursive: true, force: true });
  }

  build(): CommandSpec {
    return this.command(['build', '--notes', 'notes', '--out', 'dist', '--config', 'herald.config.yaml']);
  }

  lint(cache: boolean): CommandSpec {
    return this.command(['lint', 'notes', '--config', 'herald.config.yaml', ...(cache ? [] : ['--no-cache'])]);
  }

  sendOne(id: string): CommandSpec {
    return this.command(['send', id, '--dry-run', '--notes', 'notes', '--config', 'herald.config.yaml']);
  }

  wikiIndex(): CommandSpec {
    return this.command(['wiki', 'export', '--notes', 'notes', '--config', 'herald.config.yaml']);
  }

  notePath(id: string): string {
    return path.join(this.dir, 'notes', `${id}.md`);
  }

  async watch(port: number): Promise<WatchSpec | undefined> {
    const help = spawnSync(process.execPath, [this.bin, 'serve', '--help'], { encoding: 'utf8', cwd: this.root });
    if (help.status !== 0 || !help.stdout.includes('--watch')) return undefined;
    return {
      command: this.command(['serve', '--watch', '--host', '127.0.0.1', '--port', String(port), '--notes', 'notes', '--out', 'dist', '--config', 'herald.config.yaml']),
      // Printed once the first build is done and the site is served.
      ready: /Serving https?:\/\//,
      probe: (id) => ({ url: `http://127.0.0.1:${port}/advisories/${id}/` }),
      mode: 'herald serve --watch',
      // The edited note's page is in place before the listings and feeds; this line ends the rebuild.
      finished: /^herald: build succeeded/,
    };
  }
}

/** herald, run from a snapshot of the working tree taken by `prepare` (under the system temp folder). */
export function heraldTool(): Tool {
  let root = repoRoot;
  let treeHash = '';
  return {
    name: 'herald',
    scope: 'every output: site (index, facets, feeds), wiki, mail, checklists, OSV, CSAF',
    async prepare() {
      const hash = createHash('sha256');
      const entries = snapshotEntries.filter((entry) => existsSync(path.join(repoRoot, entry)));
      for (const entry of entries) {
        const from = path.join(repoRoot, entry);
        hash.update(entry);
        if (entry.endsWith('.json')) hash.update(await readFile(from));
        else await hashTree(from, hash);
      }
      treeHash = hash.digest('hex').slice(0, 12);
      // One folder per tree state, reused: tsx's compile cache then stays warm across runs, as in a real install.
      root = path.join(os.tmpdir(), 'herald-bench-snapshots', treeHash);
      const complete = path.join(root, '.complete');
      if (existsSync(complete)) return;
      await rm(root, { recursive: true, force: true });
      for (const entry of entries) await cp(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
      await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
      // As `npm ci` does for a user (the `prepare` script): herald runs from its compiled code.
      const compiled = spawnSync(process.execPath, [path.join(root, 'bin', 'run-ts.js'), path.join(root, 'scripts', 'compile.ts')], { encoding: 'utf8', cwd: root });
      if (compiled.status !== 0) throw new Error(`compiling the herald snapshot failed: ${compiled.stderr.trim()}`);
      await writeFile(complete, '');
    },
    async unavailable() {
      const result = spawnSync(process.execPath, [path.join(root, 'bin', 'herald.js'), '--version'], { encoding: 'utf8', cwd: root });
      return result.status === 0 ? undefined : `herald --version failed: ${result.stderr.trim()}`;
    },
    async version() {
      const version = spawnSync(process.execPath, [path.join(root, 'bin', 'herald.js'), '--version'], { encoding: 'utf8', cwd: root }).stdout.trim();
      // Read-only git queries: which commit the snapshot started from.
      const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: repoRoot }).stdout.trim();
      const dirty = spawnSync('git', ['status', '--porcelain'], { encoding: 'utf8', cwd: repoRoot }).stdout.trim() !== '';
      const tree = treeHash ? `, tree ${treeHash}` : '';
      return `${version}${commit ? ` (commit ${commit}${dirty ? ' with uncommitted changes' : ''}${tree})` : ''}`;
    },
    project: (dir, options) => new HeraldProject(root, dir, options),
  };
}
