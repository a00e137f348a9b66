/**
 * Which OSV ecosystem a herald `affects` entry belongs to. OSV accepts only
 * the ecosystems of its list (and `Debian:7`-style suffixes); a product
 * that has no such ecosystem (an OpenStack release, an upstream tarball)
 * cannot appear in `affected[]` and is kept in `database_specific`.
 */
import { PackageURL } from 'packageurl-js';
import type { Affected } from '../../model/types.ts';

/** Ecosystem names from the OSV schema (`$defs.ecosystemName`). */
export const osvEcosystemNames: ReadonlySet<string> = new Set([
  'AlmaLinux', 'Alpaquita', 'Alpine', 'Android', 'Azure Linux', 'BellSoft Hardened Containers', 'Bioconductor', 'Bitnami',
  'Chainguard', 'CleanStart', 'ConanCenter', 'CRAN', 'crates.io', 'Debian', 'Docker Hardened Images', 'Echo', 'FreeBSD', 'GHC',
  'GitHub Actions', 'Go', 'Hackage', 'Hex', 'Julia', 'Kubernetes', 'Linux', 'Mageia', 'Maven', 'MinimOS', 'npm', 'NuGet', 'opam',
  'openEuler', 'openSUSE', 'OSS-Fuzz', 'Packagist', 'Photon OS', 'Pub', 'PyPI', 'Red Hat', 'Rocky Linux', 'Root', 'RubyGems',
  'SUSE', 'SwiftURL', 'TuxCare', 'Ubuntu', 'VSCode', 'Wolfi',
]);

/**
 * The registries whose versions are semver, where OSV takes `SEMVER` ranges.
 * Everywhere else (PyPI, RubyGems, Maven…) a `semver` entry's range is
 * `ECOSYSTEM`: ordered by the registry's own rules, which is never wrong.
 */
export const semverRegistries: ReadonlySet<string> = new Set(['Go', 'npm', 'crates.io']);

/** Debian code names, for notes that say `wheezy` where OSV wants `Debian:7`. */
const debianCodeNames: Record<string, string> = {
  buzz: '1.1', rex: '1.2', bo: '1.3', hamm: '2.0', slink: '2.1', potato: '2.2', woody: '3.0', sarge: '3.1', etch: '4.0',
  lenny: '5.0', squeeze: '6', wheezy: '7', jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14',
};

/** `Debian:7` stays; `RHEL:7` becomes `Red Hat:enterprise_linux:7`; anything unknown is `undefined`. */
function knownEcosystem(release: string): string | undefined {
  const name = release.split(':')[0]!;
  if (osvEcosystemNames.has(name)) return release;
  const rhel = /^(?:rhel|red hat enterprise linux)[\s:-]*(\d+(?:\.\d+)?)$/i.exec(release);
  if (rhel) return `Red Hat:enterprise_linux:${rhel[1]}`;
  return undefined;
}

function debianEcosystem(release: string): string | undefined {
  const known = knownEcosystem(release);
  if (known) return known;
  const trimmed = release.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return `Debian:${trimmed}`;
  if (trimmed === 'sid' || trimmed === 'unstable') return 'Debian:sid';
  const number = debianCodeNames[trimmed];
  return number ? `Debian:${number}` : undefined;
}

/**
 * The OSV ecosystems of one affected entry: one per release for
 * distributions, one for a language registry named in `releases`. An empty
 * result means OSV has no ecosystem for it.
 */
export function osvEcosystemsOf(affected: Affected): string[] {
  switch (affected.ecosystem) {
    case 'deb': {
      if (affected.releases.length === 0) return ['Debian'];
      const found = affected.releases.map(debianEcosystem);
      return found.every((e): e is string => e !== undefined) ? found : [];
    }
    case 'rpm': {
      const found = affected.releases.map(knownEcosystem);
      return found.length > 0 && found.every((e): e is string => e !== undefined) ? found : [];
    }
    case 'semver':
      return affected.releases.map(knownEcosystem).filter((e): e is string => e !== undefined);
    case 'pypi':
      return ['PyPI'];
    default:
      return [];
  }
}

/** The purl type and namespace of an OSV ecosystem, where the package URL's form is unambiguous. */
const purlTypes: Record<string, [type: string, namespace?: string]> = {
  Debian: ['deb', 'debian'],
  Ubuntu: ['deb', 'ubuntu'],
  PyPI: ['pypi'],
  npm: ['npm'],
};

/**
 * The package URL of a package in an OSV ecosystem (with `version`, of one
 * version of it), through `packageurl-js`, which writes the purl
 * specification's own normalizations (a PyPI name in lower case with dashes,
 * an npm scope as namespace).
 */
export function purlOf(ecosystem: string, name: string, version?: string): string | undefined {
  const known = purlTypes[ecosystem.split(':')[0]!];
  if (!known) return undefined;
  const [type, namespace] = known;
  const scoped = type === 'npm' && name.startsWith('@') ? /^(@[^/]+)\/(.+)$/.exec(name) : null;
  // The purl spec's pypi names: lower case, runs of - _ . as one dash (PEP 503).
  const plain = type === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
  return new PackageURL(type, scoped ? scoped[1]! : (namespace ?? null), scoped ? scoped[2]! : plain, version ?? null, null, null).toString();
}
