/**
 * The provider's directory files (CSAF 2.0, section 7.1): the provider
 * metadata (requirement 7), `index.txt` (12) and `changes.csv` (13), and
 * the hash files beside each document (18).
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config/schema.ts';
import { absoluteUrl } from '../site/urls.ts';
import { csafSitePath, providerMetadataUrl } from './layout.ts';

export interface ListedDocument {
  /** Path relative to the provider directory, e.g. `2014/ossn-0007.json`. */
  path: string;
  /** `document.tracking.current_release_date`. */
  currentReleaseDate: string;
}

/**
 * The metadata a CSAF aggregator reads first. herald writes a
 * `csaf_provider`; signing the tree (see src/publish/csaf/) adds the
 * public key and raises the role to `csaf_trusted_provider`.
 */
export function providerMetadata(config: Config, documents: readonly ListedDocument[]): Record<string, unknown> {
  const lastUpdated = documents.map((d) => d.currentReleaseDate).sort().at(-1) ?? '1970-01-01T00:00:00Z';
  return {
    canonical_url: providerMetadataUrl(config),
    distributions: [{ directory_url: absoluteUrl(config, csafSitePath).replace(/\/$/, '') }],
    last_updated: lastUpdated,
    list_on_CSAF_aggregators: config.csaf.list_on_aggregators,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: config.csaf.mirror_on_aggregators,
    publisher: {
      category: config.csaf.publisher_category,
      name: config.csaf.publisher_name,
      namespace: config.csaf.publisher_namespace,
      ...(config.csaf.contact_details ? { contact_details: config.csaf.contact_details } : {}),
    },
    role: 'csaf_provider',
  };
}

/** Every document path, one per line, sorted. */
export function indexTxt(documents: readonly ListedDocument[]): string {
  return documents.map((d) => `${d.path}\n`).sort().join('');
}

/** `"path","current_release_date"`, newest change first (ties by path, for a stable file). */
export function changesCsv(documents: readonly ListedDocument[]): string {
  return [...documents]
    .sort((a, b) => (a.currentReleaseDate < b.currentReleaseDate ? 1 : a.currentReleaseDate > b.currentReleaseDate ? -1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((d) => `"${d.path}","${d.currentReleaseDate}"\n`)
    .join('');
}

/** `<hex>  <file name>`, the format `sha256sum -c` reads. */
export function hashFile(algorithm: 'sha256' | 'sha512', contents: string | Uint8Array, fileName: string): string {
  return `${createHash(algorithm).update(contents).digest('hex')}  ${fileName}\n`;
}
