/**
 * The CSAF product tree of an advisory, from its `affects`: vendor →
 * product → the affected versions (a `vers` range, releases, or the
 * versions as the note states them) and, when the note names one, the
 * fixed version. Product ids are numbered in order, so they are stable for
 * a given note.
 */
import type { Advisory, Affected } from '../../model/types.ts';
import type { CsafBranch } from './types.ts';
import { osvEcosystemsOf, purlOf } from '../osv/ecosystems.ts';
import { namesARange, versRange } from './vers.ts';

export interface ProductTree {
  branches: CsafBranch[];
  /** Products in an affected version. */
  knownAffected: string[];
  /** Products at the version that fixes it. */
  fixed: string[];
}

function productLabel(affected: Affected): string {
  const name = affected.package && affected.package !== affected.product ? `${affected.product} (${affected.package})` : affected.product;
  return affected.releases.length > 0 && affected.ecosystem !== 'release' ? `${name} on ${affected.releases.join(', ')}` : name;
}

/** The package URL of one version of an entry's package, when its OSV ecosystems agree on one. */
function purlOfVersion(affected: Affected, version: string): string | undefined {
  const purls = new Set(osvEcosystemsOf(affected).map((ecosystem) => purlOf(ecosystem, affected.package ?? affected.product, version)));
  const [only] = purls;
  return purls.size === 1 ? only : undefined;
}

/**
 * Builds the tree. With `needsProduct` (a security advisory, whose
 * vulnerabilities must name products), a note without `affects` gets one
 * product standing for "the products described in the advisory".
 */
export function buildProductTree(advisory: Advisory, needsProduct: boolean): ProductTree {
  let counter = 0;
  const nextId = () => `CSAFPID-${String(++counter).padStart(4, '0')}`;
  const knownAffected: string[] = [];
  const fixed: string[] = [];
  const leaf = (category: CsafBranch['category'], name: string, fullName: string, into: string[]): CsafBranch => {
    const id = nextId();
    into.push(id);
    return { category, name, product: { name: fullName, product_id: id } };
  };

  const vendors = new Map<string, CsafBranch[]>();
  const roots: CsafBranch[] = [];
  for (const affected of advisory.affects) {
    const label = productLabel(affected);
    const versions: CsafBranch[] = [];
    const range = versRange(affected);
    if (range) {
      versions.push(leaf('product_version_range', range, `${label} ${range}`, knownAffected));
      if (affected.fixed) {
        const fixedLeaf = leaf('product_version', affected.fixed, `${label} ${affected.fixed}`, fixed);
        const purl = purlOfVersion(affected, affected.fixed);
        if (purl) fixedLeaf.product!.product_identification_helper = { purl };
        versions.push(fixedLeaf);
      }
    } else {
      // Releases name versions; free-form `versions` describe a range in words ("1.0.1 through 1.0.1f").
      const releases = affected.ecosystem === 'release' ? affected.releases : [];
      for (const release of releases) {
        versions.push(leaf(namesARange(release) ? 'product_version_range' : 'product_version', release, `${label} ${release}`, knownAffected));
      }
      for (const text of affected.versions) versions.push(leaf('product_version_range', text, `${label} ${text}`, knownAffected));
    }
    const product: CsafBranch =
      versions.length > 0 ? { category: 'product_name', name: label, branches: versions } : leaf('product_name', label, label, knownAffected);
    if (affected.vendor) {
      const list = vendors.get(affected.vendor) ?? [];
      if (!vendors.has(affected.vendor)) {
        vendors.set(affected.vendor, list);
        roots.push({ category: 'vendor', name: affected.vendor, branches: list });
      }
      list.push(product);
    } else roots.push(product);
  }
  if (roots.length === 0 && needsProduct) roots.push(leaf('product_name', `Products described in ${advisory.id}`, `Products described in ${advisory.id}`, knownAffected));
  return { branches: roots, knownAffected, fixed };
}
