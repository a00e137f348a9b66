/**
 * Options and helpers shared by commands: the config file and the notes folder.
 * Besides commander (loaded anyway), only types are imported statically: defining the commands must stay cheap
 * (see README.md), so the config loader (yaml, zod) loads on first use.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { defaultCacheDir, previewOut } from '../build/cache-dir.ts';
import type { Config } from '../config/schema.ts';
import { UsageError } from '../errors/message.ts';
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

/**
 * The config: `--config`, else herald.config.yaml, else the defaults. A
 * command that mails or marks announcements done (`mails`) never runs on the
 * defaults: run in the wrong folder, it would announce to no one and record
 * it as done.
 */
export async function configFor(context: CliContext, options: CommonOptions, mails?: string): Promise<Config> {
  const { configFileName, loadConfig } = await import('../config/load.ts');
  if (mails !== undefined && options.config === undefined && !existsSync(path.resolve(context.cwd, configFileName))) {
    throw new UsageError(`${mails} needs ${configFileName} in ${context.cwd} (or --config FILE): it says who is mailed, and herald does not announce on its defaults; \`herald init\` writes one`);
  }
  return loadConfig(context.cwd, options.config);
}

/**
 * Says on stderr that a command that writes the site runs on the config's
 * defaults (no herald.config.yaml here, no --config): in the wrong folder,
 * or before `herald init`, the site would carry the placeholder base URL.
 */
export async function noticeDefaults(context: CliContext, options: CommonOptions): Promise<void> {
  const { configFileName, defaultConfig } = await import('../config/load.ts');
  if (options.config !== undefined || existsSync(path.resolve(context.cwd, configFileName))) return;
  const { site } = defaultConfig();
  context.stderr.write(`herald: no ${configFileName} in ${context.cwd}: using the defaults (site title "${site.title}", base URL ${site.base_url}, no mailing lists); \`herald init\` writes one, --config names another\n`);
}

export { previewOut };

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

/** Collects a repeatable option's values, for commander (with `[]` as the default). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
