/**
 * The parts of the config that a build's outputs depend on, for the build
 * cache's keys (src/build/cache.ts):
 *
 * - `renderInputs`: all of it but the settings only publishing reads (and
 *   the cache's own, `cache.unused_mib`). A
 *   change to anything else makes the listings, feeds and exports again
 *   (`aggregateKey`); pointing herald at another SMTP server, wiki or GitHub
 *   repository, or moving a ledger, changes nothing.
 * - `noteInputs`: of those, what a single note's outputs and lint messages
 *   read. Only a change to one of these renders every note again
 *   (`globalKey`; about a minute at 10,000 notes); the site's description,
 *   its security.txt, the wiki's page names and the CSAF provider's
 *   aggregator flags show in aggregate files only.
 *
 * test/config/render-inputs.test.ts changes every setting left out of each
 * and checks that no output (or no note's output) and no lint message moves.
 */
import type { Config } from './schema.ts';

type Omitted = { readonly [Section in keyof Config]?: readonly (keyof Config[Section])[] | 'all' };

/** Settings only `send`, `wiki push`, `publish` and the CSAF signing step read. */
const publishOnly = {
  mail: ['envelope_from', 'transport', 'outbox', 'ledger', 'smtp', 'signing', 'dkim', 'retry'],
  wiki: ['api_url', 'user', 'password_env', 'ca_file', 'ledger', 'maxlag', 'retries'],
  github: 'all',
  // `announce_from` is not only publishing's: lint's `list-none` reads it.
  publish: ['max_announcements'],
  // The signing step signs the written tree after every build; no renderer reads the key.
  csaf: ['signing_key_file', 'signing_key_env', 'signing_passphrase_env'],
} as const satisfies Omitted;

/** Settings of the build cache itself: how much it keeps changes no output. */
const cacheOnly = { cache: 'all' } as const satisfies Omitted;

/** Rendering settings that only aggregate files show (the index page, feeds, security.txt, the wiki index, provider-metadata.json). */
const aggregateOnly = {
  site: ['description', 'security_txt'],
  wiki: ['page_name', 'index_page', 'max_page_kib'],
  csaf: ['list_on_aggregators', 'mirror_on_aggregators'],
} as const satisfies Omitted;

function without(config: Config, ...omitted: Omitted[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    const lists = omitted.map((each) => each[name as keyof Config]).filter((keys) => keys !== undefined);
    if (lists.includes('all')) continue;
    const left = lists.flat() as readonly string[];
    kept[name] = left.length > 0 ? Object.fromEntries(Object.entries(value as object).filter(([key]) => !left.includes(key))) : value;
  }
  return kept;
}

/** The config without what only publishing and the cache read, in the config's own order. */
export function renderInputs(config: Config): Record<string, unknown> {
  return without(config, publishOnly, cacheOnly);
}

/** The config as far as each note's own outputs and lint messages read it. */
export function noteInputs(config: Config): Record<string, unknown> {
  return without(config, publishOnly, cacheOnly, aggregateOnly);
}
