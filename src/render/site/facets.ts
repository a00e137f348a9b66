/**
 * The facets readers filter by: product, year, severity, status, CVE and
 * GitHub advisory id.
 * Each facet value gets its own page, so filtering works without
 * JavaScript; the same grouping feeds the client-side filter form.
 */
import type { Advisory, Severity, Status } from '../../model/types.ts';
import { slugify } from './urls.ts';

export interface Facet {
  /** URL segment. */
  slug: string;
  /** What readers see. */
  label: string;
  /** Newest first, as the input list is ordered. */
  advisories: Advisory[];
}

const severityOrder: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const statusOrder: readonly Status[] = ['published', 'withdrawn', 'draft'];

export const severityLabels: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
export const statusLabels: Record<Status, string> = { published: 'Published', withdrawn: 'Withdrawn', draft: 'Draft' };

function group(advisories: readonly Advisory[], keysOf: (advisory: Advisory) => readonly { slug: string; label: string }[]): Map<string, Facet> {
  const facets = new Map<string, Facet>();
  for (const advisory of advisories) {
    const keys = keysOf(advisory);
    for (let i = 0; i < keys.length; i++) {
      const { slug, label } = keys[i]!;
      // An advisory's keys are few: an earlier one of the same slug is looked for among them (no set made per advisory).
      if (repeats(keys, i)) continue;
      const facet = facets.get(slug);
      if (facet) facet.advisories.push(advisory);
      else facets.set(slug, { slug, label, advisories: [advisory] });
    }
  }
  return facets;
}

function repeats(keys: readonly { slug: string }[], index: number): boolean {
  for (let j = 0; j < index; j++) if (keys[j]!.slug === keys[index]!.slug) return true;
  return false;
}

const byLabel = (a: Facet, b: Facet): number => a.label.localeCompare(b.label, 'en') || (a.slug < b.slug ? -1 : 1);

/** Product names seen by this process and their slugs: a site names a few hundred products, 10,000 notes name them again and again. */
const productSlugs = new Map<string, string>();

/** Product slugs of an advisory, deduplicated, in the order the note lists them. */
export function productKeys(advisory: Advisory): { slug: string; label: string }[] {
  const keys = new Map<string, { slug: string; label: string }>();
  for (const affected of advisory.affects) {
    let slug = productSlugs.get(affected.product);
    if (slug === undefined) {
      slug = slugify(affected.product);
      if (productSlugs.size < 100_000) productSlugs.set(affected.product, slug);
    }
    if (!keys.has(slug)) keys.set(slug, { slug, label: affected.product });
  }
  return [...keys.values()];
}

/** Names that differ only in case or punctuation share a page, so one product never splits in two. */
export function productFacets(advisories: readonly Advisory[]): Facet[] {
  return [...group(advisories, productKeys).values()].sort(byLabel);
}

export function yearFacets(advisories: readonly Advisory[]): Facet[] {
  return [...group(advisories, (a) => [{ slug: a.date.slice(0, 4), label: a.date.slice(0, 4) }]).values()].sort((a, b) => (a.slug < b.slug ? 1 : -1));
}

export function severityFacets(advisories: readonly Advisory[]): Facet[] {
  const facets = group(advisories, (a) => (a.severity ? [{ slug: a.severity, label: severityLabels[a.severity] }] : []));
  return severityOrder.flatMap((severity) => facets.get(severity) ?? []);
}

export function statusFacets(advisories: readonly Advisory[]): Facet[] {
  const facets = group(advisories, (a) => [{ slug: a.status, label: statusLabels[a.status] }]);
  return statusOrder.flatMap((status) => facets.get(status) ?? []);
}

/** CVE ids newest first, compared as numbers (CVE-2014-10000 is newer than CVE-2014-9999). */
export function cveFacets(advisories: readonly Advisory[]): Facet[] {
  const facets = [...group(advisories, (a) => a.cve.map((cve) => ({ slug: cve, label: cve }))).values()];
  // Each facet's numbers worked out once, beside it, rather than looked up at every comparison.
  const decorated = facets.map((facet) => {
    const [, year = '0', number = '0'] = facet.slug.split('-');
    return { facet, year: Number(year), number: Number(number) };
  });
  return decorated.sort((a, b) => b.year - a.year || b.number - a.number).map((entry) => entry.facet);
}

/** GitHub advisory ids in the order of their characters: they say nothing of age. */
export function ghsaFacets(advisories: readonly Advisory[]): Facet[] {
  return [...group(advisories, (a) => a.ghsa.map((ghsa) => ({ slug: ghsa, label: ghsa }))).values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
}
