/**
 * The part of the config that a build's outputs and lint messages depend
 * on: all of it but the settings only publishing reads. The build cache is
 * keyed by it (`globalKey` in src/build/cache.ts), so pointing herald at
 * another SMTP server, wiki or GitHub repository, or moving a ledger, does
 * not render every note again (about a minute at 10,000 notes).
 * test/config/render-inputs.test.ts holds every setting left out to that:
 * changing it changes no output and no lint message.
 */
import type { Config } from './schema.ts';

/** Settings of each section that only `send`, `wiki push`, `publish` and the CSAF signing step read. */
const publishOnly = {
  mail: ['envelope_from', 'transport', 'outbox', 'ledger', 'smtp', 'signing', 'dkim', 'retry'],
  wiki: ['api_url', 'user', 'password_env', 'ledger', 'maxlag', 'retries'],
  // The signing step signs the written tree after every build; no renderer reads the key.
  csaf: ['signing_key_file', 'signing_key_env', 'signing_passphrase_env'],
} as const satisfies { [Section in keyof Config]?: readonly (keyof Config[Section])[] };

/** Sections that only publishing reads, whole. */
const publishOnlySections: readonly (keyof Config)[] = ['github'];

function without(section: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(section).filter(([key]) => !keys.includes(key)));
}

/** The config without what only publishing reads, in the config's own order. */
export function renderInputs(config: Config): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (publishOnlySections.includes(name as keyof Config)) continue;
    const omitted = (publishOnly as Partial<Record<string, readonly string[]>>)[name];
    kept[name] = omitted ? without(value as object, omitted) : value;
  }
  return kept;
}
