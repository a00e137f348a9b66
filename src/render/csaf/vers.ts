/**
 * Version ranges in `vers` syntax (package-url/vers-spec), as CSAF
 * recommends for `product_version_range`: `vers:deb/>=1.0.1-1|<1.0.1e-2+deb7u6`.
 */
import { firstAffected, isVersionScheme, type Affected, type VersionScheme } from '../../model/types.ts';

/** The vers scheme of each herald version scheme (package-url/vers-spec's list). */
const versSchemes: Record<VersionScheme, string> = { deb: 'deb', rpm: 'rpm', semver: 'semver', pypi: 'pypi' };

/** vers versions are percent-encoded where they hold a separator or a space. */
function encodeVersion(version: string): string {
  return version.replace(/[%|/\s,]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The `vers` range of an entry with `introduced`/`fixed`, or `undefined` when it has neither or no vers scheme. */
export function versRange(affected: Affected): string | undefined {
  if (!isVersionScheme(affected.ecosystem)) return undefined;
  if (!affected.introduced && !affected.fixed) return undefined;
  const first = firstAffected(affected);
  const constraints = [
    ...(first ? [`>=${encodeVersion(first)}`] : []),
    ...(affected.fixed ? [`<${encodeVersion(affected.fixed)}`] : []),
  ];
  return `vers:${versSchemes[affected.ecosystem]}/${constraints.length > 0 ? constraints.join('|') : '*'}`;
}

/**
 * The words CSAF forbids in a `product_version` name (test 6.1.31): such a
 * name states a range and must be a `product_version_range` instead.
 */
export function namesARange(name: string): boolean {
  const lower = name.toLowerCase();
  if (['<', '>'].some((c) => lower.includes(c))) return true;
  const words = new Set(lower.split(/\s/));
  return ['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions'].some((w) => words.has(w));
}
