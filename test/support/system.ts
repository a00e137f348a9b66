/**
 * Tests that need a system tool (gpg, pandoc, chromium, …) ask here. Outside
 * CI a missing tool skips the test with its reason; with CI=true it fails,
 * because .ci/run is supposed to have installed it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const inCI = process.env.CI === 'true';

function hasCommand(command: string): boolean {
  if (command.includes('/')) return existsSync(command);
  const result = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  return result.status === 0;
}

/** Debian's python3, where .ci/run installs the python3-* packages (a python3 earlier on PATH, such as pyenv's, may lack them). */
export const debianPython = '/usr/bin/python3';

function hasPythonModule(module: string): boolean {
  const result = spawnSync(debianPython, ['-I', '-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)', module]);
  return result.status === 0;
}

function hasRubyGem(gem: string): boolean {
  const result = spawnSync('ruby', ['-e', 'require ARGV[0]', gem]);
  return result.status === 0;
}

function reasonFor(missing: string[]): string | undefined {
  if (missing.length === 0) return undefined;
  const reason = `needs ${missing.join(', ')} (installed by .ci/run)`;
  if (inCI) throw new Error(`CI=true but ${reason} is absent`);
  return reason;
}

/**
 * Returns `undefined` when every tool is present, else the reason to skip.
 * Under CI=true a missing tool throws, so the suite goes red.
 */
export function missingTools(...commands: string[]): string | undefined {
  return reasonFor(commands.filter((c) => !hasCommand(c)));
}

/** The same for modules of Debian's python3, such as `packaging` from python3-packaging. */
export function missingPythonModules(...modules: string[]): string | undefined {
  // Without python3 every module is missing, and python3 with them.
  if (!hasCommand(debianPython)) return reasonFor([debianPython, ...modules.map((m) => `the python3 module ${m}`)]);
  return reasonFor(modules.filter((m) => !hasPythonModule(m)).map((m) => `the python3 module ${m}`));
}

/** The same for Ruby gems, by the name `require` takes: `cvss_suite` from Debian's ruby-cvss-suite. */
export function missingRubyGems(...gems: string[]): string | undefined {
  // Debian's gem packages do not depend on ruby, so ruby may be missing alone.
  if (!hasCommand('ruby')) return reasonFor(['ruby', ...gems.map((g) => `the ruby gem ${g}`)]);
  return reasonFor(gems.filter((g) => !hasRubyGem(g)).map((g) => `the ruby gem ${g}`));
}

/** The shared reference folder (../shared beside the repository), or why it is absent. */
export const sharedDir = path.resolve(import.meta.dirname, '../../../shared');

export function missingShared(): string | undefined {
  if (existsSync(path.join(sharedDir, 'corpus'))) return undefined;
  const reason = `needs ${sharedDir} (the shared reference folder)`;
  // herald's own GitHub workflow has no ../shared: it says so explicitly.
  if (inCI && process.env.HERALD_SHARED_OPTIONAL !== '1') throw new Error(`CI=true but ${reason} is absent`);
  return reason;
}
