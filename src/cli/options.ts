/**
 * Options and helpers shared by commands: the config file and the notes folder.
 * Besides commander (loaded anyway), only types are imported statically: defining the commands must stay cheap
 * (see README.md), so the config loader (yaml, zod) loads on first use.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { defaultCacheDir } from '../build/cache-dir.ts';
import type { Config } from '../config/schema.ts';
import type { CliContext } from './context.ts';

export interface CommonOptions {
  config?: string;
}

/** Adds `-c, --config <file>` to a command. */
export function withConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', 'configuration file (default: herald.config.yaml if present)');
}

/** `--cache <dir>` / `--no-cache` as a command that only reads the build cache takes them. */
export interface ReadCacheOptions {
  cache: string | false;
}

/** Adds `--cache <dir>` and `--no-cache` to a command that checks notes: the build cache spares it parsing the notes the last build read. */
export function withReadCacheOption(command: Command): Command {
  return command
    .option('--cache <dir>', 'the build cache: notes the last build read are not parsed again', defaultCacheDir)
    .option('--no-cache', 'parse and check every note afresh');
}

/** The cache folder those options name, absolute; null with `--no-cache`. */
export function readCacheDir(context: CliContext, options: ReadCacheOptions): string | null {
  return options.cache === false ? null : path.resolve(context.cwd, options.cache);
}

export async function configFor(context: CliContext, options: CommonOptions): Promise<Config> {
  const { loadConfig } = await import('../config/load.ts');
  return loadConfig(context.cwd, options.config);
}

/** Where a preview goes unless --out says otherwise: beside the public output, never in it. */
export const previewOut = 'dist-preview';

/** --out, else `dist` for a public build and `dist-preview` for a preview. */
export function outFor(options: { out?: string; preview?: boolean }): string {
  return options.out ?? (options.preview ? previewOut : 'dist');
}

/** Parses a non-negative integer option, for commander. */
export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}
