/**
 * Options and helpers shared by commands: the config file and the notes folder.
 * Besides commander (loaded anyway), only types are imported statically: defining the commands must stay cheap
 * (see README.md), so the config loader (yaml, zod) loads on first use.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../config/schema.ts';
import type { CliContext } from './context.ts';

export interface CommonOptions {
  config?: string;
}

/** Adds `-c, --config <file>` to a command. */
export function withConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', 'configuration file (default: herald.config.yaml if present)');
}

export async function configFor(context: CliContext, options: CommonOptions): Promise<Config> {
  const { loadConfig } = await import('../config/load.ts');
  return loadConfig(context.cwd, options.config);
}

/** Parses a non-negative integer option, for commander. */
export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}
