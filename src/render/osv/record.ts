/**
 * One advisory as an OSV record. Pure and deterministic: every timestamp
 * comes from the note (publication date, last revision), never the clock.
 */
import type { Config } from '../../config/schema.ts';
import { currentRevision, lastUpdated, type Advisory, type Affected, type CreditType, type ReferenceType } from '../../model/types.ts';
import { absoluteUrl, advisoryPath } from '../site/urls.ts';
import { osvEcosystemsOf, purlOf, semverRegistries } from './ecosystems.ts';
import { bodyMarkdown, footnotesMarkdown, sectionMarkdown } from './markdown.ts';
import type { OsvAffected, OsvRecord, OsvReference } from './types.ts';

/** The OSV schema version herald writes. */
export const osvSchemaVersion = '1.7.0';

/** Marks every text of a preview build, so no one mistakes it for a publication. */
export const previewMark = 'PRIVATE PREVIEW';

/** Midnight UTC of a YYYY-MM-DD date, as OSV (and CSAF) timestamps want it. */
export function timestampOf(date: string): string {
  return `${date}T00:00:00Z`;
}

/**
 * The OSV id. OSV ids start with a registered database prefix; without one
 * (`osv.prefix` unset) herald uses the private `x_` form, `x_OSSN-0007`.
 * With one, the note's own prefix is replaced: `OSSN-0007` → `<prefix>-0007`.
 */
export function osvId(advisory: Advisory, config: Config): string {
  const registered = config.osv.prefix;
  if (!registered) return `x_${advisory.id}`;
  const own = `${config.ids.prefix}-`;
  return `${registered}-${advisory.id.startsWith(own) ? advisory.id.slice(own.length) : advisory.id}`;
}

const referenceTypes: Record<ReferenceType, OsvReference['type']> = {
  advisory: 'ADVISORY',
  article: 'ARTICLE',
  bug: 'REPORT',
  fix: 'FIX',
  web: 'WEB',
};

/** Page URLs already made, by advisory: the OSV record and the CSAF document both link the page. */
const advisoryUrls = new WeakMap<Advisory, { config: Config; url: string }>();

/** The advisory's own page on the site. */
export function advisoryUrl(advisory: Advisory, config: Config): string {
  const known = advisoryUrls.get(advisory);
  if (known?.config === config) return known.url;
  const url = absoluteUrl(config, advisoryPath(advisory.slug));
  advisoryUrls.set(advisory, { config, url });
  return url;
}

function describeProduct(affected: Affected): Record<string, unknown> {
  return {
    product: affected.product,
    ...(affected.vendor ? { vendor: affected.vendor } : {}),
    ...(affected.package ? { package: affected.package } : {}),
    ecosystem: affected.ecosystem,
    ...(affected.releases.length > 0 ? { releases: affected.releases } : {}),
    ...(affected.versions.length > 0 ? { versions: affected.versions } : {}),
    ...(affected.introduced ? { introduced: affected.introduced } : {}),
    ...(affected.fixed ? { fixed: affected.fixed } : {}),
  };
}

/**
 * `affected[]` entries for the products OSV can name, and the rest (for
 * `database_specific`). A package with neither `introduced` nor `fixed`
 * is affected from version 0 on: the note names no fix.
 */
function affectedOf(advisory: Advisory): { affected: OsvAffected[]; unrepresented: Record<string, unknown>[] } {
  const affected: OsvAffected[] = [];
  const unrepresented: Record<string, unknown>[] = [];
  for (const entry of advisory.affects) {
    const ecosystems = osvEcosystemsOf(entry);
    if (ecosystems.length === 0) {
      unrepresented.push(describeProduct(entry));
      continue;
    }
    const name = entry.package ?? entry.product;
    const events = [{ introduced: entry.introduced ?? '0' }, ...(entry.fixed ? [{ fixed: entry.fixed }] : [])];
    for (const ecosystem of ecosystems) {
      const purl = purlOf(ecosystem, name);
      affected.push({
        package: { ecosystem, name, ...(purl ? { purl } : {}) },
        ranges: [{ type: entry.ecosystem === 'semver' && semverRegistries.has(ecosystem) ? 'SEMVER' : 'ECOSYSTEM', events }],
        database_specific: describeProduct(entry),
      });
    }
  }
  return { affected, unrepresented };
}

function detailsOf(advisory: Advisory, preview: boolean): string {
  const parts: string[] = [];
  if (preview) parts.push(`**${previewMark}: not for publication.**`);
  if (advisory.status === 'withdrawn') parts.push(`**Withdrawn:** ${advisory.withdrawnReason ?? 'no reason given'}`);
  if (advisory.kind === 'post') parts.push(bodyMarkdown(advisory));
  else {
    for (const name of ['Summary', 'Discussion', 'Recommended Actions'] as const) {
      const text = sectionMarkdown(advisory, name);
      if (text) parts.push(advisory.kind === 'note' && name !== 'Summary' ? `## ${name}\n\n${text}` : text);
    }
  }
  const footnotes = footnotesMarkdown(advisory);
  if (footnotes) parts.push(`## Footnotes\n\n${footnotes}`);
  return parts.join('\n\n');
}

function referencesOf(advisory: Advisory, ownUrl: string): OsvReference[] {
  const all: OsvReference[] = [{ type: 'ADVISORY', url: ownUrl }, ...advisory.references.map((r) => ({ type: referenceTypes[r.type], url: r.url }))];
  const seen = new Set<string>();
  return all.filter((r) => (seen.has(r.url) ? false : (seen.add(r.url), true)));
}

/** Builds the OSV record of one advisory. */
export function toOsvRecord(advisory: Advisory, config: Config, preview: boolean): OsvRecord {
  const { affected, unrepresented } = affectedOf(advisory);
  const modified = timestampOf(lastUpdated(advisory));
  const url = advisoryUrl(advisory, config);
  return {
    schema_version: osvSchemaVersion,
    id: osvId(advisory, config),
    modified,
    published: timestampOf(advisory.date),
    ...(advisory.status === 'withdrawn' ? { withdrawn: modified } : {}),
    aliases: [...advisory.cve, ...advisory.ghsa],
    summary: preview ? `${previewMark}: ${advisory.title}` : advisory.title,
    details: detailsOf(advisory, preview),
    ...(advisory.cvss ? { severity: advisory.cvss.map((cvss) => ({ type: cvss.version === '4.0' ? ('CVSS_V4' as const) : ('CVSS_V3' as const), score: cvss.vector })) } : {}),
    affected,
    references: referencesOf(advisory, url),
    credits: [
      ...advisory.authors.map((author) => ({ name: author.name, ...(author.email ? { contact: [`mailto:${author.email}`] } : {}), type: 'ANALYST' as const })),
      ...(advisory.credits ?? []).map((credit) => ({ name: credit.name, ...(credit.type ? { type: credit.type.toUpperCase() as Uppercase<CreditType> } : {}) })),
    ],
    database_specific: {
      advisory_id: advisory.id,
      url,
      kind: advisory.kind,
      status: advisory.status,
      revision: currentRevision(advisory),
      ...(advisory.severity ? { severity: advisory.severity } : {}),
      ...(advisory.cwe.length > 0 ? { cwe_ids: advisory.cwe } : {}),
      ...(advisory.withdrawnReason ? { withdrawn_reason: advisory.withdrawnReason } : {}),
      ...(unrepresented.length > 0 ? { affected_products: unrepresented } : {}),
      ...(preview ? { preview: true } : {}),
    },
  };
}
