/**
 * Secret material (signing keys, passwords) comes from a file or from an
 * environment variable named in the config: never from the command line,
 * where every local user can read it, and never into a log.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';

/** Where a secret comes from: exactly one of a file or an environment variable. */
export interface SecretSource {
  /** What the secret is, for messages: "the OpenPGP signing key". */
  what: string;
  file?: string | undefined;
  env?: string | undefined;
}

/** What reading a secret needs from the command's context. */
export interface SecretContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The config file, for messages. */
  configFile: string;
}

function unavailable(context: SecretContext, text: string): HeraldError {
  return new HeraldError([
    { file: context.configFile, line: 1, column: 1, severity: 'error', ruleId: 'mail-key-unavailable', message: text, hint: ruleInfo('mail-key-unavailable').hint },
  ]);
}

/** Reads a secret; throws `mail-key-unavailable` naming the source, never the value. */
export async function readSecret(source: SecretSource, context: SecretContext): Promise<string> {
  if (source.env !== undefined) {
    const value = context.env[source.env];
    if (value === undefined || value === '') throw unavailable(context, `The environment variable ${source.env} (${source.what}) is not set`);
    return value;
  }
  if (source.file !== undefined) {
    try {
      return await readFile(path.resolve(context.cwd, source.file), 'utf8');
    } catch (error) {
      // The error names the path and the reason, never the contents.
      throw unavailable(context, `Cannot read ${source.what} from ${source.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  throw unavailable(context, `No source is configured for ${source.what}`);
}
