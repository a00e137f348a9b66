/**
 * Secret material (signing keys, passwords) comes from a file or from an
 * environment variable named in the config: never from the command line,
 * where every local user can read it, and never into a log.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { settingPosition } from '../../config/setting-position.ts';

/** Where a secret comes from: exactly one of a file or an environment variable. */
export interface SecretSource {
  /** What the secret is, for messages: "the OpenPGP signing key". */
  what: string;
  file?: string | undefined;
  env?: string | undefined;
  /** The config section that names the source (`['mail', 'smtp']`), and its key there for `env` (`key_env` unless given; a file is always `key_file`): a message points at their line. */
  section: readonly string[];
  envKey?: string;
  /** What to check, when the rule's own hint (about signing keys) is not it. */
  hint?: string;
}

/** What reading a secret needs from the command's context. */
export interface SecretContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The config file, for messages. */
  configFile: string;
}

function unavailable(context: SecretContext, source: SecretSource, key: string, text: string): HeraldError {
  const at = settingPosition(context.cwd, context.configFile, [...source.section, key]);
  return new HeraldError([{ file: context.configFile, ...at, severity: 'error', ruleId: 'mail-key-unavailable', message: text, hint: source.hint ?? ruleInfo('mail-key-unavailable').hint }]);
}

/** Reads a secret; throws `mail-key-unavailable` naming the source, never the value. */
export async function readSecret(source: SecretSource, context: SecretContext): Promise<string> {
  if (source.env !== undefined) {
    const value = context.env[source.env];
    if (value === undefined || value === '') throw unavailable(context, source, source.envKey ?? 'key_env', `The environment variable ${source.env} (${source.what}) is not set`);
    return value;
  }
  if (source.file !== undefined) {
    try {
      return await readFile(path.resolve(context.cwd, source.file), 'utf8');
    } catch (error) {
      // The error names the path and the reason, never the contents.
      throw unavailable(context, source, 'key_file', `Cannot read ${source.what} from ${source.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  throw unavailable(context, source, source.envKey ?? 'key_env', `No source is configured for ${source.what}`);
}
