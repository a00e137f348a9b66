/**
 * Where the CSAF files live: a CSAF provider's directory under the site,
 * so the site serves it at `/.well-known/csaf/` (CSAF 2.0, section 7.1):
 *
 *   site/.well-known/csaf/provider-metadata.json
 *   site/.well-known/csaf/index.txt, changes.csv
 *   site/.well-known/csaf/<year>/<id>.json (+ .sha256, .sha512, and .asc once signed)
 */
import type { Config } from '../../config/schema.ts';
import type { Advisory } from '../../model/types.ts';
import { absoluteUrl } from '../site/urls.ts';

/** The provider directory, relative to the build's output root. */
export const csafRoot = 'site/.well-known/csaf';

/** Its URL path under the site. */
export const csafSitePath = '.well-known/csaf/';

/** CSAF file names are the tracking id in lower case, other characters than `+-a-z0-9` as `_` (section 5.1). */
export function csafFileName(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/** `<year>/<file>`: the year of the initial release, relative to the provider directory. */
export function csafRelativePath(advisory: Advisory): string {
  return `${advisory.date.slice(0, 4)}/${csafFileName(advisory.id)}`;
}

export function csafDocumentUrl(advisory: Advisory, config: Config): string {
  return absoluteUrl(config, `${csafSitePath}${csafRelativePath(advisory)}`);
}

export function providerMetadataUrl(config: Config): string {
  return absoluteUrl(config, `${csafSitePath}provider-metadata.json`);
}
